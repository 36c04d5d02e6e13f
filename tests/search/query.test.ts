import { describe, expect, it } from "vitest";
import { foldText, formatSearchQuery, isEmptySearchQuery, normalizeKey, parseDatePeriod, parseSearchQuery, tokenizeWords } from "../../search/query";

const parse = (input: string) => parseSearchQuery(input);

describe("tokenizeWords", () => {
  it("lower-cases, folds diacritics and splits on anything that is not a letter or a digit", () => {
    expect(tokenizeWords("Élan, GRÖSSE & Größe: naïve café-crème 3.5 e-mail")).toEqual(["elan", "grosse", "grosse", "naive", "cafe", "creme", "3", "5", "e", "mail"]);
    expect(tokenizeWords("Łódź Ærø straße")).toEqual(["lodz", "aero", "strasse"]);
    expect(tokenizeWords("")).toEqual([]);
    expect(tokenizeWords("  ...  ")).toEqual([]);
  });

  it("keeps letters of other scripts, and marks that are part of them", () => {
    expect(tokenizeWords("Привет мир")).toEqual(["привет", "мир"]);
    expect(tokenizeWords("東京 タワー")).toEqual(["東京", "タワー"]);
    expect(tokenizeWords("नमस्ते")).toEqual(["नमस्ते"]);
  });

  it("splits ASCII text exactly as it splits text with other letters", () => {
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; i < 500; i += 1) {
      const text = Array.from({ length: Math.floor(random() * 80) }, () => String.fromCharCode(Math.floor(random() * 128))).join("");
      // The trailing non-ASCII word sends the same text down the general path.
      expect([...tokenizeWords(text), "e"]).toEqual(tokenizeWords(`${text} é`));
    }
    expect(tokenizeWords(`Hello_World foo-bar 3.5 ${"y".repeat(65)} X`)).toEqual(["hello", "world", "foo", "bar", "3", "5", "x"]);
  });

  it("drops runs too long to be words", () => {
    expect(tokenizeWords(`short ${"x".repeat(65)} end`)).toEqual(["short", "end"]);
  });

  it("folds keys the same way", () => {
    expect(normalizeKey("  José@Example.ORG ")).toBe("jose@example.org");
    expect(foldText("ÀÉÎ")).toBe("aei");
  });
});

