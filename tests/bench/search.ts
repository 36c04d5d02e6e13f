// The embedded search engine at archive scale, against the goals of the
// search performance issue: index N generated documents (default 200,000;
// SEARCH_BENCH_DOCS=1000000 for the million-document goal) into a fresh
// index file, insert the same documents into a bare FTS5 table in the same
// run for comparison, then measure query latency (p50/p95/p99) through the
// engine's public search() exactly as the search page calls it (20 hits,
// facets on).
//
// Documents look like the portal's: archived mail (subjects with "Re:", new
// text and quoted text, From names and addresses, 20 lists over twenty
// years), forum posts (30 boards, ten years) and chat messages (10 rooms,
// three years), about 3 KB each on average. Their words follow a Zipf law
// over one vocabulary of about 180,000 words: English function words first,
// then technical English spread over ranks 100 to 4,000, between code
// identifiers (camelCase names, error codes, hex numbers) and made-up words
// (names, jargon, project names). So "error" is in about a quarter of the
// documents, a word of rank 30,000 in a few hundred, and typo correction
// has a realistic vocabulary to search.
//
// Goals (issue "Performance", 2 cores): p95 under 30 ms and p99 under 100 ms
// for every query shape at 1M documents; indexing at no less than 80% of the
// rate of bare FTS5 inserts of the same documents in the same run.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { createEmbeddedEngine } from "../../search/embedded/engine.ts";
import { tokenizeWords } from "../../search/query.ts";
import type { SearchDocument, SearchEngine, SearchRequest } from "../../search/types.ts";
import { createRandom, memberName, type Random } from "./lib/forum-text";
import { formatMs, percentile } from "./lib/load";
import type { Benchmark, BenchContext, BenchReport } from "./types";

const DEFAULT_DOCUMENTS = 200_000;
const BATCH = 1_000;
const TAIL_WORDS = 150_000;
const CODE_WORDS = 30_000;
const QUERIES_PER_SHAPE = 300;
const P95_GOAL_MS = 30;
const P99_GOAL_MS = 100;
const BUILD_RATIO_GOAL = 0.8;

const YEAR = 365.25 * 86_400_000;
const LISTS = Array.from({ length: 20 }, (_, i) => `list${i}`);
const BOARDS = Array.from({ length: 30 }, (_, i) => `board${i}`);
const ROOMS = Array.from({ length: 10 }, (_, i) => `room${i}`);

const FUNCTION_WORDS = (
  "the to a and of is it in you that for this i on with be not have but if can are do what was as or my an so just at " +
  "from your there would like how when one by all will get which also then any we they he she them their our me no yes " +
  "has had were been being more some than only out up about into over after before again very much most other such"
).split(" ");

// Technical English, roughly by frequency: spread over ranks 100 to ~4,000 between code and rare words.
const TECH_WORDS = (
  "version python file error code work set using need run time new same thing way data server should problem something try " +
  "package could other does see make first here think module function install test build config value list string path issue change " +
  "default question example output line because still know why each well want look help works release update option command script " +
  "library class object method return call import local database query table index user page request response header cache memory " +
  "disk network thread process window linux windows mac system kernel driver compile compiler flag warning message log debug trace " +
  "stack exception type variable argument parameter loop array map key field record row column schema migration backup restore deploy " +
  "container image volume port host domain certificate proxy socket timeout retry limit queue worker job task event handler callback " +
  "promise async await sync lock branch commit merge patch diff review upstream fork tag repository documentation manual tutorial guide " +
  "answer thanks please maybe probably actually really usually sometimes already instead fails broken fixed slow fast large small old " +
  "recent latest stable beta nightly official custom simple complex different similar specific general correct wrong missing empty " +
  "invalid valid read write open close start stop create delete remove add move copy rename check parse format encode decode send " +
  "receive connect load save share store fetch push pull sort filter search match regex unicode encoding locale timezone date number " +
  "integer float boolean null pointer reference leak garbage collector benchmark profile performance latency throughput bottleneck " +
  "account password login session token permission group admin support feature request bug report crash segfault panic hang freeze " +
  "upgrade downgrade dependency conflict resolve environment variable shell terminal editor plugin extension theme font layout render " +
  "browser client api endpoint payload json yaml xml csv binary source target release notes changelog license mailing list thread reply"
).split(" ");

