// The embedded search engine: SQLite FTS5 in a file of its own (not the main
// database), the default that needs no setup. Several processes (the web
// server, the worker, the reindex command) may have the file open at once:
// WAL lets readers and one writer work together, and the busy timeout makes
// writers queue instead of failing.
//
// Generations. The index lives in numbered sets of tables (docs_<n>,
// data_<n>, fts_<n>, keys_<n>, words_<n>; see schema.ts), and the meta table names the
// live generation. Every call reads meta inside its own transaction, so a
// switch made by any process is seen by every process on its next call, and
// a search runs on one consistent snapshot (WAL) even while a commit drops
// the generation it is reading. A rebuild creates generation n+1 beside the
// live one and fills it while search keeps answering from the live one;
// commit() switches meta to n+1 and drops n in one transaction; abort()
// drops n+1. Live index()/remove() calls during a rebuild are applied to both
// generations and remembered (touched_<n+1>), so the rebuild's batches, read
// from the database earlier, never undo them: nothing written during a
// rebuild is lost at commit. A new rebuild replaces an unfinished one (say,
// from a reindex command that crashed); the replaced one fails on its next call.
// Pages freed by dropping a generation stay in the file and are reused by the
// next one rather than returned to the file system.
//
// Ranking is BM25 with column weights (schema.ts: title 8, body 2, author
// 1.5, quoted text 0.5), the newer document first among equal scores:
// exactly over every match when the query's words are rare enough, and over
// a bounded set of candidates (the newest matches, and older ones with every
// word in the title) when they are common (ranked.ts, search.ts). Generations
// created by this version keep rowids in date order (schema.ts, layout 2),
// which is what makes newest-first walks, date ranges and those candidate
// sets cheap; a generation from an older version keeps working, ranked
// exactly, until the next rebuild.
//
// Counting stops at 10,000 matches: past that, a response's total is 10,000
// and it carries totalCapped: true (EmbeddedSearchResponse, search.ts), so
// a page can say "10,000+"; facets then count the newest 10,000 matches.
// Typo tolerance is in typos.ts, highlighting in highlight.ts.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import {
  SearchUnavailableError,
  type SearchDocument,
  type SearchEngine,
  type SearchHealth,
  type SearchRebuild,
  type SearchRequest,
  type SearchResponse,
  type SearchStats,
} from "../types";
import { createGeneration, createMeta, dropGeneration, existingGenerations, readMeta, SCHEMA_VERSION, tablesOf, writeMeta, type MetaState } from "./schema";
import { runSearch } from "./search";
import { Store } from "./store";

export type EmbeddedEngineOptions = {
  /** Path of the index file, e.g. data/search.sqlite; its folder is created if missing. */
  file: string;
  /** How long a writer waits for another process's write to finish, in ms. */
  busyTimeoutMs?: number;
};

const DEFAULT_BUSY_TIMEOUT_MS = 10_000;

/** SQLite and file-system errors mean the index cannot be used right now; anything else is a bug and stays as it is. */
function isUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error instanceof Database.SqliteError) return true;
  const code = (error as NodeJS.ErrnoException).code;
  return typeof code === "string" && /^(E[A-Z]+|SQLITE_\w+)$/.test(code);
}