describe("parseSearchQuery", () => {
  it("reads free words, lower-cased and folded, without repeats", () => {
    const { request, problems } = parse("Kernel  PANIC kernel Über");
    expect(request).toEqual({ terms: ["kernel", "panic", "uber"], phrases: [], excludeTerms: [], excludePhrases: [], filters: {} });
    expect(problems).toEqual([]);
  });

  it("reads phrases, exclusions and excluded phrases", () => {
    const { request } = parse('"Exact  Phrase" -spam -"mailing list" "unclosed quote');
    expect(request.phrases).toEqual([["exact", "phrase"], ["unclosed", "quote"]]);
    expect(request.excludeTerms).toEqual(["spam"]);
    expect(request.excludePhrases).toEqual([["mailing", "list"]]);
    expect(request.terms).toEqual([]);
  });

  it("keeps a quoted single word as an exact phrase, and a hyphen inside a word as text", () => {
    const { request } = parse('"kernel" well-known x - y');
    expect(request.phrases).toEqual([["kernel"], ["well", "known"]]);
    expect(request.terms).toEqual(["x", "y"]);
  });

  it("reads place, author and type filters", () => {
    const { request, problems } = parse("list:Magick board:general room:lobby from:Alice@Example.org from:bob in:forums in:lists in:chat in:lists");
    expect(request.filters).toEqual({
      places: ["list:magick", "board:general", "room:lobby"],
      from: ["alice@example.org", "bob"],
      types: ["post", "mail", "chat"],
    });
    expect(request.terms).toEqual([]);
    expect(problems).toEqual([]);
  });

  it("reads subject words, quoted ones as several words that must all be in the title", () => {
    expect(parse("subject:Kernel").request.filters).toEqual({ subject: ["kernel"] });
    expect(parse('subject:"Kernel Panic" boot').request).toMatchObject({ terms: ["boot"], filters: { subject: ["kernel", "panic"] } });
  });

  it("drops brackets and punctuation pasted around an address", () => {
    expect(parse("from:<Bob@Example.org>, list:magick.").request.filters).toEqual({ from: ["bob@example.org"], places: ["list:magick"] });
  });

  it("accepts prefixes in any case and values in quotes", () => {
    expect(parse('FROM:"Bob Smith" In:Chat').request.filters).toEqual({ from: ["bob smith"], types: ["chat"] });
  });

  it("treats unknown prefixes and URLs as text", () => {
    const { request, problems } = parse("foo:bar http://example.org/path plain");
    expect(request.phrases).toEqual([["foo", "bar"], ["http", "example", "org", "path"]]);
    expect(request.terms).toEqual(["plain"]);
    expect(request.filters).toEqual({});
    expect(problems).toEqual([]);
  });

  it("treats a prefix with nothing after it as a word", () => {
    expect(parse("from: bob").request).toMatchObject({ terms: ["from", "bob"], filters: {} });
  });

  it("reads dates as UTC periods: after is the start, before is the start, during is the whole period", () => {
    expect(parse("after:2024").request.filters).toEqual({ after: Date.UTC(2024, 0, 1) });
    expect(parse("before:2024-03").request.filters).toEqual({ before: Date.UTC(2024, 2, 1) });
    expect(parse("during:2024-03-15").request.filters).toEqual({ after: Date.UTC(2024, 2, 15), before: Date.UTC(2024, 2, 16) });
    expect(parse("during:2024-12").request.filters).toEqual({ after: Date.UTC(2024, 11, 1), before: Date.UTC(2025, 0, 1) });
    expect(parse("during:2023").request.filters).toEqual({ after: Date.UTC(2023, 0, 1), before: Date.UTC(2024, 0, 1) });
    // The narrowest bounds win.
    expect(parse("after:2020 after:2022-06 before:2024 before:2023").request.filters).toEqual({ after: Date.UTC(2022, 5, 1), before: Date.UTC(2023, 0, 1) });
  });

  it("reports bad dates in words and ignores them", () => {
    for (const input of ["after:2024-13", "before:2023-02-29", "during:yesterday", "after:24", "before:2024-00-10"]) {
      const { request, problems } = parse(`kernel ${input}`);
      expect(request.filters).toEqual({});
      expect(request.terms).toEqual(["kernel"]);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toContain(input);
      expect(problems[0]).toMatch(/not a date/);
    }
    expect(parse("during:2024-02-29").problems).toEqual([]);
  });

  it("reports filters that cannot match or cannot be used", () => {
    expect(parse("after:2024 before:2023").problems).toEqual([expect.stringMatching(/No date can match/)]);
    expect(parse("in:everywhere").problems).toEqual([expect.stringMatching(/in: takes forums, lists or chat/)]);
    const negated = parse("-from:bob kernel");
    expect(negated.request.filters).toEqual({});
    expect(negated.problems).toEqual([expect.stringMatching(/cannot be negated/)]);
  });

  it("survives anything a reader might type", () => {
    for (const input of ['"', "-", '-"', ":", "from:", '""', "\u0000", "a".repeat(5000), '(kernel OR "x") AND NOT y*', "subject:", "\uE000mark\uE001"]) {
      expect(() => parse(input)).not.toThrow();
    }
    expect(parse('(kernel OR "x") AND NOT y*').request).toMatchObject({ terms: ["kernel", "or", "and", "not", "y"], phrases: [["x"]] });
  });

  it("knows an empty query", () => {
    expect(isEmptySearchQuery(parse("   ").request)).toBe(true);
    expect(isEmptySearchQuery(parse("list:magick").request)).toBe(false);
    expect(isEmptySearchQuery(parse("-spam").request)).toBe(false);
  });
});

describe("formatSearchQuery", () => {
  it("writes the canonical query, which parses back to the same request", () => {
    const inputs = [
      'Kernel "exact phrase" -spam -"bad words" list:magick in:lists from:"bob smith" subject:"kernel panic" after:2024-03 before:2024-06-15',
      "during:2024",
      "during:2024-02",
      "during:2024-02-29",
      "after:2024-01-01 before:2024-01-03",
      "room:lobby in:chat in:forums",
      "",
    ];
    for (const input of inputs) {
      const parsed = parse(input).request;
      const text = formatSearchQuery(parsed);
      expect(parse(text).request).toEqual(parsed);
      expect(formatSearchQuery(parse(text).request)).toBe(text);
    }
  });

  it("writes the shortest forms", () => {
    expect(formatSearchQuery(parse("after:2024-01-01 before:2024-03-01 kernel").request)).toBe("kernel after:2024 before:2024-03");
    expect(formatSearchQuery(parse("after:2024-03-01 before:2024-04").request)).toBe("during:2024-03");
    expect(formatSearchQuery({ terms: ["a"], filters: { places: ["list:magick"], types: ["mail"] } })).toBe("a list:magick in:lists");
  });

  it("builds facet links by adding a filter to a parsed query", () => {
    const { request } = parse("kernel panic");
    expect(formatSearchQuery({ ...request, filters: { ...request.filters, places: ["list:linux-kernel"] } })).toBe("kernel panic list:linux-kernel");
  });
});

describe("parseDatePeriod", () => {
  it("rejects what is not a year, a month or a day", () => {
    expect(parseDatePeriod("2024-1")).toEqual({ start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 1, 1) });
    expect(parseDatePeriod("1899")).toBeNull();
    expect(parseDatePeriod("1969-07-20")).toEqual({ start: Date.UTC(1969, 6, 20), end: Date.UTC(1969, 6, 21) });
    expect(parseDatePeriod("2024-02-30")).toBeNull();
    expect(parseDatePeriod("2024/02")).toBeNull();
  });
});
