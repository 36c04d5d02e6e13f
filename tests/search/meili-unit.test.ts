// The Meilisearch engine without a Meilisearch: query and filter building,
// id mapping, highlight escaping and settings as pure functions; then the
// engine against a closed port, and against an in-memory fake of the HTTP
// API for what it sends (index setup, batches, search requests) and how it
// handles failed tasks, rebuilds and swaps. Real search behaviour is checked
// by the shared contract in meili.test.ts, against a real server.
import http from "node:http";
import net from "node:net";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { MARK_CLOSE, MARK_OPEN } from "../../search/highlight";
import { fromMeiliDocument, fromMeiliId, toMeiliDocument, toMeiliId } from "../../search/meili/documents";
import { createMeiliEngine } from "../../search/meili/engine";
import { restoreCropEdges, toSearchHit, widenMarks } from "../../search/meili/hits";
import { buildFilter, buildPagination, buildQueryString, quoteFilterValue } from "../../search/meili/query";
import { batches } from "../../search/meili/server";
import { MEILI_SETTINGS, settingsFor, settingsMatch, versionAtLeast } from "../../search/meili/settings";
import { SearchUnavailableError, type SearchDocument, type SearchRequest } from "../../search/types";
import { freePort } from "../support/free-port";

/**
 * Reads one double-quoted filter value the way Meilisearch's filter parser
 * does (backslash escapes the next character) and returns it with whatever
 * follows the closing quote.
 */
function readQuoted(expression: string): { value: string; rest: string } {
  expect(expression[0]).toBe('"');
  let value = "";
  for (let i = 1; i < expression.length; i++) {
    const ch = expression[i]!;
    if (ch === "\\") {
      value += expression[i + 1] ?? "";
      i++;
    } else if (ch === '"') {
      return { value, rest: expression.slice(i + 1) };
    } else {
      value += ch;
    }
  }
  throw new Error(`unterminated string in ${expression}`);
}

const request = (overrides: Partial<SearchRequest>): SearchRequest => ({ terms: [], phrases: [], excludeTerms: [], excludePhrases: [], ...overrides });

const doc = (overrides: Partial<SearchDocument> = {}): SearchDocument => ({
  id: "post:12",
  type: "post",
  title: "Release notes",
  body: "The new release is out.",
  quoted: "",
  author: "Alice Example",
  authorAddress: null,
  fromKeys: ["alice", "example"],
  titleKeys: ["release", "notes"],
  place: "board:general",
  placeName: "General",
  hostName: null,
  url: "/p/12",
  date: Date.UTC(2024, 2, 5, 12),
  ...overrides,
});

describe("filter values", () => {
  it.each([
    ["plain", '"plain"'],
    ['say "hi"', '"say \\"hi\\""'],
    ["back\\slash", '"back\\\\slash"'],
    ["ends with a backslash\\", '"ends with a backslash\\\\"'],
    ["it's", '"it\'s"'],
  ])("quotes %j", (value, expected) => {
    expect(quoteFilterValue(value)).toBe(expected);
  });

  it.each(['" OR type = "mail', '\\" OR place = \\"x', 'x\\\\" OR 1 = 1 OR "', "\\", '"', "line\nbreak", "list:a] OR [b"])(
    "keeps the hostile value %j inside one string",
    (value) => {
      const { value: read, rest } = readQuoted(quoteFilterValue(value));
      expect(read).toBe(value);
      expect(rest).toBe("");
    },
  );
});

describe("buildFilter", () => {
  it("filters nothing without filters or with empty lists", () => {
    expect(buildFilter(undefined)).toBeUndefined();
    expect(buildFilter({})).toBeUndefined();
    expect(buildFilter({ types: [], places: [], from: [], subject: [] })).toBeUndefined();
  });

  it("uses a single clause as it is", () => {
    expect(buildFilter({ types: ["mail"] })).toBe('type IN ["mail"]');
  });

  it("joins every filter with AND, lists with IN, subject words each required", () => {
    expect(
      buildFilter({
        types: ["post", "mail"],
        places: ["List:Magick", "board:general"],
        from: ["Alice", "example.org"],
        subject: ["release", "notes"],
        after: Date.UTC(2024, 0, 1),
        before: Date.UTC(2025, 0, 1),
      }),
    ).toBe(
      '(type IN ["post", "mail"]) AND (place IN ["list:magick", "board:general"]) AND (fromKeys IN ["alice", "example.org"])' +
        ' AND (titleKeys = "release") AND (titleKeys = "notes") AND (date >= 1704067200000) AND (date < 1735689600000)',
    );
  });

  it("escapes hostile place and from values", () => {
    const filter = buildFilter({ places: ['list:x" OR place = "board:secret'], from: ['a\\" OR 1'] })!;
    expect(filter).toBe('(place IN ["list:x\\" or place = \\"board:secret"]) AND (fromKeys IN ["a\\\\\\" or 1"])');
    const inner = filter.slice(filter.indexOf("[") + 1);
    expect(readQuoted(inner).value).toBe('list:x" or place = "board:secret');
  });

  it("rounds date bounds up and ignores bounds that are not numbers", () => {
    expect(buildFilter({ after: 10.2, before: 20.5 })).toBe("(date >= 11) AND (date < 21)");
    expect(buildFilter({ after: Number.NaN, before: Infinity })).toBeUndefined();
  });

  it("matches nothing when a from or subject value folds to nothing", () => {
    expect(buildFilter({ from: ["  "] })).toBeNull();
    expect(buildFilter({ subject: ["!!"] })).toBeNull();
  });
});