export function createEmbeddedEngine(options: EmbeddedEngineOptions): SearchEngine {
  const file = path.resolve(options.file);
  let store: Store | null = null;

  const unavailable = (doing: string, error: unknown): SearchUnavailableError => {
    const message = error instanceof Error ? error.message : String(error);
    const code = (error as { code?: string } | null)?.code ?? "";
    const hint = /CORRUPT|NOTADB/.test(code)
      ? " The file is damaged or is not a search index: move it away and rebuild the index."
      : /READONLY|PERM|CANTOPEN|EACCES|EROFS|ENOTDIR|EEXIST/.test(code)
        ? " Check that the folder exists and that the server may write to it."
        : "";
    return new SearchUnavailableError(`Search index ${file}: could not ${doing}: ${message}.${hint}`, { cause: error });
  };

  /** Runs `work`, closing the connection and reporting SearchUnavailableError when SQLite or the file system fails. */
  function guard<T>(doing: string, work: () => T): T {
    try {
      return work();
    } catch (error) {
      if (error instanceof SearchUnavailableError || !isUnavailable(error)) throw error;
      if (store && !/BUSY|LOCKED/.test((error as { code?: string }).code ?? "")) {
        // A damaged or vanished file: reopen on the next call rather than keep a broken handle.
        try {
          store.db.close();
        } catch {
          // already unusable
        }
        store = null;
      }
      throw unavailable(doing, error);
    }
  }

  function open(): Store {
    if (store) return store;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const db = new Database(file, { timeout: options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS });
    try {
      db.pragma("journal_mode = WAL");
      // FULL, not NORMAL: once index()/remove() returns, the indexer forgets the outbox entry, so a
      // removal (hidden or taken-down content) must survive a power cut.
      db.pragma("synchronous = FULL");
      // 64 MiB of page cache instead of 2: a batch of documents in date order lands all over the docs,
      // data and keys trees, and a search reads doclists and docs rows that a small cache keeps evicting.
      db.pragma("cache_size = -65536");
      db.transaction(() => {
        createMeta(db);
        if (readMeta(db)) return;
        // A new file: generation 1, empty and live.
        createGeneration(db, 1);
        writeMeta(db, "schema", SCHEMA_VERSION);
        writeMeta(db, "live", 1);
        writeMeta(db, "next", 2);
      }).immediate();
    } catch (error) {
      db.close();
      throw error;
    }
    store = new Store(db);
    return store;
  }

  /** Runs `work` on the current generations in one transaction (a write transaction when `write`). */
  function withState<T>(doing: string, write: boolean, work: (store: Store, meta: MetaState) => T): T {
    return guard(doing, () => {
      const current = open();
      const transaction = current.db.transaction(() => {
        const meta = readMeta(current.db);
        if (!meta) throw new SearchUnavailableError(`Search index ${file} has no live generation; rebuild the index.`);
        current.keepOnly(meta.building === null ? [meta.live] : [meta.live, meta.building]);
        return work(current, meta);
      });
      return write ? transaction.immediate() : transaction.deferred();
    });
  }

  async function beginRebuild(): Promise<SearchRebuild> {
    const gen = withState("start a rebuild", true, (current, meta) => {
      if (meta.building !== null) dropGeneration(current.db, meta.building);
      const next = Math.max(meta.next, meta.live + 1, (meta.building ?? 0) + 1);
      createGeneration(current.db, next);
      writeMeta(current.db, "building", next);
      writeMeta(current.db, "next", next + 1);
      return next;
    });
    let finished = false;
    const stillBuilding = (meta: MetaState) => {
      if (finished || meta.building !== gen) {
        throw new Error(`This search rebuild (generation ${gen}) is over: it was committed, aborted or replaced by a newer rebuild.`);
      }
    };
    return {
      async index(documents: SearchDocument[]) {
        withState("add documents to the rebuild", true, (current, meta) => {
          stillBuilding(meta);
          current.write(gen, documents, { skipTouched: true, layout: meta.layouts.get(gen) });
        });
      },
      async commit() {
        withState("switch to the rebuilt index", true, (current, meta) => {
          stillBuilding(meta);
          writeMeta(current.db, "live", gen);
          writeMeta(current.db, "building", null);
          dropGeneration(current.db, meta.live);
          current.db.exec(`DELETE FROM ${tablesOf(gen).touched}`);
        });
        finished = true;
      },
      async abort() {
        if (finished) return;
        withState("abort the rebuild", true, (current, meta) => {
          if (meta.building !== gen) return;
          dropGeneration(current.db, gen);
          writeMeta(current.db, "building", null);
        });
        finished = true;
      },
    };
  }

  return {
    name: "embedded",

    async init() {
      withState("open the index", true, (current, meta) => {
        // Tables of generations that are neither live nor being built are leftovers of an interrupted switch.
        for (const gen of existingGenerations(current.db)) {
          if (gen !== meta.live && gen !== meta.building) dropGeneration(current.db, gen);
        }
        createGeneration(current.db, meta.live);
      });
    },

    async index(documents: SearchDocument[]) {
      if (documents.length === 0) return;
      withState("index documents", true, (current, meta) => {
        current.write(meta.live, documents, { layout: meta.layouts.get(meta.live) });
        if (meta.building !== null) current.write(meta.building, documents, { markTouched: true, layout: meta.layouts.get(meta.building) });
      });
    },

    async remove(ids: string[]) {
      if (ids.length === 0) return;
      withState("remove documents", true, (current, meta) => {
        current.remove(meta.live, ids);
        if (meta.building !== null) current.remove(meta.building, ids, { markTouched: true });
      });
    },

    async search(request: SearchRequest): Promise<SearchResponse> {
      return withState("search", false, (current, meta) =>
        runSearch(current, meta.live, request, { layout: meta.layouts.get(meta.live) ?? 1, spilled: meta.spilled.has(meta.live) }),
      );
    },

    async count() {
      return withState("count documents", false, (current, meta) => current.count(meta.live));
    },

    async health(): Promise<SearchHealth> {
      try {
        withState("check the index", false, (current, meta) => {
          const fts = tablesOf(meta.live).fts;
          current.prepare(`SELECT rowid FROM ${fts} WHERE ${fts} MATCH '"health"' LIMIT 1`).all();
        });
        return { ok: true };
      } catch (error) {
        return { ok: false, message: error instanceof Error ? error.message : String(error) };
      }
    },

    async stats(): Promise<SearchStats> {
      const documents = await this.count();
      const sizeBytes = [file, `${file}-wal`].reduce((sum, name) => {
        try {
          return sum + fs.statSync(name).size;
        } catch {
          return sum;
        }
      }, 0);
      return { engine: "embedded", documents, sizeBytes };
    },

    beginRebuild,

    async close() {
      const current = store;
      store = null;
      if (!current) return;
      try {
        // Keeps the query planner's statistics fresh for the next process (cheap when nothing changed).
        current.db.pragma("optimize");
      } catch {
        // Closing matters more than statistics.
      }
      current.db.close();
    },
  };
}
