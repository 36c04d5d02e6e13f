// The embedded SQLite engine: the shared contract, then what only it
// promises (several processes on one file, rebuild bookkeeping, errors that
// say what is wrong with the file, typo correction at vocabulary scale).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { createEmbeddedEngine } from "../../search/embedded/engine";
import { COUNT_LIMIT, EXACT_DF } from "../../search/embedded/ranked";
import { LAYOUT_DATED } from "../../search/embedded/schema";
import { boundedDistance, Vocabulary } from "../../search/embedded/typos";
import { SearchUnavailableError, type SearchEngine } from "../../search/types";
import { describeSearchContract, makeDocument, request } from "./contract";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-search-"));
let cases = 0;
const freshFile = () => path.join(root, `case-${++cases}`, "search.sqlite");

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describeSearchContract("embedded", async () => createEmbeddedEngine({ file: freshFile() }));

describe("embedded engine", () => {
  const open: SearchEngine[] = [];
  const engineOn = async (file: string) => {
    const engine = createEmbeddedEngine({ file });
    open.push(engine);
    await engine.init();
    return engine;
  };
  afterEach(async () => {
    for (const engine of open.splice(0)) await engine.close();
  });
  const ids = async (engine: SearchEngine, terms: string[]) => (await engine.search(request({ terms, limit: 50 }))).hits.map((hit) => hit.document.id).sort();

  it("creates its folder and uses WAL so other processes can read while one writes", async () => {
    const file = freshFile();
    expect(fs.existsSync(path.dirname(file))).toBe(false);
    const engine = await engineOn(file);
    await engine.index([makeDocument({ id: "post:1" })]);
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    } finally {
      db.close();
    }
  });

  it("shares one file between engines: writes and a committed rebuild are seen by the other", async () => {
    const file = freshFile();
    const a = await engineOn(file);
    const b = await engineOn(file);
    await a.index([makeDocument({ id: "post:1", body: "marmalade" })]);
    expect(await ids(b, ["marmalade"])).toEqual(["post:1"]);
    // b learns the vocabulary (typo correction) before the switch...
    expect(await ids(b, ["marmelade"])).toEqual(["post:1"]);
    await b.remove(["post:1"]);
    expect(await ids(a, ["marmalade"])).toEqual([]);

    await a.index([makeDocument({ id: "post:2", body: "marmalade" })]);
    const rebuild = await a.beginRebuild();
    await rebuild.index([makeDocument({ id: "post:3", body: "chutney" })]);
    expect(await ids(b, ["marmalade"])).toEqual(["post:2"]);
    await rebuild.commit();
    // ...and after it, b answers from the new generation with its new vocabulary.
    expect(await ids(b, ["marmalade"])).toEqual([]);
    expect(await ids(b, ["chutney"])).toEqual(["post:3"]);
    expect(await ids(b, ["chutnee"])).toEqual(["post:3"]);
    expect(await b.count()).toBe(1);
  });

  it("keeps live writes made during a rebuild, and the rebuild's older copies never undo them", async () => {
    const engine = await engineOn(freshFile());
    await engine.index([makeDocument({ id: "post:1", body: "old" }), makeDocument({ id: "post:2", body: "doomed" })]);
    const rebuild = await engine.beginRebuild();
    await rebuild.index([makeDocument({ id: "post:3", body: "rebuilt" })]);
    // While the rebuild runs: a new document, an edit and a removal arrive live...
    await engine.index([makeDocument({ id: "post:4", body: "arrived" }), makeDocument({ id: "post:1", body: "edited" })]);
    await engine.remove(["post:2"]);
    // ...and the rebuild then sends what it read from the database before them.
    await rebuild.index([makeDocument({ id: "post:1", body: "old" }), makeDocument({ id: "post:2", body: "doomed" })]);
    await rebuild.commit();
    expect(await ids(engine, ["arrived"])).toEqual(["post:4"]);
    expect(await ids(engine, ["edited"])).toEqual(["post:1"]);
    expect(await ids(engine, ["old"])).toEqual([]);
    expect(await ids(engine, ["doomed"])).toEqual([]);
    expect(await ids(engine, ["rebuilt"])).toEqual(["post:3"]);
    expect(await engine.count()).toBe(3);
  });

  it("lets a new rebuild replace an unfinished one, which then fails clearly", async () => {
    const engine = await engineOn(freshFile());
    await engine.index([makeDocument({ id: "post:1", body: "live" })]);
    const abandoned = await engine.beginRebuild();
    await abandoned.index([makeDocument({ id: "post:2", body: "abandoned" })]);
    const rebuild = await engine.beginRebuild();
    await rebuild.index([makeDocument({ id: "post:3", body: "fresh" })]);
    await expect(abandoned.index([makeDocument({ id: "post:4" })])).rejects.toThrow(/is over/);
    await expect(abandoned.commit()).rejects.toThrow(/is over/);
    await rebuild.commit();
    expect(await ids(engine, ["fresh"])).toEqual(["post:3"]);
    expect(await ids(engine, ["abandoned"])).toEqual([]);
    await rebuild.abort(); // after commit: nothing to do
    expect(await ids(engine, ["fresh"])).toEqual(["post:3"]);
  });

  it("drops tables of generations left over by an interrupted switch when it starts", async () => {
    const file = freshFile();
    const engine = await engineOn(file);
    await engine.close();
    const db = new Database(file);
    db.exec("CREATE TABLE docs_7 (rowid INTEGER PRIMARY KEY); CREATE TABLE words_7 (id INTEGER PRIMARY KEY)");
    db.close();
    await engine.init();
    const check = new Database(file, { readonly: true });
    try {
      const tables = check.prepare("SELECT name FROM sqlite_schema WHERE name LIKE '%_7'").all();
      expect(tables).toEqual([]);
    } finally {
      check.close();
    }
  });

  it("reports a damaged file as unavailable, with what to do", async () => {
    const file = freshFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, Buffer.alloc(8192, "not a database "));
    const engine = createEmbeddedEngine({ file });
    open.push(engine);
    await expect(engine.init()).rejects.toBeInstanceOf(SearchUnavailableError);
    await expect(engine.search(request({ terms: ["x"] }))).rejects.toThrow(/damaged or is not a search index/);
    const health = await engine.health();
    expect(health.ok).toBe(false);
    expect(health.message).toContain(file);
  });

  it("reports a path it cannot create as unavailable", async () => {
    const blocker = path.join(root, `blocker-${++cases}`);
    fs.writeFileSync(blocker, "a file where a folder should be");
    const engine = createEmbeddedEngine({ file: path.join(blocker, "search.sqlite") });
    open.push(engine);
    await expect(engine.init()).rejects.toBeInstanceOf(SearchUnavailableError);
    await expect(engine.count()).rejects.toThrow(/folder exists/);
    expect(await engine.health()).toMatchObject({ ok: false });
  });

  it("releases the file on close and opens it again when used", async () => {
    const file = freshFile();
    const engine = await engineOn(file);
    await engine.index([makeDocument({ id: "post:1", body: "marmalade" })]);
    await engine.close();
    // Nothing holds the file: it can be replaced (as a restore from backup would).
    fs.renameSync(file, `${file}.moved`);
    fs.renameSync(`${file}.moved`, file);
    expect(await ids(engine, ["marmalade"])).toEqual(["post:1"]);
  });

  it("does not correct a word the index knows", async () => {
    const engine = await engineOn(freshFile());
    await engine.index([makeDocument({ id: "post:1", body: "kernel" }), makeDocument({ id: "post:2", body: "kennel" })]);
    expect(await ids(engine, ["kennel"])).toEqual(["post:2"]);
    expect(await ids(engine, ["kernal"])).toEqual(["post:1"]);
  });

  it("folds case and diacritics the same way for documents, queries and highlights", async () => {
    const engine = await engineOn(freshFile());
    await engine.index([makeDocument({ id: "post:1", title: "Élan of Größe", body: "a NAÏVE approach", fromKeys: ["José"], titleKeys: ["Élan", "Größe"] })]);
    expect(await ids(engine, ["elan"])).toEqual(["post:1"]);
    expect(await ids(engine, ["GROSSE"])).toEqual(["post:1"]);
    expect(await ids(engine, ["naïve"])).toEqual(["post:1"]);
    const response = await engine.search(request({ terms: ["elan", "naive"], filters: { from: ["jose"], subject: ["grosse"] } }));
    expect(response.hits[0]?.titleHtml).toBe("<mark>Élan</mark> of Größe");
    expect(response.hits[0]?.snippetHtml).toBe("a <mark>NAÏVE</mark> approach");
  });

  it("answers a request with no words and no filters with everything, newest first", async () => {
    const engine = await engineOn(freshFile());
    await engine.index([makeDocument({ id: "post:1", date: 1 }), makeDocument({ id: "post:2", date: 3 }), makeDocument({ id: "post:3", date: 2 })]);
    const response = await engine.search(request());
    expect(response.hits.map((hit) => hit.document.id)).toEqual(["post:2", "post:3", "post:1"]);
    expect(response.total).toBe(3);
  });

  it("answers a request whose words are only punctuation with nothing", async () => {
    const engine = await engineOn(freshFile());
    await engine.index([makeDocument({ id: "post:1" })]);
    expect((await engine.search(request({ terms: ["!!!"] }))).total).toBe(0);
  });
});