describe("buildQueryString", () => {
  it("is empty without words, so filters alone browse newest first", () => {
    expect(buildQueryString(request({}))).toBe("");
  });

  it("puts phrases and exclusions before the terms and ends with a space unless the last term is a prefix", () => {
    const words = request({ terms: ["ruby", "gems"], phrases: [["exact", "words"]], excludeTerms: ["python"], excludePhrases: [["bad", "idea"]] });
    expect(buildQueryString(words)).toBe('"exact words" -python -"bad idea" ruby gems ');
    expect(buildQueryString({ ...words, prefixLast: true })).toBe('"exact words" -python -"bad idea" ruby gems');
  });

  it("never leaves a trailing prefix when the query ends with a phrase or an exclusion", () => {
    expect(buildQueryString(request({ phrases: [["a", "b"]], prefixLast: true }))).toBe('"a b" ');
    expect(buildQueryString(request({ excludeTerms: ["spam"], prefixLast: true }))).toBe("-spam ");
  });

  it("cannot be steered by quotes or dashes inside words", () => {
    const q = buildQueryString(
      request({ terms: ['evil"', "-not", 'x" -y "z'], phrases: [['"open', "-minus"]], excludeTerms: ['a"b'], excludePhrases: [["-c", 'd"']] }),
    )!;
    expect(q).toBe('"open minus" -"a b" -"c d" evil not "x y z" ');
    // Quotes stay balanced and every "-" starts an exclusion we wrote.
    expect((q.match(/"/g) ?? []).length % 2).toBe(0);
    expect(q.match(/(^|\s)-/g)).toHaveLength(2);
  });

  it("searches a term that splits into several words as a phrase", () => {
    expect(buildQueryString(request({ terms: ["e-mail"] }))).toBe('"e mail" ');
  });

  it("returns null when a required word is only punctuation", () => {
    expect(buildQueryString(request({ terms: ["ruby", "?!"] }))).toBeNull();
    expect(buildQueryString(request({ phrases: [["--"]] }))).toBeNull();
    expect(buildQueryString(request({ excludeTerms: ["??"] }))).toBe("");
  });
});

describe("buildPagination", () => {
  it("asks for exhaustive counts when the offset is a whole number of pages", () => {
    expect(buildPagination(undefined, undefined)).toEqual({ page: 1, hitsPerPage: 20 });
    expect(buildPagination(40, 20)).toEqual({ page: 3, hitsPerPage: 20 });
    expect(buildPagination(0, 0)).toEqual({ page: 1, hitsPerPage: 0 });
  });

  it("falls back to offset/limit otherwise, and caps the limit like the embedded engine", () => {
    expect(buildPagination(5, 20)).toEqual({ offset: 5, limit: 20 });
    expect(buildPagination(0, 5000)).toEqual({ page: 1, hitsPerPage: 100 });
    expect(buildPagination(-3, 10.7)).toEqual({ page: 1, hitsPerPage: 10 });
  });
});

describe("document ids", () => {
  it("maps our ids to Meilisearch ids and back", () => {
    expect(toMeiliId("post:12")).toBe("post-12");
    expect(fromMeiliId("post-12")).toBe("post:12");
  });

  it.each(["mail:345", "chat:6", "a-b_c:d", "weird id/with spaces", "ünïcødé:☃", "post:-1", "___", "--::"])("round-trips %j", (id) => {
    const meiliId = toMeiliId(id);
    expect(meiliId).toMatch(/^[a-zA-Z0-9_-]+$/);
    expect(fromMeiliId(meiliId)).toBe(id);
  });

  it("keeps different ids different", () => {
    const ids = ["a:b", "a-b", "a_b", "a_3ab", "a:3ab"];
    expect(new Set(ids.map(toMeiliId)).size).toBe(ids.length);
  });

  it("adds the UTC year for the facet and drops it when read back", () => {
    const late = doc({ date: Date.UTC(2023, 11, 31, 23, 30) });
    const stored = toMeiliDocument(late);
    expect(stored).toMatchObject({ id: "post-12", year: 2023 });
    expect(fromMeiliDocument({ ...stored })).toEqual(late);
  });

  it("removes highlight markers from stored text", () => {
    const stored = toMeiliDocument(doc({ title: `a${MARK_OPEN}b${MARK_CLOSE}c`, body: `x${MARK_CLOSE}` }));
    expect(stored.title).toBe("abc");
    expect(stored.body).toBe("x");
  });
});

describe("hits", () => {
  const stored = (overrides: Partial<SearchDocument>) => ({ ...toMeiliDocument(doc(overrides)) });

  it("escapes document text and turns markers into <mark>", () => {
    const hit = toSearchHit({
      ...stored({ title: "<script>alert(1)</script> release", body: "a <b>bold</b> & release" }),
      _formatted: {
        title: `<script>alert(1)</script> ${MARK_OPEN}release${MARK_CLOSE}`,
        body: `a <b>bold</b> & ${MARK_OPEN}release${MARK_CLOSE}`,
        quoted: "",
      },
    });
    expect(hit.titleHtml).toBe("&lt;script&gt;alert(1)&lt;/script&gt; <mark>release</mark>");
    expect(hit.snippetHtml).toBe("a &lt;b&gt;bold&lt;/b&gt; &amp; <mark>release</mark>");
    expect(hit.document.id).toBe("post:12");
    expect(hit.document).not.toHaveProperty("year");
    expect(hit.document).not.toHaveProperty("_formatted");
  });

  it("shows the quoted text when only it matched, or when the body is empty", () => {
    const onlyQuoted = toSearchHit({
      ...stored({ body: "thanks", quoted: "the ruby release" }),
      _formatted: { title: "Release notes", body: "thanks", quoted: `the ${MARK_OPEN}ruby${MARK_CLOSE} release` },
    });
    expect(onlyQuoted.snippetHtml).toBe("the <mark>ruby</mark> release");
    const emptyBody = toSearchHit({ ...stored({ body: "", quoted: "only quoted" }), _formatted: { title: "t", body: "", quoted: "only quoted" } });
    expect(emptyBody.snippetHtml).toBe("only quoted");
    const neither = toSearchHit({ ...stored({ body: "body text", quoted: "quoted text" }), _formatted: { title: "t", body: "body text", quoted: "quoted text" } });
    expect(neither.snippetHtml).toBe("body text");
  });

  it("marks whole words where Meilisearch marked only the typed prefix", () => {
    expect(widenMarks(`${MARK_OPEN}homem${MARK_CLOSE}ade, ${MARK_OPEN}Westfáli${MARK_CLOSE}a and ${MARK_OPEN}x${MARK_CLOSE}`)).toBe(
      `${MARK_OPEN}homemade${MARK_CLOSE}, ${MARK_OPEN}Westfália${MARK_CLOSE} and ${MARK_OPEN}x${MARK_CLOSE}`,
    );
    const hit = toSearchHit({
      ...stored({ body: "homemade marmalade" }),
      _formatted: { title: "Release notes", body: `${MARK_OPEN}homem${MARK_CLOSE}ade marmalade`, quoted: "" },
    });
    expect(hit.snippetHtml).toBe("<mark>homemade</mark> marmalade");
  });

  it("puts back separators Meilisearch's crop cut off at either end of the text", () => {
    const body = '<img src=x onerror="alert(1)"> marmalade & bold!!';
    const cropped = `…img src=x onerror="alert(1)"> ${MARK_OPEN}marmalade${MARK_CLOSE} & bold…`;
    expect(restoreCropEdges(cropped, body)).toBe(`<img src=x onerror="alert(1)"> ${MARK_OPEN}marmalade${MARK_CLOSE} & bold!!`);
    // Words were cut off: the markers stay.
    expect(restoreCropEdges("…b c…", "a b c d")).toBe("…b c…");
    expect(restoreCropEdges("a b", "a b")).toBe("a b");
    const hit = toSearchHit({ ...stored({ body }), _formatted: { title: "t", body: cropped, quoted: "" } });
    expect(hit.snippetHtml).toBe("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>marmalade</mark> &amp; bold!!");
  });

  it("escapes plain text when Meilisearch sent no _formatted", () => {
    const hit = toSearchHit(stored({ title: "a < b", body: `${"word ".repeat(40)}<end>` }));
    expect(hit.titleHtml).toBe("a &lt; b");
    expect(hit.snippetHtml).toBe(`${"word ".repeat(30).trim()}…`);
  });
});

describe("batches", () => {
  it("cut by count and by size, never leaving a document out", () => {
    const items = ["a", "bb", "ccc", "dddd", "e"];
    expect(batches(items, 2, 1000)).toEqual([["a", "bb"], ["ccc", "dddd"], ["e"]]);
    // JSON of "dddd" is 6 characters: it gets a batch of its own.
    expect(batches(items, 10, 8)).toEqual([["a", "bb"], ["ccc"], ["dddd"], ["e"]]);
    expect(batches(["much too long"], 10, 1)).toEqual([["much too long"]]);
    expect(batches([], 10, 10)).toEqual([]);
  });
});

describe("settings", () => {
  it("are explicit about what matters to ranking, filters and typos", () => {
    expect(MEILI_SETTINGS.searchableAttributes).toEqual(["title", "body", "author", "quoted"]);
    expect(MEILI_SETTINGS.filterableAttributes).toEqual(["type", "place", "fromKeys", "titleKeys", "date", "year"]);
    expect(MEILI_SETTINGS.sortableAttributes).toEqual(["date"]);
    expect(MEILI_SETTINGS.rankingRules?.[0]).toBe("sort");
    expect(MEILI_SETTINGS.rankingRules?.at(-1)).toBe("date:desc");
    expect(MEILI_SETTINGS.typoTolerance).toMatchObject({ enabled: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } });
    expect(MEILI_SETTINGS.pagination?.maxTotalHits).toBeGreaterThanOrEqual(1000);
    expect(MEILI_SETTINGS.faceting?.maxValuesPerFacet).toBeGreaterThanOrEqual(100);
  });

  it("match a server's settings that hold the same values among others", () => {
    const server = JSON.parse(JSON.stringify(MEILI_SETTINGS));
    server.typoTolerance.disableOnNumbers = false;
    server.displayedAttributes = ["*"];
    expect(settingsMatch(server, MEILI_SETTINGS)).toBe(true);
    server.rankingRules = ["words", "typo", "proximity", "attribute", "sort", "exactness"];
    expect(settingsMatch(server, MEILI_SETTINGS)).toBe(false);
    expect(settingsMatch({}, MEILI_SETTINGS)).toBe(false);
  });

  it("ignore the order of filterable attributes but not of ranking rules or searchable attributes", () => {
    const server = JSON.parse(JSON.stringify(MEILI_SETTINGS));
    server.filterableAttributes = [...server.filterableAttributes].sort();
    expect(settingsMatch(server, MEILI_SETTINGS)).toBe(true);
    server.searchableAttributes = ["body", "title", "author", "quoted"];
    expect(settingsMatch(server, MEILI_SETTINGS)).toBe(false);
  });

  it("match numbers exactly where the server supports it (1.15+), as the embedded engine does", () => {
    expect(settingsFor("1.15.0").typoTolerance).toMatchObject({ disableOnNumbers: true, minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 } });
    expect(settingsFor("1.14.2").typoTolerance).not.toHaveProperty("disableOnNumbers");
    expect(MEILI_SETTINGS.typoTolerance).not.toHaveProperty("disableOnNumbers");
  });

  it("need Meilisearch 1.8 or later", () => {
    expect(versionAtLeast("1.8.0")).toBe(true);
    expect(versionAtLeast("1.12.3")).toBe(true);
    expect(versionAtLeast("2.0.0")).toBe(true);
    expect(versionAtLeast("1.7.6")).toBe(false);
    expect(versionAtLeast("0.30.0")).toBe(false);
    expect(versionAtLeast("nonsense")).toBe(false);
  });
});

describe("an unreachable server", () => {
  let host = "";

  beforeAll(async () => {
    // A port that was just free: nothing listens there.
    host = `http://127.0.0.1:${await freePort()}`;
  });

  const engine = () => createMeiliEngine({ host, indexUid: "unreachable", retries: 1, retryDelayMs: 5, requestTimeoutMs: 1000 });

  it("reports itself unhealthy", async () => {
    const health = await engine().health();
    expect(health.ok).toBe(false);
    expect(health.message).toContain("not reachable");
  });

  it("fails searches and writes quickly with SearchUnavailableError", async () => {
    const started = Date.now();
    await expect(engine().search(request({ terms: ["ruby"] }))).rejects.toBeInstanceOf(SearchUnavailableError);
    await expect(engine().index([doc()])).rejects.toBeInstanceOf(SearchUnavailableError);
    await expect(engine().init()).rejects.toBeInstanceOf(SearchUnavailableError);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

/**
 * Enough of Meilisearch's HTTP API, in memory, to check what the engine asks
 * for and in which order: indexes, settings, documents, swaps and tasks (each
 * finished as soon as it is enqueued). Search answers are scripted by tests.
 */
class FakeMeilisearch {
  readonly indexes = new Map<string, { settings: Record<string, unknown>; docs: Map<string, Record<string, unknown>> }>();
  readonly requests: Array<{ method: string; path: string; body: unknown }> = [];
  version = "1.12.0";
  failDocuments: { message: string; code: string } | null = null;
  /** Applies the next swap but drops the connection instead of answering. */
  loseSwapAnswer = false;
  searchAnswer: (uid: string, body: Record<string, unknown>) => Record<string, unknown> = (uid) => {
    const hits = [...(this.indexes.get(uid)?.docs.values() ?? [])];
    return { hits, query: "", processingTimeMs: 0, page: 1, hitsPerPage: 20, totalHits: hits.length, totalPages: 1 };
  };
  private readonly tasks = new Map<number, Record<string, unknown>>();
  private server = http.createServer((req, res) => this.handle(req, res));
  host = "";

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.host = `http://127.0.0.1:${(this.server.address() as net.AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  docIds(uid: string): string[] {
    return [...(this.indexes.get(uid)?.docs.keys() ?? [])].sort();
  }

  docsOf(uid: string) {
    return this.indexes.get(uid)?.docs;
  }

  private task(res: http.ServerResponse, uid: string | null, type: string, run: () => { code: string; message: string } | void): void {
    const taskUid = this.tasks.size + 1;
    const error = run() ?? null;
    this.tasks.set(taskUid, {
      uid: taskUid, indexUid: uid, type, status: error ? "failed" : "succeeded",
      error: error ? { ...error, type: "invalid_request", link: "" } : null,
      batchUid: null, canceledBy: null, duration: "PT0S", startedAt: null, finishedAt: null, enqueuedAt: new Date().toISOString(),
    });
    this.json(res, 202, { taskUid, indexUid: uid, status: "enqueued", type, enqueuedAt: new Date().toISOString() });
  }

  private json(res: http.ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  }

  private notFound(res: http.ServerResponse, uid: string): void {
    this.json(res, 404, { message: `Index \`${uid}\` not found.`, code: "index_not_found", type: "invalid_request", link: "" });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    let raw = "";
    req.on("data", (chunk) => (raw += chunk));
    req.on("end", () => {
      const path = (req.url ?? "").split("?")[0]!;
      const method = req.method!;
      const body = raw ? JSON.parse(raw) : undefined;
      this.requests.push({ method, path, body });
      const missing = (uid: string) => ({ code: "index_not_found", message: `Index \`${uid}\` not found.` });
      let m: RegExpExecArray | null;
      if (path === "/version") return this.json(res, 200, { pkgVersion: this.version, commitSha: "x", commitDate: "x" });
      if (path === "/health") return this.json(res, 200, { status: "available" });
      if (path.startsWith("/tasks/")) return this.json(res, 200, this.tasks.get(Number(path.slice(7))));
      if (path === "/indexes" && method === "POST") {
        return this.task(res, body.uid, "indexCreation", () => {
          if (this.indexes.has(body.uid)) return { code: "index_already_exists", message: "exists" };
          this.indexes.set(body.uid, { settings: {}, docs: new Map() });
        });
      }
      if (path === "/swap-indexes" && method === "POST") {
        const [a, b] = body[0].indexes as [string, string];
        const run = () => {
          const first = this.indexes.get(a);
          const second = this.indexes.get(b);
          if (!first || !second) return missing(first ? b : a);
          this.indexes.set(a, second);
          this.indexes.set(b, first);
        };
        if (this.loseSwapAnswer) {
          this.loseSwapAnswer = false;
          run();
          res.socket?.destroy();
          return;
        }
        return this.task(res, null, "indexSwap", run);
      }
      if (path === "/multi-search" && method === "POST") {
        return this.json(res, 200, { results: body.queries.map((query: Record<string, unknown>) => ({ indexUid: query.indexUid, ...this.searchAnswer(query.indexUid as string, query) })) });
      }
      if ((m = /^\/indexes\/([^/]+)(\/.*)?$/.exec(path))) {
        const uid = m[1]!;
        const rest = m[2] ?? "";
        const index = this.indexes.get(uid);
        if (rest === "" && method === "GET") return index ? this.json(res, 200, { uid, primaryKey: "id", createdAt: "", updatedAt: "" }) : this.notFound(res, uid);
        if (rest === "" && method === "DELETE") return this.task(res, uid, "indexDeletion", () => (this.indexes.delete(uid) ? undefined : missing(uid)));
        if (rest === "/settings" && method === "GET") return index ? this.json(res, 200, index.settings) : this.notFound(res, uid);
        if (rest === "/settings" && method === "PATCH") {
          return this.task(res, uid, "settingsUpdate", () => {
            if (!index) return missing(uid);
            Object.assign(index.settings, body);
          });
        }
        if (rest === "/stats") return index ? this.json(res, 200, { numberOfDocuments: index.docs.size, isIndexing: false, fieldDistribution: {} }) : this.notFound(res, uid);
        if (rest === "/documents" && method === "POST") {
          return this.task(res, uid, "documentAdditionOrUpdate", () => {
            if (this.failDocuments) return this.failDocuments;
            // Like Meilisearch, adding documents creates a missing index.
            const target = index ?? { settings: {}, docs: new Map() };
            this.indexes.set(uid, target);
            for (const doc of body) target.docs.set(doc.id, doc);
          });
        }
        if (rest === "/documents/delete-batch" && method === "POST") {
          return this.task(res, uid, "documentDeletion", () => {
            if (!index) return missing(uid);
            for (const id of body) index.docs.delete(id);
          });
        }
        if (rest === "/search" && method === "POST") return index ? this.json(res, 200, this.searchAnswer(uid, body)) : this.notFound(res, uid);
      }
      this.json(res, 404, { message: `no route ${method} ${path}`, code: "not_found", type: "invalid_request", link: "" });
    });
  }
}

describe("against a fake Meilisearch", () => {
  let fake: FakeMeilisearch;
  const engineFor = (options: { batchSize?: number; indexUid?: string } = {}) =>
    createMeiliEngine({ host: fake.host, indexUid: options.indexUid ?? "live", retries: 0, retryDelayMs: 1, batchSize: options.batchSize });
  const ids = (uid: string) => fake.docIds(uid);

  beforeEach(async () => {
    fake = new FakeMeilisearch();
    await fake.start();
  });

  afterEach(async () => {
    await fake.stop();
  });

  it("creates the index with primary key id, applies the settings once, and is safe to init twice", async () => {
    const engine = engineFor();
    await engine.init();
    expect(fake.requests.find((r) => r.method === "POST" && r.path === "/indexes")?.body).toEqual({ uid: "live", primaryKey: "id" });
    expect(fake.indexes.get("live")?.settings).toEqual(JSON.parse(JSON.stringify(MEILI_SETTINGS)));
    await engine.init();
    expect(fake.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === "POST" && r.path === "/indexes")).toHaveLength(1);
  });

  it("applies the settings of the server's version", async () => {
    fake.version = "1.16.1";
    await engineFor().init();
    expect(fake.indexes.get("live")?.settings).toEqual(JSON.parse(JSON.stringify(settingsFor("1.16.1"))));
  });

  it("refuses a Meilisearch without negative search", async () => {
    fake.version = "1.7.3";
    await expect(engineFor().init()).rejects.toThrow(/1\.7\.3 .*too old.*1\.8/);
  });

  it("sends documents in batches with Meilisearch-safe ids and a year, and removes by the same ids", async () => {
    const engine = engineFor({ batchSize: 2 });
    await engine.init();
    await engine.index(Array.from({ length: 5 }, (_, i) => doc({ id: `mail:${i}`, type: "mail" })));
    const posts = fake.requests.filter((r) => r.method === "POST" && r.path === "/indexes/live/documents");
    expect(posts.map((r) => (r.body as unknown[]).length)).toEqual([2, 2, 1]);
    expect(fake.docsOf("live")?.get("mail-0")).toMatchObject({ id: "mail-0", year: 2024 });
    await engine.remove(["mail:0", "mail:3", "mail:404"]);
    expect(ids("live")).toEqual(["mail-1", "mail-2", "mail-4"]);
    expect(await engine.count()).toBe(3);
    expect(await engine.stats()).toEqual({ engine: "meilisearch", documents: 3 });
  });

  it("throws the task's own error when indexing fails", async () => {
    const engine = engineFor();
    await engine.init();
    fake.failDocuments = { message: "Document has a bad field", code: "invalid_document_fields" };
    await expect(engine.index([doc()])).rejects.toThrow(/Document has a bad field \(invalid_document_fields\)/);
  });

  it("reports health: ok with the index, not ok without it", async () => {
    const engine = engineFor();
    expect(await engine.health()).toMatchObject({ ok: false, message: expect.stringContaining("no index") });
    await engine.init();
    expect(await engine.health()).toEqual({ ok: true });
    fake.version = "1.6.0";
    expect(await engine.health()).toMatchObject({ ok: false, message: expect.stringContaining("too old") });
  });

  it("asks for one page with exact totals, highlights as markers and facets", async () => {
    const engine = engineFor();
    await engine.init();
    const stored = toMeiliDocument(doc({ title: "<i>Release</i> notes" }));
    fake.searchAnswer = () => ({
      hits: [{ ...stored, _formatted: { ...stored, title: `<i>${MARK_OPEN}Release${MARK_CLOSE}</i> notes`, year: "2024" } }],
      query: "",
      processingTimeMs: 1,
      page: 2,
      hitsPerPage: 20,
      totalHits: 21,
      totalPages: 2,
      facetDistribution: { type: { post: 21 }, place: { "board:general": 21 }, year: { "2024": 21 } },
    });
    const response = await engine.search({
      ...request({ terms: ["release"], excludeTerms: ["draft"] }),
      filters: { types: ["post"], after: 1000 },
      sort: "date",
      facets: true,
      offset: 20,
      limit: 20,
    });
    const searches = fake.requests.filter((r) => r.path === "/indexes/live/search");
    expect(searches).toHaveLength(1);
    const body = searches[0]!.body as Record<string, unknown>;
    expect(body).toMatchObject({
      q: "-draft release ",
      filter: '(type IN ["post"]) AND (date >= 1000)',
      sort: ["date:desc"],
      facets: ["type", "place", "year"],
      matchingStrategy: "all",
      page: 2,
      hitsPerPage: 20,
      highlightPreTag: MARK_OPEN,
      highlightPostTag: MARK_CLOSE,
      attributesToHighlight: ["title", "body", "quoted"],
      attributesToCrop: ["body", "quoted"],
    });
    expect(body.attributesToRetrieve).not.toContain("year");
    expect(response.total).toBe(21);
    expect(response.facets).toEqual({ type: { post: 21 }, place: { "board:general": 21 }, year: { "2024": 21 } });
    expect(response.hits[0]!.document).toEqual(doc({ title: "<i>Release</i> notes" }));
    expect(response.hits[0]!.titleHtml).toBe("&lt;i&gt;<mark>Release</mark>&lt;/i&gt; notes");
  });

  it("counts exactly in the same request when the offset falls inside a page", async () => {
    const engine = engineFor();
    await engine.init();
    fake.searchAnswer = (_uid, body) =>
      body.hitsPerPage === 0
        ? { hits: [], query: "", processingTimeMs: 0, page: 1, hitsPerPage: 0, totalHits: 7, totalPages: 0, facetDistribution: { type: { post: 7 } } }
        : { hits: [{ ...toMeiliDocument(doc()) }], query: "", processingTimeMs: 0, offset: 5, limit: 3, estimatedTotalHits: 1000 };
    const response = await engine.search({ ...request({ terms: ["release"] }), offset: 5, limit: 3, facets: true });
    const multi = fake.requests.find((r) => r.path === "/multi-search")?.body as { queries: Array<Record<string, unknown>> };
    expect(multi.queries[0]).toMatchObject({ indexUid: "live", q: "release ", offset: 5, limit: 3 });
    expect(multi.queries[1]).toMatchObject({ indexUid: "live", q: "release ", page: 1, hitsPerPage: 0, facets: ["type", "place", "year"] });
    expect(response.total).toBe(7);
    expect(response.hits).toHaveLength(1);
    expect(response.facets).toEqual({ type: { post: 7 }, place: {}, year: {} });
  });

  it("does not ask Meilisearch when nothing can match", async () => {
    const engine = engineFor();
    const response = await engine.search({ ...request({ terms: ["!!"] }), facets: true });
    expect(response).toEqual({ hits: [], total: 0, facets: { type: {}, place: {}, year: {} } });
    expect(fake.requests).toHaveLength(0);
  });

  it("says the index is missing as unavailable, so the page can say so", async () => {
    await expect(engineFor().search(request({ terms: ["x"] }))).rejects.toThrow(SearchUnavailableError);
  });

  describe("rebuild", () => {
    it("builds beside the live index, keeps live writes made meanwhile, and swaps then drops the old one", async () => {
      const engine = engineFor();
      await engine.init();
      await engine.index([doc({ id: "post:1", body: "old" }), doc({ id: "post:2", body: "doomed" })]);
      const rebuild = await engine.beginRebuild();
      expect(fake.indexes.get("live_rebuild")?.settings).toEqual(JSON.parse(JSON.stringify(MEILI_SETTINGS)));
      await rebuild.index([doc({ id: "post:3", body: "rebuilt" })]);
      expect(ids("live")).toEqual(["post-1", "post-2"]);
      // Live writes during the rebuild reach both indexes...
      await engine.index([doc({ id: "post:4", body: "arrived" }), doc({ id: "post:1", body: "edited" })]);
      await engine.remove(["post:2"]);
      expect(ids("live_rebuild")).toEqual(["post-1", "post-3", "post-4"]);
      // ...and the rebuild's older copies of those ids are dropped.
      await rebuild.index([doc({ id: "post:1", body: "old" }), doc({ id: "post:2", body: "doomed" }), doc({ id: "post:5", body: "late" })]);
      await rebuild.commit();
      expect(ids("live")).toEqual(["post-1", "post-3", "post-4", "post-5"]);
      expect(fake.docsOf("live")?.get("post-1")?.body).toBe("edited");
      expect(fake.indexes.has("live_rebuild")).toBe(false);
      const swap = fake.requests.find((r) => r.path === "/swap-indexes");
      expect(swap?.body).toEqual([{ indexes: ["live", "live_rebuild"] }]);
      await expect(rebuild.index([doc()])).rejects.toThrow(/over/);
      await rebuild.abort(); // nothing to undo after a commit
      expect(ids("live")).toHaveLength(4);
    });

    it("sends writes from another process to the rebuild index too", async () => {
      const rebuilding = engineFor();
      const serving = engineFor();
      await rebuilding.init();
      const rebuild = await rebuilding.beginRebuild();
      await serving.index([doc({ id: "post:7" })]);
      await serving.remove(["post:7"]);
      await serving.index([doc({ id: "post:8" })]);
      expect(ids("live_rebuild")).toEqual(["post-8"]);
      await rebuild.commit();
      expect(ids("live")).toEqual(["post-8"]);
      // No rebuild index any more: writes go to the live index only.
      await serving.index([doc({ id: "post:9" })]);
      expect(fake.indexes.has("live_rebuild")).toBe(false);
    });

    it("leaves the live index alone when aborted", async () => {
      const engine = engineFor();
      await engine.init();
      await engine.index([doc({ id: "post:1" })]);
      const rebuild = await engine.beginRebuild();
      await rebuild.index([doc({ id: "post:9" })]);
      await rebuild.abort();
      expect(ids("live")).toEqual(["post-1"]);
      expect(fake.indexes.has("live_rebuild")).toBe(false);
      await engine.index([doc({ id: "post:2" })]);
      expect(ids("live")).toEqual(["post-1", "post-2"]);
      expect(fake.indexes.has("live_rebuild")).toBe(false);
    });

    it("lets a newer rebuild replace an unfinished one, which then fails clearly", async () => {
      const engine = engineFor();
      await engine.init();
      const abandoned = await engine.beginRebuild();
      await abandoned.index([doc({ id: "post:2" })]);
      const rebuild = await engine.beginRebuild();
      expect(ids("live_rebuild")).toEqual([]);
      await expect(abandoned.index([doc({ id: "post:4" })])).rejects.toThrow(/replaced by a newer one/);
      await expect(abandoned.commit()).rejects.toThrow(/replaced by a newer one/);
      await abandoned.abort();
      await rebuild.index([doc({ id: "post:3" })]);
      await rebuild.commit();
      expect(ids("live")).toEqual(["post-3"]);
    });

    it("never swaps twice when the swap's answer is lost; abort is safe either way", async () => {
      const engine = engineFor();
      await engine.init();
      await engine.index([doc({ id: "post:1" })]);
      const rebuild = await engine.beginRebuild();
      await rebuild.index([doc({ id: "post:2" })]);
      fake.loseSwapAnswer = true;
      await expect(rebuild.commit()).rejects.toThrow(SearchUnavailableError);
      await expect(rebuild.commit()).rejects.toThrow(/abort it and rebuild again/);
      // The swap did happen; live writes still reach both until it is settled.
      await engine.index([doc({ id: "post:3" })]);
      expect(ids("live")).toEqual(["post-2", "post-3"]);
      await rebuild.abort();
      expect(ids("live")).toEqual(["post-2", "post-3"]);
      expect(fake.indexes.has("live_rebuild")).toBe(false);
      expect(fake.requests.filter((r) => r.path === "/swap-indexes")).toHaveLength(1);
    });
  });
});