const NOUNS = ["user", "config", "file", "path", "node", "item", "buffer", "stream", "socket", "client", "server", "request", "token", "cache", "index", "entry", "handler", "worker", "queue", "event", "session", "record", "field", "value", "schema", "table", "row", "query", "result", "error", "state", "context", "module", "plugin", "thread", "task", "job", "lock", "map", "list"];
const VERBS = ["get", "set", "parse", "load", "save", "read", "write", "open", "close", "init", "create", "delete", "update", "find", "build", "make", "handle", "resolve", "fetch", "send", "check", "validate", "encode", "decode", "flush", "reset", "start", "stop"];
const SUFFIXES = ["", "", "", "Impl", "Factory", "Manager", "Service", "Async", "Sync", "Error", "Options", "Handler", "Id", "Count", "Size", "List"];

/** Made-up words of 2 to 4 syllables, unique (names, jargon, project names). */
function madeUpWords(random: Random, count: number): string[] {
  const onsets = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "z", "br", "st", "tr", "ch", "sh", "gr", "pl", "kr"];
  const vowels = ["a", "e", "i", "o", "u", "ai", "ou", "y"];
  const codas = ["", "", "", "n", "r", "s", "l", "x", "nd", "rk"];
  const words = new Set<string>();
  while (words.size < count) {
    const syllables = 2 + random.int(3);
    let word = "";
    for (let i = 0; i < syllables; i += 1) word += onsets[random.int(onsets.length)]! + vowels[random.int(vowels.length)]! + codas[random.int(codas.length)]!;
    words.add(word);
  }
  return [...words];
}

/** Identifiers as they appear in code and logs: camelCase and PascalCase names, error codes, hex numbers. */
function codeWords(random: Random, count: number): string[] {
  const words = new Set<string>();
  const cap = (w: string) => w[0]!.toUpperCase() + w.slice(1);
  while (words.size < count) {
    const kind = random.next();
    const noun = NOUNS[random.int(NOUNS.length)]!;
    const other = NOUNS[random.int(NOUNS.length)]!;
    if (kind < 0.55) words.add(`${VERBS[random.int(VERBS.length)]!}${cap(noun)}${random.chance(0.4) ? cap(other) : ""}${SUFFIXES[random.int(SUFFIXES.length)]!}`);
    else if (kind < 0.8) words.add(`${cap(noun)}${cap(other)}${SUFFIXES[random.int(SUFFIXES.length)]!}`);
    else if (kind < 0.9) words.add(`E${1000 + random.int(9000)}`);
    else words.add(`0x${random.int(0xffffff).toString(16)}`);
  }
  return [...words];
}

/**
 * Draws ranks 0..n-1 with weight 1/(rank+offset)^exponent exactly: a 64 Ki-slot table finds
 * the neighbourhood, a short walk over the cumulative weights finds the rank, so the long
 * tail is drawn as often as it should be.
 */
function zipf(count: number, exponent: number, offset: number) {
  const cumulative = new Float64Array(count);
  let sum = 0;
  for (let rank = 0; rank < count; rank += 1) cumulative[rank] = sum += 1 / (rank + offset) ** exponent;
  for (let rank = 0; rank < count; rank += 1) cumulative[rank]! /= sum;
  cumulative[count - 1] = 1;
  const size = 1 << 16;
  const start = new Uint32Array(size);
  let rank = 0;
  for (let slot = 0; slot < size; slot += 1) {
    while (cumulative[rank]! < slot / size) rank += 1;
    start[slot] = rank;
  }
  return (random: Random) => {
    const u = random.next();
    let rank = start[(u * size) | 0]!;
    while (cumulative[rank]! < u) rank += 1;
    return rank;
  };
}

type Generator = {
  next: (n: number) => SearchDocument;
  /** Word pairs seen in generated bodies, for phrase queries. */
  bigrams: string[][];
  /** The vocabulary by rank (0 is the most common). */
  vocabulary: string[];
  tail: string[];
};

