// The embedded search engine at archive scale: indexes N generated documents
// (default 200,000; SEARCH_BENCH_DOCS overrides) into a fresh index file,
// then measures query latency for the shapes the search page sends.
//
// Documents look like the portal's: archived mail (subjects with "Re:",
// new text and quoted text, From names and addresses, 20 lists over twenty
// years), forum posts (30 boards) and chat messages (10 rooms). Text is the
// forum benchmark's Zipf-distributed English with a share of words drawn
// from a long tail of 150,000 made-up words (names, jargon, identifiers),
// so the vocabulary is the size typo correction has to cope with.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createEmbeddedEngine } from "../../search/embedded/engine.ts";
import { tokenizeWords } from "../../search/query.ts";
import type { SearchDocument, SearchEngine, SearchRequest } from "../../search/types.ts";
import { createRandom, memberName, postBody, topicTitle, zipfSampler, type Random } from "./lib/forum-text";
import { formatMs, percentile } from "./lib/load";
import type { Benchmark, BenchContext, BenchReport } from "./types";

const DEFAULT_DOCUMENTS = 200_000;
const BATCH = 1_000;
const TAIL_WORDS = 150_000;
const TAIL_SHARE = 0.15;
const QUERIES_PER_SHAPE = 300;
const YEAR = 365.25 * 86_400_000;

const LISTS = Array.from({ length: 20 }, (_, i) => `list${i}`);
const BOARDS = Array.from({ length: 30 }, (_, i) => `board${i}`);
const ROOMS = Array.from({ length: 10 }, (_, i) => `room${i}`);

/** Made-up words of 2 to 4 syllables, unique, in a fixed order (rank 0 is the most common). */
function tailVocabulary(random: Random): string[] {
  const onsets = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr", "ch", "sh", "gr", "pl", "kr"];
  const vowels = ["a", "e", "i", "o", "u", "ai", "ou", "y"];
  const codas = ["", "", "", "n", "r", "s", "l", "x", "nd", "rk"];
  const words = new Set<string>();
  while (words.size < TAIL_WORDS) {
    const syllables = 2 + random.int(3);
    let word = "";
    for (let i = 0; i < syllables; i += 1) word += onsets[random.int(onsets.length)]! + vowels[random.int(vowels.length)]! + codas[random.int(codas.length)]!;
    words.add(word);
  }
  return [...words];
}

type Generator = {
  next: (n: number) => SearchDocument;
  /** Word pairs seen in generated bodies, for phrase queries. */
  bigrams: string[][];
  tail: string[];
};

function createGenerator(seed: number): Generator {
  const random = createRandom(seed);
  const tail = tailVocabulary(random);
  const pickTail = zipfSampler(tail.length, 1.0, 10);
  const bigrams: string[][] = [];
  const now = Date.UTC(2025, 0, 1);
  const text = (maxWords?: number) => {
    let words = postBody(random).raw.split(/\s+/);
    if (maxWords) words = words.slice(0, maxWords);
    const mixed = words.map((word) => (random.chance(TAIL_SHARE) ? tail[pickTail(random)]! : word)).join(" ");
    if (bigrams.length < 500 && random.chance(0.01)) {
      const tokens = tokenizeWords(mixed);
      const at = random.int(Math.max(1, tokens.length - 1));
      if (tokens.length > 2) bigrams.push([tokens[at]!, tokens[at + 1]!]);
    }
    return mixed;
  };
  const titleOf = () => topicTitle(random).replace(/\b(\w+)\b/, (word) => (random.chance(0.3) ? tail[pickTail(random)]! : word));
  return {
    tail,
    bigrams,
    next(n: number): SearchDocument {
      const kind = random.next();
      const member = memberName(1 + random.int(5_000));
      const [first = "", last = ""] = member.split("_");
      const author = `${first[0]!.toUpperCase()}${first.slice(1)} ${last.replace(/\d+$/, "")}`;
      if (kind < 0.55) {
        const list = LISTS[random.int(LISTS.length)]!;
        const title = `${random.chance(0.6) ? "Re: " : ""}${titleOf()}`;
        const address = `${member}@example${random.int(50)}.org`;
        return {
          id: `mail:${n}`,
          type: "mail",
          title,
          body: text(),
          quoted: random.chance(0.6) ? text(80) : "",
          author,
          authorAddress: address,
          fromKeys: [...new Set([...tokenizeWords(author), address, member, address.split("@")[1]!])],
          titleKeys: [...new Set(tokenizeWords(title))],
          place: `list:${list}`,
          placeName: list,
          hostName: "lists.example.org",
          url: `/archive/${list}/${n}`,
          date: now - Math.floor(random.next() * 20 * YEAR),
        };
      }
      if (kind < 0.9) {
        const board = BOARDS[random.int(BOARDS.length)]!;
        const title = titleOf();
        return {
          id: `post:${n}`,
          type: "post",
          title,
          body: text(),
          quoted: random.chance(0.1) ? text(30) : "",
          author: member,
          authorAddress: null,
          fromKeys: [member, ...tokenizeWords(member)],
          titleKeys: [...new Set(tokenizeWords(title))],
          place: `board:${board}`,
          placeName: board,
          hostName: null,
          url: `/p/${n}`,
          date: now - Math.floor(random.next() * 10 * YEAR),
        };
      }
      const room = ROOMS[random.int(ROOMS.length)]!;
      return {
        id: `chat:${n}`,
        type: "chat",
        title: room,
        body: text(5 + random.int(20)),
        quoted: "",
        author: member,
        authorAddress: null,
        fromKeys: [member],
        titleKeys: [room],
        place: `room:${room}`,
        placeName: room,
        hostName: null,
        url: `/chat/${room}#${n}`,
        date: now - Math.floor(random.next() * 3 * YEAR),
      };
    },
  };
}