describe("embedded engine at scale (bounded ranking, date-ordered rowids)", () => {
  const open: SearchEngine[] = [];
  afterEach(async () => {
    for (const engine of open.splice(0)) await engine.close();
  });
  const engineOn = async (file: string) => {
    const engine = createEmbeddedEngine({ file });
    open.push(engine);
    await engine.init();
    return engine;
  };
  const DAY = 86_400_000;
  const BASE = Date.UTC(2024, 0, 1);

  it("ranks an old title match first among more matches than it ranks exactly, and filters, pages and counts them", async () => {
    const engine = await engineOn(freshFile());
    // More documents with the word than EXACT_DF, in no particular date order.
    const documents = Array.from({ length: EXACT_DF + 300 }, (_, i) =>
      makeDocument({
        id: `${i % 3 === 0 ? "mail" : "post"}:${i}`,
        title: "Weekly notes",
        body: `the common word ${i % 7 === 0 ? "kumquat" : "fig"}`,
        place: i % 3 === 0 ? "list:fruit" : "board:general",
        date: BASE + ((i * 7919) % 6000) * DAY,
      }),
    );
    documents.push(makeDocument({ id: "post:old", title: "Common questions", body: "answered", date: BASE - 900 * DAY }));
    for (let start = 0; start < documents.length; start += 1000) await engine.index(documents.slice(start, start + 1000));
    const total = documents.length;

    const response = await engine.search(request({ terms: ["common"], facets: true }));
    expect(response.hits[0]?.document.id).toBe("post:old");
    // Past COUNT_LIMIT matches, the count stops and says so; facets count the newest COUNT_LIMIT.
    expect(total).toBeGreaterThan(COUNT_LIMIT);
    expect(response.total).toBe(COUNT_LIMIT);
    expect((response as { totalCapped?: boolean }).totalCapped).toBe(true);
    expect(Object.values(response.facets!.type).reduce((a, b) => a + b, 0)).toBe(COUNT_LIMIT);
    const newestCounted = [...documents].sort((a, b) => b.date - a.date).slice(0, COUNT_LIMIT);
    expect(response.facets!.place["list:fruit"]).toBe(newestCounted.filter((d) => d.place === "list:fruit").length);

    // Newest first is date order, whatever order the documents came in.
    const newest = await engine.search(request({ terms: ["common"], sort: "date", limit: 5, offset: 3 }));
    const byDate = [...documents].sort((a, b) => b.date - a.date || 0);
    expect(newest.hits.map((hit) => hit.document.date)).toEqual(byDate.slice(3, 8).map((d) => d.date));

    // Filters: type and place (tags), dates (rowid ranges), and a second word.
    const after = BASE + 3000 * DAY;
    const before = BASE + 4000 * DAY;
    const expected = documents.filter((d) => d.place === "list:fruit" && d.date >= after && d.date < before && d.body.includes("kumquat"));
    const filtered = await engine.search(request({ terms: ["common", "kumquat"], filters: { places: ["list:fruit"], types: ["mail"], after, before }, limit: 100 }));
    expect(filtered.hits.map((hit) => hit.document.id).sort()).toEqual(expected.map((d) => d.id).sort());
    expect(filtered.total).toBe(expected.length);
    expect((filtered as { totalCapped?: boolean }).totalCapped).toBe(false);
    const browse = await engine.search(request({ filters: { places: ["list:fruit"], before }, limit: 3 }));
    const listed = documents.filter((d) => d.place === "list:fruit" && d.date < before).sort((a, b) => b.date - a.date);
    expect(browse.hits.map((hit) => hit.document.date)).toEqual(listed.slice(0, 3).map((d) => d.date));
    expect(browse.total).toBe(Math.min(listed.length, COUNT_LIMIT));
  });

  it("moves a document re-indexed with another date, and keeps date filters exact when thousands share a millisecond", async () => {
    const engine = await engineOn(freshFile());
    const same = Array.from({ length: 2_100 }, (_, i) => makeDocument({ id: `mail:${i}`, body: "undated", date: BASE }));
    await engine.index(same.slice(0, 1_000));
    await engine.index(same.slice(1_000));
    await engine.index([makeDocument({ id: "mail:later", body: "undated", date: BASE + 1 })]);
    const before = await engine.search(request({ terms: ["undated"], filters: { before: BASE + 1 }, limit: 1 }));
    expect(before.total).toBe(2_100);
    const after = await engine.search(request({ terms: ["undated"], filters: { after: BASE + 1 } }));
    expect(after.hits.map((hit) => hit.document.id)).toEqual(["mail:later"]);

    await engine.index([makeDocument({ id: "mail:5", body: "undated", date: BASE + 2 * DAY })]);
    const newest = await engine.search(request({ terms: ["undated"], sort: "date", limit: 2 }));
    expect(newest.hits.map((hit) => hit.document.id)).toEqual(["mail:5", "mail:later"]);
    expect(await engine.count()).toBe(2_101);
  });

  it("keeps answering from a generation written before rowids followed dates, and rebuilds into the new layout", async () => {
    const file = freshFile();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file);
    db.exec(`
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
      INSERT INTO meta VALUES ('schema', 1), ('live', 1), ('next', 2);
      CREATE TABLE docs_1 (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, type TEXT NOT NULL, place TEXT NOT NULL, date INTEGER NOT NULL, year INTEGER NOT NULL);
      CREATE TABLE data_1 (rowid INTEGER PRIMARY KEY, data TEXT NOT NULL);
      CREATE INDEX docs_1_date ON docs_1 (date);
      CREATE INDEX docs_1_type_date ON docs_1 (type, date);
      CREATE INDEX docs_1_place_date ON docs_1 (place, date);
      CREATE TABLE keys_1 (kind INTEGER NOT NULL, key TEXT NOT NULL, doc INTEGER NOT NULL, PRIMARY KEY (kind, key, doc)) WITHOUT ROWID;
      CREATE INDEX keys_1_doc ON keys_1 (doc);
      CREATE VIRTUAL TABLE fts_1 USING fts5 (title, body, author, quoted, content = '', contentless_delete = 1, tokenize = 'ascii', prefix = '2 3');
      CREATE TABLE words_1 (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE);
      CREATE TABLE touched_1 (id TEXT PRIMARY KEY) WITHOUT ROWID;
    `);
    db.close();
    const engine = await engineOn(file);
    await engine.index([makeDocument({ id: "post:1", body: "marmalade", date: BASE }), makeDocument({ id: "post:2", body: "marmalade toast", date: BASE + DAY })]);
    expect((await engine.search(request({ terms: ["marmalade"], filters: { after: BASE + 1 } }))).hits.map((hit) => hit.document.id)).toEqual(["post:2"]);
    expect((await engine.search(request({ terms: ["ma"], prefixLast: true, limit: 5 }))).total).toBe(2);
    const rebuild = await engine.beginRebuild();
    await rebuild.index([makeDocument({ id: "post:3", body: "marmalade", date: BASE })]);
    await rebuild.commit();
    expect((await engine.search(request({ terms: ["marmalade"], filters: { types: ["post"], after: BASE } }))).hits.map((hit) => hit.document.id)).toEqual(["post:3"]);
    const check = new Database(file, { readonly: true });
    try {
      expect(check.prepare("SELECT value FROM meta WHERE key = 'layout_2'").pluck().get()).toBe(LAYOUT_DATED);
    } finally {
      check.close();
    }
  });
});