function createGenerator(seed: number): Generator {
  const random = createRandom(seed);
  const tail = madeUpWords(random, TAIL_WORDS);
  const code = codeWords(random, CODE_WORDS);
  const vocabulary: string[] = [...FUNCTION_WORDS];
  const tech = [...new Set(TECH_WORDS)].filter((word) => !FUNCTION_WORDS.includes(word));
  let t = 0;
  let c = 0;
  let m = 0;
  while (t < tech.length || c < code.length || m < tail.length) {
    const rank = vocabulary.length;
    if (t < tech.length && rank >= 100 && (rank - 100) % 10 === 0) vocabulary.push(tech[t++]!);
    else if (c < code.length && (rank % 4 === 0 || m >= tail.length)) vocabulary.push(code[c++]!);
    else if (m < tail.length) vocabulary.push(tail[m++]!);
    else vocabulary.push(tech[t++]!);
  }
  const pick = zipf(vocabulary.length, 1.0, 2.7);
  const bigrams: string[][] = [];
  const now = Date.UTC(2025, 0, 1);

  const sentence = (words: number) => {
    let text = vocabulary[pick(random)]!;
    text = text[0]!.toUpperCase() + text.slice(1);
    for (let i = 1; i < words; i += 1) {
      text += ` ${vocabulary[pick(random)]!}`;
      if (random.chance(0.04)) text += ",";
    }
    return text + (random.chance(0.15) ? "?" : ".");
  };
  const codeLine = () => {
    const name = code[random.int(2_000)]!;
    const file = `${NOUNS[random.int(NOUNS.length)]!}/${NOUNS[random.int(NOUNS.length)]!}.${random.chance(0.5) ? "ts" : "py"}`;
    return random.chance(0.5) ? `    at ${name} (src/${file}:${1 + random.int(400)}:${1 + random.int(80)})` : `    ${name}(${vocabulary[pick(random)]!}, ${random.int(1000)})`;
  };
  const text = (words: number) => {
    const paragraphs: string[] = [];
    let remaining = words;
    while (remaining > 0) {
      if (random.chance(0.08)) {
        const lines = Array.from({ length: 1 + random.int(6) }, codeLine);
        paragraphs.push(lines.join("\n"));
        remaining -= lines.length * 4;
        continue;
      }
      let paragraph = "";
      const target = Math.min(remaining, 20 + random.int(80));
      let written = 0;
      while (written < target) {
        const n = Math.min(target - written, 4 + random.int(16));
        paragraph += (written ? " " : "") + sentence(n);
        written += n;
      }
      paragraphs.push(paragraph);
      remaining -= written;
    }
    const result = paragraphs.join("\n\n");
    if (bigrams.length < 2_000 && random.chance(0.01)) {
      const tokens = tokenizeWords(result);
      const at = random.int(Math.max(1, tokens.length - 1));
      if (tokens.length > 2) bigrams.push([tokens[at]!, tokens[at + 1]!]);
    }
    return result;
  };
  const bodyWords = () => Math.min(4_000, Math.max(5, Math.round(random.logNormal(5.5, 0.7))));
  const titleOf = () => sentence(3 + random.int(8)).slice(0, -1).slice(0, 150);

  return {
    tail,
    vocabulary,
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
          body: text(bodyWords()),
          quoted: random.chance(0.6) ? text(Math.round(random.logNormal(4.3, 0.6))) : "",
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
          body: text(bodyWords()),
          quoted: random.chance(0.1) ? text(10 + random.int(40)) : "",
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
        body: text(5 + random.int(40)),
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

/** A request as the search page sends it: 20 hits, facets on. */
const page = (overrides: Partial<SearchRequest>): SearchRequest => ({ terms: [], phrases: [], excludeTerms: [], excludePhrases: [], limit: 20, facets: true, ...overrides });

/** A one-letter substitution (not on the first letter) that makes a word the vocabulary does not have. */
function misspell(word: string, known: Set<string>): string | null {
  for (let at = 2; at < word.length; at += 1) {
    for (const letter of "eaoiu") {
      const typo = word.slice(0, at) + letter + word.slice(at + 1);
      if (typo !== word && !known.has(typo)) return typo;
    }
  }
  return null;
}

const COMMON = ["error", "python", "server", "install", "database", "memory", "version", "config", "network", "release"];

function shapes(generator: Generator, random: Random): Shape[] {
  const vocabulary = generator.vocabulary;
  const lettersOnly = (word: string) => /^[a-z]+$/.test(word);
  // Rare words: ranks 20,000 to 60,000, a few hundred documents each at 1M.
  const rare = Array.from({ length: 60 }, () => vocabulary[20_000 + random.int(40_000)]!.toLowerCase());
  const known = new Set(vocabulary.map((word) => word.toLowerCase()));
  // Misspellings of words people look up: ranks 100 to 20,000 (common technical words down to rare names).
  const typos = Array.from({ length: 400 }, () => vocabulary[100 + random.int(19_900)]!.toLowerCase())
    .filter((word) => lettersOnly(word) && word.length >= 6)
    .map((word) => misspell(word, known))
    .filter((word): word is string => word !== null)
    .slice(0, 60);
  const cycle = <T>(items: T[], make: (item: T, i: number) => SearchRequest) => Array.from({ length: QUERIES_PER_SHAPE }, (_, i) => make(items[i % items.length]!, i));
  const list = (i: number) => `list:${LISTS[i % LISTS.length]}`;
  return [
    { name: "One common word", example: "error", requests: cycle(COMMON, (word) => page({ terms: [word] })) },
    { name: "One rare word", example: rare[0]!, requests: cycle(rare, (word) => page({ terms: [word] })) },
    {
      name: "Two words (AND)",
      example: "python error",
      requests: cycle(COMMON, (word, i) => page({ terms: [COMMON[(i * 3 + 1) % COMMON.length]!, word] })),
    },
    { name: "Phrase", example: `"${generator.bigrams[0]?.join(" ")}"`, requests: cycle(generator.bigrams, (pair) => page({ phrases: [pair] })) },
    { name: "Prefix, 3 letters", example: "ser…", requests: cycle(COMMON, (word) => page({ terms: [word.slice(0, 3)], prefixLast: true })) },
    {
      name: "Typing (word + prefix)",
      example: "python ser…",
      requests: cycle(COMMON, (word, i) => page({ terms: [COMMON[(i + 3) % COMMON.length]!, word.slice(0, 3)], prefixLast: true })),
    },
    { name: "Misspelled word", example: typos[0] ?? "", requests: cycle(typos, (word) => page({ terms: [word] })) },
    {
      name: "Filtered (list, after)",
      example: "error list:list0 after:2020",
      requests: cycle(COMMON, (word, i) => page({ terms: [word], filters: { places: [list(i)], after: Date.UTC(2020, 0, 1) } })),
    },
    {
      name: "Filtered (type, before)",
      example: "error in:forums before:2019",
      requests: cycle(COMMON, (word) => page({ terms: [word], filters: { types: ["post"], before: Date.UTC(2019, 0, 1) } })),
    },
    { name: "Filters only", example: "list:list0", requests: cycle(LISTS, (_, i) => page({ filters: { places: [list(i)] } })) },
    { name: "Newest first, common word", example: "error, sort by date", requests: cycle(COMMON, (word) => page({ terms: [word], sort: "date" })) },
    { name: "Common word, facets off", example: "error (no facets)", requests: cycle(COMMON, (word) => page({ terms: [word], facets: false })) },
  ];
}

/** The baseline: a plain FTS5 table with the same four columns, the documents' own text, no prefix index. */
function openBare(file: string): { db: Database.Database; insert: (documents: SearchDocument[]) => void } {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE VIRTUAL TABLE fts USING fts5 (title, body, author, quoted)");
  const statement = db.prepare("INSERT INTO fts (title, body, author, quoted) VALUES (?, ?, ?, ?)");
  const insert = db.transaction((documents: SearchDocument[]) => {
    for (const document of documents) statement.run(document.title, document.body, document.author, document.quoted);
  });
  return { db, insert };
}

const fileSize = (file: string) => [file, `${file}-wal`].reduce((sum, name) => sum + (fs.existsSync(name) ? fs.statSync(name).size : 0), 0);
const load = () => os.loadavg().map((value) => value.toFixed(1)).join(" / ");

async function run(context: BenchContext): Promise<BenchReport> {
  const documents = Number(process.env.SEARCH_BENCH_DOCS ?? DEFAULT_DOCUMENTS);
  if (!Number.isInteger(documents) || documents < 1_000) throw new Error(`SEARCH_BENCH_DOCS must be a whole number of at least 1000, not "${process.env.SEARCH_BENCH_DOCS}".`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-bench-search-"));
  const file = path.join(dir, "search.sqlite");
  const bareFile = path.join(dir, "bare.sqlite");
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  context.onCleanup(remove);
  let engine: SearchEngine | null = createEmbeddedEngine({ file });
  let bare: ReturnType<typeof openBare> | null = openBare(bareFile);
  context.onCleanup(() => engine?.close());
  context.onCleanup(() => {
    bare?.db.close();
  });
  const generator = createGenerator(20261130);
  const loads: string[] = [`before indexing ${load()}`];
  const started = performance.now();
  try {
    await engine.init();
    context.log(`Indexing ${documents.toLocaleString("en")} documents into ${file} (and a bare FTS5 table beside it) in batches of ${BATCH}...`);
    let generateMs = 0;
    let indexMs = 0;
    let bareMs = 0;
    let bytes = 0;
    let peakRss = 0;
    for (let start = 0; start < documents; start += BATCH) {
      context.signal.throwIfAborted();
      const t0 = performance.now();
      const batch = Array.from({ length: Math.min(BATCH, documents - start) }, (_, i) => generator.next(start + i));
      for (const document of batch) bytes += Buffer.byteLength(document.title) + Buffer.byteLength(document.body) + Buffer.byteLength(document.quoted) + Buffer.byteLength(document.author);
      // Engine and baseline take turns batch by batch, so both see the same machine load.
      const t1 = performance.now();
      await engine.index(batch);
      const t2 = performance.now();
      bare.insert(batch);
      const t3 = performance.now();
      generateMs += t1 - t0;
      indexMs += t2 - t1;
      bareMs += t3 - t2;
      if ((start / BATCH) % 50 === 49) {
        peakRss = Math.max(peakRss, process.memoryUsage.rss());
        const done = start + BATCH;
        context.log(`  ${done.toLocaleString("en")} documents: engine ${(done / (indexMs / 1000)).toFixed(0)} docs/s, bare FTS5 ${(done / (bareMs / 1000)).toFixed(0)} docs/s, load ${load()}`);
      }
    }
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    const stats = await engine.stats();
    await engine.close();
    bare.db.pragma("wal_checkpoint(TRUNCATE)");
    bare.db.close();
    bare = null;
    const engineSize = fileSize(file);
    const bareSize = fileSize(bareFile);
    loads.push(`after indexing ${load()}`);

    // Queries come from a fresh engine, as a web server that just started would see them.
    engine = createEmbeddedEngine({ file });
    const random = createRandom(7);
    const measured: Array<{ shape: Shape; latencies: Float64Array; meanTotal: number; capped: number; first: number }> = [];
    const perShapeMs = (context.options.durationSeconds * 1000) / 2;
    for (const shape of shapes(generator, random)) {
      context.signal.throwIfAborted();
      const latencies: number[] = [];
      let totals = 0;
      let capped = 0;
      const shapeStarted = performance.now();
      for (const request of shape.requests) {
        const t0 = performance.now();
        const response = await engine.search(request);
        latencies.push(performance.now() - t0);
        totals += response.total;
        if ((response as { totalCapped?: boolean }).totalCapped) capped += 1;
        if (performance.now() - shapeStarted > perShapeMs && latencies.length >= 20) break;
      }
      const first = latencies[0]!;
      const sorted = Float64Array.from(latencies).sort();
      measured.push({ shape, latencies: sorted, meanTotal: totals / latencies.length, capped: capped / latencies.length, first });
      context.log(`${shape.name}: p50 ${formatMs(percentile(sorted, 50))} ms, p95 ${formatMs(percentile(sorted, 95))} ms, p99 ${formatMs(percentile(sorted, 99))} ms over ${latencies.length} queries`);
    }
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    await engine.close();
    engine = null;
    loads.push(`after the queries ${load()}`);

    const mib = (value: number) => `${(value / 1024 / 1024).toFixed(0)} MiB`;
    const rate = documents / (indexMs / 1000);
    const bareRate = documents / (bareMs / 1000);
    const ratio = rate / bareRate;
    const verdict = (ok: boolean) => (ok ? "met" : "MISSED");
    const misses = measured.filter(({ latencies }) => percentile(latencies, 95) >= P95_GOAL_MS || percentile(latencies, 99) >= P99_GOAL_MS);
    return {
      settings: [
        `${documents.toLocaleString("en")} generated documents (55% archived mail with quoted text, 35% forum posts, 10% chat), ` +
          `${(bytes / documents / 1024).toFixed(1)} KB of text each on average, words Zipf-distributed over ${generator.vocabulary.length.toLocaleString("en")} ` +
          `English, code and made-up words; set with SEARCH_BENCH_DOCS (default ${DEFAULT_DOCUMENTS.toLocaleString("en")}; the goal is stated for 1000000).`,
        `Indexing: engine.index() in batches of ${BATCH}, one transaction each, into a new file in the temporary folder; after each batch the same ` +
          `documents go into a bare FTS5 table (four columns, default tokenizer, no prefix index, same WAL and synchronous=FULL settings, one transaction per batch) in another file. ` +
          `Document generation is not timed.`,
        `Queries: a fresh engine on the built file (so the first misspelled word loads the vocabulary), 20 hits and facets on as the search page asks, ` +
          `up to ${QUERIES_PER_SHAPE} queries per shape (fewer when a shape takes longer than half of --duration), cycling over different words; in-process, so no HTTP or rendering time.`,
        `Load average (1 / 5 / 15 min): ${loads.join("; ")}. On a busy machine every figure is slower than it would be alone.`,
      ],
      tables: [
        {
          columns: ["Documents", "Engine docs/s", "Bare FTS5 docs/s", "Ratio", "Goal ≥ 80%", "Engine file", "Bare FTS5 file", "Peak RSS"],
          rows: [
            [
              documents.toLocaleString("en"),
              rate.toFixed(0),
              bareRate.toFixed(0),
              `${(ratio * 100).toFixed(0)}%`,
              verdict(ratio >= BUILD_RATIO_GOAL),
              mib(stats.sizeBytes ?? engineSize),
              mib(bareSize),
              mib(peakRss),
            ],
          ],
        },
        {
          columns: ["Query shape", "Example", "Queries", "p50 ms", "p95 ms", "p99 ms", "First ms", "Mean total", "Capped", "p95 < 30, p99 < 100"],
          rows: measured.map(({ shape, latencies, meanTotal, capped, first }) => [
            shape.name,
            `\`${shape.example}\``,
            String(latencies.length),
            formatMs(percentile(latencies, 50)),
            formatMs(percentile(latencies, 95)),
            formatMs(percentile(latencies, 99)),
            formatMs(first),
            meanTotal.toFixed(0),
            `${(capped * 100).toFixed(0)}%`,
            verdict(percentile(latencies, 95) < P95_GOAL_MS && percentile(latencies, 99) < P99_GOAL_MS),
          ]),
        },
      ],
      notes: [
        // The harness prints notes but not settings: repeat what the figures need to be read.
        `${documents.toLocaleString("en")} documents of ${(bytes / documents / 1024).toFixed(1)} KB on average; load average (1 / 5 / 15 min) ${loads.join("; ")}.`,
        `Indexing took ${(indexMs / 1000).toFixed(0)} s in the engine and ${(bareMs / 1000).toFixed(0)} s in bare FTS5; generating the documents ${(generateMs / 1000).toFixed(0)} s; the whole run ${((performance.now() - started) / 1000).toFixed(0)} s.`,
        `Latency goals: ${misses.length === 0 ? "met by every shape" : `missed by ${misses.map(({ shape }) => shape.name).join(", ")}`}. Build-rate goal: ${verdict(ratio >= BUILD_RATIO_GOAL)} (${(ratio * 100).toFixed(0)}% of bare FTS5).`,
        `"Mean total" is the mean of response.total; "Capped" the share of responses whose total stopped at the engine's count limit (totalCapped: the page could show "1,000+").`,
        `"First ms" is the first query of the shape on a warm file cache: for "Misspelled word" it includes loading the vocabulary. Peak RSS includes the typo vocabulary and SQLite's page caches of both files.`,
      ],
    };
  } finally {
    await engine?.close();
    bare?.db.close();
    remove();
  }
}

export const search: Benchmark = {
  name: "search",
  title: "Embedded search engine",
  description:
    "Indexing rate against bare FTS5 inserts, index size and query latency (p50/p95/p99) of the embedded SQLite FTS5 engine on generated mail, forum and chat documents " +
    "of about 3 KB (200,000 by default, SEARCH_BENCH_DOCS=1000000 for the goal): common and rare words, two words, phrases, prefixes, typos, filters, facets on.",
  run,
};