type Shape = { name: string; example: string; requests: SearchRequest[] };

const base = (overrides: Partial<SearchRequest>): SearchRequest => ({ terms: [], phrases: [], excludeTerms: [], excludePhrases: [], limit: 20, ...overrides });

/** A one-letter substitution away from the first letter that makes a word the vocabulary does not have. */
function misspell(word: string, known: Set<string>): string | null {
  for (let at = 2; at < word.length; at += 1) {
    for (const letter of "eaoiu") {
      const typo = word.slice(0, at) + letter + word.slice(at + 1);
      if (typo !== word && !known.has(typo)) return typo;
    }
  }
  return null;
}

function shapes(generator: Generator, random: Random): Shape[] {
  const common = ["error", "python", "server", "install", "database", "memory", "version", "config", "network", "release"];
  // Mid-frequency made-up words (ranks 200 to 5,000 of the tail).
  const middle = Array.from({ length: 50 }, () => generator.tail[200 + random.int(4_800)]!);
  const known = new Set(generator.tail);
  const long = middle.filter((word) => word.length >= 6);
  const typos = long.map((word) => misspell(word, known)).filter((word): word is string => word !== null);
  const cycle = <T>(items: T[], make: (item: T, i: number) => SearchRequest) => Array.from({ length: QUERIES_PER_SHAPE }, (_, i) => make(items[i % items.length]!, i));
  const list = (i: number) => `list:${LISTS[i % LISTS.length]}`;
  return [
    { name: "One common word", example: "error", requests: cycle(common, (word) => base({ terms: [word] })) },
    { name: "One rarer word", example: middle[0]!, requests: cycle(middle, (word) => base({ terms: [word] })) },
    { name: "Two words", example: `python ${middle[1]}`, requests: cycle(middle, (word, i) => base({ terms: [common[i % common.length]!, word] })) },
    { name: "Phrase", example: `"${generator.bigrams[0]?.join(" ")}"`, requests: cycle(generator.bigrams, (pair) => base({ phrases: [pair] })) },
    {
      name: "Prefix (typing)",
      example: "python ser…",
      requests: cycle(common, (word, i) => base({ terms: [common[(i + 3) % common.length]!, word.slice(0, 3)], prefixLast: true })),
    },
    { name: "Typo", example: typos[0] ?? "", requests: cycle(typos, (word) => base({ terms: [word] })) },
    {
      name: "Filtered (list, after)",
      example: "error list:list0 after:2020",
      requests: cycle(common, (word, i) => base({ terms: [word], filters: { places: [list(i)], after: Date.UTC(2020, 0, 1) } })),
    },
    { name: "Facets on", example: "error (facets)", requests: cycle(common, (word) => base({ terms: [word], facets: true })) },
    {
      name: "Search page (prefix, facets)",
      example: "python ins… (facets)",
      requests: cycle(common, (word, i) => base({ terms: [common[(i + 3) % common.length]!, word.slice(0, 3)], prefixLast: true, facets: true })),
    },
    { name: "Filters only", example: "list:list0 (facets)", requests: cycle(LISTS, (_, i) => base({ filters: { places: [list(i)] }, facets: true })) },
    { name: "Date sort, common word", example: "error, newest first", requests: cycle(common, (word) => base({ terms: [word], sort: "date" })) },
  ];
}

