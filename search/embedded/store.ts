// Reads and writes of one index generation on an open connection. Callers
// (engine.ts) run these inside a transaction that first read the meta table,
// so a generation switch by another process is seen on the next call.
import type Database from "better-sqlite3";
import { SEARCH_DOC_TYPES, type SearchDocument } from "../types";
import { normalizeKey, tokenizeWords } from "../query";
import { KEY_FROM, KEY_SUBJECT, LAYOUT_DATED, placeTag, ROWIDS_PER_MS, rowidBase, tablesOf, typeTag, writeMeta } from "./schema";
import { isVocabularyWord, VOCABULARY_MIN_LENGTH, Vocabulary } from "./typos";

/** One connection's prepared statements (by SQL text) and vocabularies (by generation). */
export class Store {
  private statements = new Map<string, Database.Statement>();
  private vocabularies = new Map<number, Vocabulary>();
  /** Estimated document frequencies of query words, by generation and MATCH group (ranked.ts). */
  readonly frequencies = new Map<string, { df: number; exact: boolean; documents: number }>();

  constructor(readonly db: Database.Database) {}

  prepare(sql: string): Database.Statement {
    let statement = this.statements.get(sql);
    if (!statement) {
      if (this.statements.size > 500) this.statements.clear();
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  /** Forgets statements and vocabularies of generations other than these (dropped or never used again). */
  keepOnly(gens: number[]): void {
    for (const gen of [...this.vocabularies.keys()]) {
      if (!gens.includes(gen)) {
        this.vocabularies.delete(gen);
        this.statements.clear();
        this.frequencies.clear();
      }
    }
  }

  /** The generation's vocabulary, caught up with rows other processes appended. */
  vocabulary(gen: number): Vocabulary {
    let vocabulary = this.vocabularies.get(gen);
    if (!vocabulary) this.vocabularies.set(gen, (vocabulary = new Vocabulary()));
    const rows = this.prepare(`SELECT id, word FROM ${tablesOf(gen).words} WHERE id > ? ORDER BY id`).raw().all(vocabulary.lastId) as Array<[number, string]>;
    for (const [id, word] of rows) vocabulary.add(word, id);
    return vocabulary;
  }

  /**
   * Adds or replaces documents in a generation. `skipTouched`: leave ids a live write already set (a rebuild's stale copy).
   * `layout`: the generation's layout (schema.ts); layout 2 places each document at a rowid that follows its date.
   */
  write(gen: number, documents: SearchDocument[], options: { skipTouched?: boolean; markTouched?: boolean; layout?: number } = {}): void {
    const t = tablesOf(gen);
    const dated = (options.layout ?? 1) >= LAYOUT_DATED;
    const vocabulary = this.vocabulary(gen);
    const find = this.prepare(`SELECT rowid, date FROM ${t.docs} WHERE id = ?`).raw();
    const touched = this.prepare(`SELECT 1 FROM ${t.touched} WHERE id = ?`).pluck();
    const touch = this.prepare(`INSERT OR IGNORE INTO ${t.touched} (id) VALUES (?)`);
    const deleteFts = this.prepare(`DELETE FROM ${t.fts} WHERE rowid = ?`);
    const deleteKeys = this.prepare(`DELETE FROM ${t.keys} WHERE doc = ?`);
    const deleteDoc = this.prepare(`DELETE FROM ${t.docs} WHERE rowid = ?`);
    const deleteData = this.prepare(`DELETE FROM ${t.data} WHERE rowid = ?`);
    const store = this.prepare(`INSERT OR REPLACE INTO ${t.data} (rowid, data) VALUES (?, ?)`);
    const insertKey = this.prepare(`INSERT OR IGNORE INTO ${t.keys} (kind, key, doc) VALUES (?, ?, ?)`);
    const insertWord = this.prepare(`INSERT OR IGNORE INTO ${t.words} (word) VALUES (?)`);
    const lastInMs = this.prepare(`SELECT max(rowid) FROM ${t.docs} WHERE rowid >= ? AND rowid < ?`).pluck();
    const update = this.prepare(`UPDATE ${t.docs} SET type = ?, place = ?, date = ?, year = ? WHERE rowid = ?`);
    const insertOld = this.prepare(`INSERT INTO ${t.docs} (id, type, place, date, year) VALUES (?, ?, ?, ?, ?)`);
    const insertDated = dated ? this.prepare(`INSERT INTO ${t.docs} (rowid, id, type, place, date, year, len) VALUES (?, ?, ?, ?, ?, ?, ?)`) : null;
    const insertFts = dated
      ? this.prepare(`INSERT INTO ${t.fts} (rowid, title, body, author, quoted, tags) VALUES (?, ?, ?, ?, ?, ?)`)
      : this.prepare(`INSERT INTO ${t.fts} (rowid, title, body, author, quoted) VALUES (?, ?, ?, ?, ?)`);
    const newWords = new Set<string>();
    const batchWords = new Set<string>();
    let spilled = false;

    /** The first free rowid at or after the document's date (the next millisecond's, when 2048 share one). */
    const allocate = (date: number): number => {
      for (let base = rowidBase(date); ; base += ROWIDS_PER_MS) {
        const last = lastInMs.get(base, base + ROWIDS_PER_MS) as number | null;
        if (last === null) return base;
        if (last + 1 < base + ROWIDS_PER_MS) return last + 1;
        spilled = true;
      }
    };

    for (const document of documents) checkDocument(document);
    // FTS5 writes a new segment whenever a rowid is lower than the previous one: in date order, a batch is one segment.
    const ordered = dated ? [...documents].sort((a, b) => a.date - b.date) : documents;
    for (const document of ordered) {
      if (options.skipTouched && touched.get(document.id)) continue;
      if (options.markTouched) touch.run(document.id);
      const year = new Date(document.date).getUTCFullYear();
      const data = JSON.stringify(document);
      const columns = [document.title, document.body, document.author, document.quoted].map((text) => tokenizeWords(text ?? ""));
      const found = find.get(document.id) as [number, number] | undefined;
      let rowid: number;
      if (dated) {
        if (found) {
          deleteFts.run(found[0]);
          deleteKeys.run(found[0]);
          deleteDoc.run(found[0]);
          deleteData.run(found[0]);
        }
        // A document whose date did not change keeps its place; otherwise it moves to its new date.
        rowid = found && rowidBase(found[1]) === rowidBase(document.date) ? found[0] : allocate(document.date);
        const len = columns.reduce((sum, words) => sum + words.length, 0);
        insertDated!.run(rowid, document.id, document.type, document.place, document.date, year, len);
        insertFts.run(rowid, ...columns.map((words) => words.join(" ")), `${typeTag(document.type)} ${placeTag(document.place)}`);
      } else {
        if (found) {
          rowid = found[0];
          deleteFts.run(rowid);
          deleteKeys.run(rowid);
          update.run(document.type, document.place, document.date, year, rowid);
        } else {
          rowid = Number(insertOld.run(document.id, document.type, document.place, document.date, year).lastInsertRowid);
        }
        insertFts.run(rowid, ...columns.map((words) => words.join(" ")));
      }
      store.run(rowid, data);
      for (const key of document.fromKeys) {
        const normalized = normalizeKey(key);
        if (normalized) insertKey.run(KEY_FROM, normalized, rowid);
      }
      for (const key of document.titleKeys) for (const word of tokenizeWords(key)) insertKey.run(KEY_SUBJECT, word, rowid);
      // Each distinct word of the batch is looked up in the vocabulary once, below: a small set stays in
      // the CPU cache where the vocabulary (hundreds of thousands of words) does not. Length first: most
      // words of a text are short ones the vocabulary never holds.
      for (const words of columns) for (const word of words) if (word.length >= VOCABULARY_MIN_LENGTH) batchWords.add(word);
    }
    for (const word of batchWords) {
      // A copy, so that the vocabulary does not keep the whole document text the word was cut from.
      if (!vocabulary.has(word) && isVocabularyWord(word)) newWords.add(Buffer.from(word).toString());
    }
    for (const word of newWords) {
      const result = insertWord.run(word);
      if (result.changes) vocabulary.add(word, Number(result.lastInsertRowid));
    }
    if (spilled) writeMeta(this.db, `spilled_${gen}`, 1);
  }

  /** Removes documents by id from a generation; `markTouched` as in write(). */
  remove(gen: number, ids: string[], options: { markTouched?: boolean } = {}): void {
    const t = tablesOf(gen);
    const find = this.prepare(`SELECT rowid FROM ${t.docs} WHERE id = ?`).pluck();
    const touch = this.prepare(`INSERT OR IGNORE INTO ${t.touched} (id) VALUES (?)`);
    const deleteFts = this.prepare(`DELETE FROM ${t.fts} WHERE rowid = ?`);
    const deleteKeys = this.prepare(`DELETE FROM ${t.keys} WHERE doc = ?`);
    const deleteDoc = this.prepare(`DELETE FROM ${t.docs} WHERE rowid = ?`);
    const deleteData = this.prepare(`DELETE FROM ${t.data} WHERE rowid = ?`);
    for (const id of ids) {
      if (options.markTouched) touch.run(id);
      const rowid = find.get(id) as number | undefined;
      if (rowid === undefined) continue;
      deleteFts.run(rowid);
      deleteKeys.run(rowid);
      deleteDoc.run(rowid);
      deleteData.run(rowid);
    }
  }

  count(gen: number): number {
    return this.prepare(`SELECT count(*) FROM ${tablesOf(gen).docs}`).pluck().get() as number;
  }
}

function checkDocument(document: SearchDocument): void {
  if (!document || typeof document.id !== "string" || !document.id) throw new TypeError("A search document needs an id");
  if (!SEARCH_DOC_TYPES.includes(document.type)) throw new TypeError(`Search document ${document.id} has an unknown type "${document.type}"`);
  if (!Number.isFinite(document.date)) throw new TypeError(`Search document ${document.id} has no valid date`);
  if (!Array.isArray(document.fromKeys) || !Array.isArray(document.titleKeys)) throw new TypeError(`Search document ${document.id} needs fromKeys and titleKeys`);
}
