// The tables of one index generation, and the meta table that names the live
// generation (and the one being built, if any). See engine.ts for why there
// are generations at all.
import type Database from "better-sqlite3";

export const SCHEMA_VERSION = 1;

/** BM25 column weights, in the order of the FTS columns: title, body, author, quoted. */
export const COLUMN_WEIGHTS = [8, 2, 1.5, 0.5] as const;

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
 * docs: the columns filters and ranking use, indexed by date alone and
 * behind type and place, so "newest first within a list" is an index walk;
 * kept narrow (about 40 bytes a row) because a search reads one row per
 * match. data: the stored document as JSON, read only for the page of hits. keys: the exact from:/subject: keys (kind, key, doc), the
 * primary key answering a filter and the doc index serving deletions.
 * fts: contentless FTS5 over pre-split words (the 'ascii' tokenizer only
 * splits on the spaces tokenizeWords joined them with), with prefix indexes
 * for 2 and 3 letters so search-as-you-type stays fast. words: the
 * vocabulary for typo correction (append-only). touched: ids written by
 * live index()/remove() calls while this generation was being built, which
 * the rebuild must not overwrite with what it read earlier.
 */
export function createGeneration(db: Database.Database, gen: number): void {
  const t = tablesOf(gen);
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
}

export type MetaState = { live: number; building: number | null; next: number };

export function readMeta(db: Database.Database): MetaState | null {
  const rows = db.prepare("SELECT key, value FROM meta").all() as Array<{ key: string; value: number }>;
  const values = new Map(rows.map((row) => [row.key, row.value]));
  const live = values.get("live");
  if (live === undefined) return null;
  return { live, building: values.get("building") ?? null, next: values.get("next") ?? live + 1 };
}

export function writeMeta(db: Database.Database, key: "live" | "building" | "next" | "schema", value: number | null): void {
  if (value === null) db.prepare("DELETE FROM meta WHERE key = ?").run(key);
  else db.prepare("INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(key, value);
}

/** Generations that exist in the file: from the names of their docs tables. */
export function existingGenerations(db: Database.Database): number[] {
  const rows = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name GLOB 'docs_[0-9]*'").all() as Array<{ name: string }>;
  return rows.map((row) => Number(row.name.slice(5))).filter((gen) => Number.isInteger(gen) && gen > 0);
}
