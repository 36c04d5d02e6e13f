// Rebuilds the whole index from the database without taking search offline:
// the engine builds a new index beside the live one and switches in one step
// at the end (SearchRebuild). Changes made while the rebuild runs reach both
// indexes through the outbox, which is drained as usual.
import { db } from "~/utils/db.server";
import { allSearchableDocuments, countSearchable } from "./documents.server.ts";
import type { SearchEngine } from "./types.ts";

export type RebuildProgress = { documents: number; total: number };

export async function rebuildSearchIndex(
  engine: SearchEngine,
  options: { onProgress?: (progress: RebuildProgress) => void; signal?: AbortSignal } = {},
): Promise<RebuildProgress> {
  // Outbox entries up to here describe changes the rebuild reads anyway.
  const last = await db.searchOutbox.findFirst({ orderBy: { id: "desc" }, select: { id: true } });
  const total = await countSearchable(db);
  const progress: RebuildProgress = { documents: 0, total };
  options.onProgress?.(progress);
  const rebuild = await engine.beginRebuild();
  try {
    for await (const documents of allSearchableDocuments(db)) {
      if (options.signal?.aborted) throw new Error("the rebuild was stopped");
      await rebuild.index(documents);
      progress.documents += documents.length;
      options.onProgress?.(progress);
    }
    await rebuild.commit();
  } catch (error) {
    await rebuild.abort().catch(() => {});
    throw error;
  }
  if (last) await db.searchOutbox.deleteMany({ where: { id: { lte: last.id } } });
  return progress;
}

/**
 * Builds the index when it is empty but the database has searchable content
 * (a fresh install after seeding, a new index file, a new Meilisearch). Run by
 * `npm run setup`, so `npm start` always serves a complete index.
 */
export async function ensureSearchIndex(engine: SearchEngine): Promise<{ rebuilt: boolean; documents: number }> {
  if ((await engine.count()) > 0) return { rebuilt: false, documents: 0 };
  if ((await countSearchable(db)) === 0) return { rebuilt: false, documents: 0 };
  const result = await rebuildSearchIndex(engine);
  return { rebuilt: true, documents: result.documents };
}
