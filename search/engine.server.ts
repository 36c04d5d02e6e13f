// Which search engine this process uses: Meilisearch when MEILI_HOST is set,
// otherwise the embedded SQLite FTS5 engine in its own file under DATA_DIR.
// One engine per process, shared by the routes, the indexer and the CLIs
// (kept on globalThis like the database client, so the server and the
// application build it loads see the same one).
import path from "node:path";
import { getEnv, type Env } from "~/utils/env.server";
import { createEmbeddedEngine } from "./embedded/engine.ts";
import { createMeiliEngine } from "./meili/engine.ts";
import type { SearchEngine } from "./types.ts";

type Settings = Pick<Env, "DATA_DIR" | "MEILI_HOST" | "MEILI_API_KEY" | "MEILI_INDEX" | "SEARCH_INDEX_FILE">;

export function embeddedIndexFile(env: Pick<Env, "DATA_DIR" | "SEARCH_INDEX_FILE">): string {
  return path.resolve(env.SEARCH_INDEX_FILE ?? path.join(env.DATA_DIR, "search.sqlite"));
}

export function createSearchEngine(env: Settings): SearchEngine {
  if (env.MEILI_HOST) return createMeiliEngine({ host: env.MEILI_HOST, apiKey: env.MEILI_API_KEY, indexUid: env.MEILI_INDEX });
  return createEmbeddedEngine({ file: embeddedIndexFile(env) });
}

const globalForSearch = globalThis as unknown as { threadlineSearch?: { engine: SearchEngine; ready: Promise<void> } };

/** The process's engine, initialised once (creating the index and its settings). */
export async function searchEngine(): Promise<SearchEngine> {
  globalForSearch.threadlineSearch ??= (() => {
    const engine = createSearchEngine(getEnv());
    return { engine, ready: engine.init() };
  })();
  const current = globalForSearch.threadlineSearch;
  try {
    await current.ready;
  } catch (error) {
    // Try again on the next call (Meilisearch may come up later).
    if (globalForSearch.threadlineSearch === current) globalForSearch.threadlineSearch = undefined;
    throw error;
  }
  return current.engine;
}

export async function closeSearchEngine(): Promise<void> {
  const current = globalForSearch.threadlineSearch;
  globalForSearch.threadlineSearch = undefined;
  if (current) await current.engine.close().catch(() => {});
}
