// The tables of one index generation, and the meta table that names the live
// generation (and the one being built, if any). See engine.ts for why there
// are generations at all.
import type Database from "better-sqlite3";

export const SCHEMA_VERSION = 1;

/** BM25 column weights, in the order of the FTS columns: title, body, author, quoted (and tags, never ranked). */
export const COLUMN_WEIGHTS = [8, 2, 1.5, 0.5, 0] as const;

/** The FTS columns a reader's words are matched in (tags hold filter keys only). */
export const TEXT_COLUMNS = "{title body author quoted}";

/**
 * Generation layouts. 1: rowids in insertion order, four FTS columns.
 * 2 (every generation created since): rowids in date order (see rowidBase),
 * a tags column holding the type and place as words, and each document's
 * length in words in docs.len, which the bounded ranking of search.ts needs.
 * A file written by an older version keeps answering from its layout-1
 * generation (exactly, as it always did) until the next rebuild.
 */
export const LAYOUT_DATED = 2;

/** Rowids per millisecond: documents sharing a millisecond get consecutive rowids. */
export const ROWIDS_PER_MS = 2048;
/** Dates are clamped to ±2^42 ms (years 1831 to 2109) so that rowids stay exact in a JS number. */
const MAX_RANK_MS = 2 ** 42 - 1;

/**
 * The first rowid of a document dated `date` (epoch ms) in a layout-2
 * generation: rowid order is date order, so "newest first" is a backwards
 * walk of any index or doclist, and a date range is a rowid range.
 */
export function rowidBase(date: number): number {
  const ms = Math.max(-MAX_RANK_MS, Math.min(MAX_RANK_MS, Math.floor(date)));
  return ms * ROWIDS_PER_MS;
}

/** The filter words of the tags column: they hold only [a-z0-9], so the ascii tokenizer keeps each whole. */
export const typeTag = (type: string) => `t${Buffer.from(type).toString("hex")}`;
export const placeTag = (place: string) => `p${Buffer.from(place.toLowerCase()).toString("hex")}`;

export const KEY_FROM = 0;
export const KEY_SUBJECT = 1;

export type GenerationTables = { docs: string; data: string; fts: string; keys: string; words: string; touched: string };

export function tablesOf(gen: number): GenerationTables {
  if (!Number.isInteger(gen) || gen < 1) throw new Error(`Bad search index generation ${gen}`);
  return { docs: `docs_${gen}`, data: `data_${gen}`, fts: `fts_${gen}`, keys: `keys_${gen}`, words: `words_${gen}`, touched: `touched_${gen}` };
}

export function createMeta(db: Database.Database): void {
  db.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID");
}

/**
 * docs: the columns filters and ranking use, kept narrow (about 40 bytes a
 * row) because a search reads one row per candidate; on layout 2 the rowid
 * is the date order, so indexes on type and place alone make "newest first
 * within a list" an index walk (layout 1 indexes date, and type and place
 * followed by date). data: the stored document as JSON, read only for the
 * page of hits. keys: the exact from:/subject: keys (kind, key, doc), the
 * primary key answering a filter and the doc index serving deletions.
 * fts: contentless FTS5 over pre-split words (the 'ascii' tokenizer only
 * splits on the spaces tokenizeWords joined them with), with a prefix index
 * for 3 letters (2 and 3 on layout 1) so search-as-you-type stays fast, and
 * on layout 2 a tags column with the type and place as words (typeTag,
 * placeTag) for filters. words: the vocabulary for typo correction
 * (append-only). touched: ids written by live index()/remove() calls while
 * this generation was being built, which the rebuild must not overwrite
 * with what it read earlier. A new generation is created in the current
 * layout and says so in meta (layout_<gen>); existing tables keep theirs.
 */
export function createGeneration(db: Database.Database, gen: number): void {
  const t = tablesOf(gen);
  const exists = db.prepare("SELECT 1 FROM sqlite_schema WHERE name = ?").pluck().get(t.docs) !== undefined;
  if (exists) {
    createTables(db, t, readLayout(db, gen));
    return;
  }
  createTables(db, t, LAYOUT_DATED);
  writeMeta(db, `layout_${gen}`, LAYOUT_DATED);
}