async function run(context: BenchContext): Promise<BenchReport> {
  const documents = Number(process.env.SEARCH_BENCH_DOCS ?? DEFAULT_DOCUMENTS);
  if (!Number.isInteger(documents) || documents < 1_000) throw new Error(`SEARCH_BENCH_DOCS must be a whole number of at least 1000, not "${process.env.SEARCH_BENCH_DOCS}".`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-bench-search-"));
  const file = path.join(dir, "search.sqlite");
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  context.onCleanup(remove);
  let engine: SearchEngine | null = createEmbeddedEngine({ file });
  context.onCleanup(() => engine?.close());
  const generator = createGenerator(20261130);
  try {
    await engine.init();
    context.log(`Indexing ${documents.toLocaleString("en")} documents into ${file} in batches of ${BATCH}...`);
    let generateMs = 0;
    let indexMs = 0;
    let words = 0;
    for (let start = 0; start < documents; start += BATCH) {
      context.signal.throwIfAborted();
      const t0 = performance.now();
      const batch = Array.from({ length: Math.min(BATCH, documents - start) }, (_, i) => generator.next(start + i));
      for (const document of batch) words += document.body.length / 6 + document.quoted.length / 6;
      const t1 = performance.now();
      await engine.index(batch);
      generateMs += t1 - t0;
      indexMs += performance.now() - t1;
      if ((start / BATCH) % 50 === 49) context.log(`  ${(start + BATCH).toLocaleString("en")} documents, ${((start + BATCH) / (indexMs / 1000)).toFixed(0)} docs/s`);
    }
    const stats = await engine.stats();
    const rssAfterIndex = process.memoryUsage.rss();
    await engine.close();

    // Queries come from a fresh engine, as a web server that just started would see them.
    engine = createEmbeddedEngine({ file });
    const random = createRandom(7);
    const measured: Array<{ shape: Shape; latencies: Float64Array; meanTotal: number; first: number }> = [];
    const perShapeMs = (context.options.durationSeconds * 1000) / 2;
    for (const shape of shapes(generator, random)) {
      context.signal.throwIfAborted();
      const latencies: number[] = [];
      let totals = 0;
      const started = performance.now();
      for (const request of shape.requests) {
        const t0 = performance.now();
        const response = await engine.search(request);
        latencies.push(performance.now() - t0);
        totals += response.total;
        if (performance.now() - started > perShapeMs && latencies.length >= 20) break;
      }
      const first = latencies[0]!;
      const sorted = Float64Array.from(latencies).sort();
      measured.push({ shape, latencies: sorted, meanTotal: totals / latencies.length, first });
      context.log(`${shape.name}: p50 ${formatMs(percentile(sorted, 50))} ms, p99 ${formatMs(percentile(sorted, 99))} ms over ${latencies.length} queries`);
    }
    const rssAfterQueries = process.memoryUsage.rss();
    await engine.close();
    engine = null;

    const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
    return {
      settings: [
        `${documents.toLocaleString("en")} generated documents (55% archived mail with quoted text, 35% forum posts, 10% chat; about ` +
          `${Math.round(words / documents)} words each on average; 15% of words from a Zipf-distributed tail of ${TAIL_WORDS.toLocaleString("en")} made-up words), ` +
          `set with SEARCH_BENCH_DOCS (default ${DEFAULT_DOCUMENTS.toLocaleString("en")}).`,
        `Indexing: engine.index() in batches of ${BATCH}, one transaction each, into a new file in the temporary folder; document generation time is excluded.`,
        `Queries: a fresh engine on the built file (so the first typo query loads the vocabulary), 20 hits per page, up to ${QUERIES_PER_SHAPE} queries per shape ` +
          `(fewer when a shape takes longer than half of --duration), cycling over different words; in-process, so no HTTP or rendering time is included.`,
      ],
      tables: [
        {
          columns: ["Documents", "Seconds", "Docs/s", "Index file", "RSS after indexing"],
          rows: [[documents.toLocaleString("en"), (indexMs / 1000).toFixed(1), (documents / (indexMs / 1000)).toFixed(0), mib(stats.sizeBytes ?? 0), mib(rssAfterIndex)]],
        },
        {
          columns: ["Query shape", "Example", "Queries", "p50 ms", "p99 ms", "First ms", "Mean matches"],
          rows: measured.map(({ shape, latencies, meanTotal, first }) => [
            shape.name,
            `\`${shape.example}\``,
            String(latencies.length),
            formatMs(percentile(latencies, 50)),
            formatMs(percentile(latencies, 99)),
            formatMs(first),
            meanTotal.toFixed(0),
          ]),
        },
      ],
      notes: [
        `Generating the documents took ${(generateMs / 1000).toFixed(1)} s (not counted above).`,
        `Process RSS after the queries: ${mib(rssAfterQueries)} (includes the in-memory typo vocabulary).`,
        '"First ms" is the first query of the shape on a warm file cache: for "Typo" it includes loading the vocabulary.',
      ],
    };
  } finally {
    await engine?.close();
    remove();
  }
}

export const search: Benchmark = {
  name: "search",
  title: "Embedded search engine",
  description:
    "Indexing throughput and query latency (p50/p99) of the embedded SQLite FTS5 engine on 200,000 generated mail, forum and chat documents: " +
    "single words, phrases, prefixes, typos, filters and facets.",
  run,
};