describe("typo correction", () => {
  it("measures optimal-string-alignment distance within a bound", () => {
    expect(boundedDistance("kernel", "kernel", 1)).toBe(0);
    expect(boundedDistance("kernal", "kernel", 1)).toBe(1);
    expect(boundedDistance("kenrel", "kernel", 1)).toBe(1);
    expect(boundedDistance("kernl", "kernel", 1)).toBe(1);
    expect(boundedDistance("kurnal", "kernel", 1)).toBe(-1);
    expect(boundedDistance("kurnal", "kernel", 2)).toBe(2);
    expect(boundedDistance("documantasion", "documentation", 2)).toBe(2);
    expect(boundedDistance("dokumantasion", "documentation", 2)).toBe(-1);
    expect(boundedDistance("abc", "abcdef", 2)).toBe(-1);
  });

  it("corrects against a vocabulary of 300,000 words in milliseconds", () => {
    const vocabulary = new Vocabulary();
    let seed = 42;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const letters = "abcdefghijklmnopqrstuvwxyz";
    for (let i = 0; vocabulary.size < 300_000; i += 1) {
      const length = 4 + Math.floor(random() * 10);
      let word = "";
      for (let j = 0; j < length; j += 1) word += letters[Math.floor(random() * 26)];
      vocabulary.add(word, i + 1);
    }
    vocabulary.add("configuration", 400_000);
    vocabulary.add("kernel", 400_001);
    const started = performance.now();
    expect(vocabulary.correct("configurasion")).toContain("configuration");
    expect(vocabulary.correct("kernal")).toContain("kernel");
    for (let i = 0; i < 20; i += 1) vocabulary.correct(`zqxwv${letters[i]}ab`);
    const perWord = (performance.now() - started) / 22;
    expect(perWord).toBeLessThan(50);
    expect(vocabulary.correct("kern")).toEqual([]);
  });

  it("finds every word within the allowed edits (the letter-set shortcut loses none)", () => {
    const vocabulary = new Vocabulary();
    const words: string[] = [];
    let seed = 9;
    const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    for (let i = 0; words.length < 20_000; i += 1) {
      const word = Array.from({ length: 5 + Math.floor(random() * 6) }, () => "abcdeéfg"[Math.floor(random() * 8)]).join("");
      if (!vocabulary.has(word)) {
        vocabulary.add(word, i + 1);
        words.push(word);
      }
    }
    for (const query of ["abcdefg", "gfedcba", "aéaéaé", "ccccccccc", "badcfeh", "abcdefghij"]) {
      if (vocabulary.has(query)) continue;
      const max = query.length >= 9 ? 2 : 1;
      const expected = words.filter((word) => boundedDistance(query, word, max) > 0).sort();
      const found = vocabulary.correct(query);
      if (expected.length <= 24) expect([...found].sort()).toEqual(expected);
      else expect(found).toHaveLength(24);
    }
  });
});