function createTables(db: Database.Database, t: GenerationTables, layout: number): void {
  if (layout >= LAYOUT_DATED) {
    // Rowids follow dates, so the rowid is also the date index; type and place are in the tags column too.
    db.exec(`
    CREATE TABLE IF NOT EXISTS ${t.docs} (
      rowid INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      place TEXT NOT NULL,
      date INTEGER NOT NULL,
      year INTEGER NOT NULL,
      len INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${t.data} (rowid INTEGER PRIMARY KEY, data TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS ${t.docs}_place ON ${t.docs} (place);
    CREATE INDEX IF NOT EXISTS ${t.docs}_type ON ${t.docs} (type);
    CREATE TABLE IF NOT EXISTS ${t.keys} (
      kind INTEGER NOT NULL,
      key TEXT NOT NULL,
      doc INTEGER NOT NULL,
      PRIMARY KEY (kind, key, doc)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${t.keys}_doc ON ${t.keys} (doc);
    CREATE VIRTUAL TABLE IF NOT EXISTS ${t.fts} USING fts5 (
      title, body, author, quoted, tags,
      content = '', contentless_delete = 1, tokenize = 'ascii', prefix = '3'
    );
    CREATE TABLE IF NOT EXISTS ${t.words} (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE);
    CREATE TABLE IF NOT EXISTS ${t.touched} (id TEXT PRIMARY KEY) WITHOUT ROWID;
  `);
    return;
  }
  db.exec(`
    CREATE TABLE IF NOT EXISTS ${t.docs} (
      rowid INTEGER PRIMARY KEY,
      id TEXT NOT NULL UNIQUE,
      type TEXT NOT NULL,
      place TEXT NOT NULL,
      date INTEGER NOT NULL,
      year INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS ${t.data} (rowid INTEGER PRIMARY KEY, data TEXT NOT NULL);
    CREATE INDEX IF NOT EXISTS ${t.docs}_date ON ${t.docs} (date);
    CREATE INDEX IF NOT EXISTS ${t.docs}_type_date ON ${t.docs} (type, date);
    CREATE INDEX IF NOT EXISTS ${t.docs}_place_date ON ${t.docs} (place, date);
    CREATE TABLE IF NOT EXISTS ${t.keys} (
      kind INTEGER NOT NULL,
      key TEXT NOT NULL,
      doc INTEGER NOT NULL,
      PRIMARY KEY (kind, key, doc)
    ) WITHOUT ROWID;
    CREATE INDEX IF NOT EXISTS ${t.keys}_doc ON ${t.keys} (doc);
    CREATE VIRTUAL TABLE IF NOT EXISTS ${t.fts} USING fts5 (
      title, body, author, quoted,
      content = '', contentless_delete = 1, tokenize = 'ascii', prefix = '2 3'
    );
    CREATE TABLE IF NOT EXISTS ${t.words} (id INTEGER PRIMARY KEY, word TEXT NOT NULL UNIQUE);
    CREATE TABLE IF NOT EXISTS ${t.touched} (id TEXT PRIMARY KEY) WITHOUT ROWID;
  `);
}

export function dropGeneration(db: Database.Database, gen: number): void {
  const t = tablesOf(gen);
  db.exec(`
    DROP TABLE IF EXISTS ${t.fts};
    DROP TABLE IF EXISTS ${t.docs};
    DROP TABLE IF EXISTS ${t.data};
    DROP TABLE IF EXISTS ${t.keys};
    DROP TABLE IF EXISTS ${t.words};
    DROP TABLE IF EXISTS ${t.touched};
  `);
  writeMeta(db, `layout_${gen}`, null);
  writeMeta(db, `spilled_${gen}`, null);
}

/** A generation's layout: LAYOUT_DATED, or 1 for generations written before layouts were recorded. */
export function readLayout(db: Database.Database, gen: number): number {
  return (db.prepare("SELECT value FROM meta WHERE key = ?").pluck().get(`layout_${gen}`) as number | undefined) ?? 1;
}

export type MetaState = {
  live: number;
  building: number | null;
  next: number;
  /** Layout of each generation (LAYOUT_DATED or 1). */
  layouts: Map<number, number>;
  /** Generations where more than ROWIDS_PER_MS documents shared a millisecond, so some rowids sit past their date. */
  spilled: Set<number>;
};

export function readMeta(db: Database.Database): MetaState | null {
  const rows = db.prepare("SELECT key, value FROM meta").all() as Array<{ key: string; value: number }>;
  const values = new Map(rows.map((row) => [row.key, row.value]));
  const live = values.get("live");
  if (live === undefined) return null;
  const layouts = new Map<number, number>();
  const spilled = new Set<number>();
  for (const [key, value] of values) {
    if (key.startsWith("layout_")) layouts.set(Number(key.slice(7)), value);
    else if (key.startsWith("spilled_")) spilled.add(Number(key.slice(8)));
  }
  return { live, building: values.get("building") ?? null, next: values.get("next") ?? live + 1, layouts, spilled };
}

type MetaKey = "live" | "building" | "next" | "schema" | `layout_${number}` | `spilled_${number}`;

export function writeMeta(db: Database.Database, key: MetaKey, value: number | null): void {
  if (value === null) db.prepare("DELETE FROM meta WHERE key = ?").run(key);
  else db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
}

/** Generations that exist in the file: from the names of their docs tables. */
export function existingGenerations(db: Database.Database): number[] {
  const rows = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB 'docs_[0-9]*'").all() as Array<{ name: string }>;
  return rows.map((row) => Number(row.name.slice(5))).filter((gen) => Number.isInteger(gen) && gen > 0);
}
