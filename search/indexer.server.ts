// Drains the search outbox into the engine.
//
// Writers record "this row changed" in SearchOutbox inside their own
// transaction (outbox.server.ts). The indexer reads a batch of entries,
// expands "topic"/"list" entries to their rows, loads the rows as they are
// NOW, indexes the searchable ones and removes the rest, then deletes exactly
// the entries it handled. Because it always reads the current state, replaying
// an entry is harmless, and a change made while a batch is in flight has its
// own, later entry. If the engine fails, the entries stay and are retried with
// a growing delay: nothing is lost while search is down.
//
// One process drains at a time (a lease in WorkerLease), so an older view of a
// row can never overwrite a newer one that another process indexed.
import crypto from "node:crypto";
import os from "node:os";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { chatDocuments, mailDocuments, postDocuments, type DocumentBatch } from "./documents.server.ts";
import { dropLease, takeLease } from "~/utils/worker-lease.server";
import { ensureSearchIndex } from "./rebuild.server.ts";
import type { SearchEngine } from "./types.ts";

export const INDEXER_LEASE = "search-indexer";
const LEASE_MS = 60_000;
const EXPAND_PAGE = 500;
const MAX_BATCH = 500;

export const defaultIndexerHolder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;

/** Takes or renews the indexer lease; false when another live process holds it. */
export async function acquireLease(holder: string, name = INDEXER_LEASE, now = new Date()): Promise<boolean> {
  return takeLease(name, holder, LEASE_MS, now);
}

export async function releaseLease(holder: string, name = INDEXER_LEASE): Promise<void> {
  await dropLease(name, holder);
}

export type DrainResult = {
  /** Outbox entries handled and deleted. */
  entries: number;
  indexed: number;
  removed: number;
  /** Entries left for later: the engine failed, or the lease is held elsewhere. */
  pending: boolean;
  error: string | null;
};

type Entry = { id: number; kind: string; targetId: number; attempts: number };

function backoffMs(attempts: number): number {
  return Math.min(5 * 60_000, 1000 * 2 ** Math.min(attempts, 8));
}

async function apply(engine: SearchEngine, batch: DocumentBatch, result: DrainResult) {
  if (batch.documents.length > 0) await engine.index(batch.documents);
  if (batch.removeIds.length > 0) await engine.remove(batch.removeIds);
  result.indexed += batch.documents.length;
  result.removed += batch.removeIds.length;
}

/** Applies one batch of entries; throws when the engine fails. */
async function handle(engine: SearchEngine, entries: Entry[], result: DrainResult) {
  const postIds: number[] = [];
  const mailIds: number[] = [];
  const chatIds: number[] = [];
  for (const entry of entries) {
    if (entry.kind === "post") postIds.push(entry.targetId);
    else if (entry.kind === "mail") mailIds.push(entry.targetId);
    else if (entry.kind === "chat") chatIds.push(entry.targetId);
  }
  for (const entry of entries) {
    // Whole topics and lists are walked in pages so a big list never loads at once.
    if (entry.kind === "topic") {
      for (let cursor = 0; ; ) {
        const rows = await db.post.findMany({ where: { topicId: entry.targetId, id: { gt: cursor } }, orderBy: { id: "asc" }, take: EXPAND_PAGE, select: { id: true } });
        if (rows.length === 0) break;
        cursor = rows[rows.length - 1]!.id;
        await apply(engine, await postDocuments(db, rows.map((row) => row.id)), result);
      }
    } else if (entry.kind === "list") {
      for (let cursor = 0; ; ) {
        const rows = await db.mailMessage.findMany({
          where: { listId: entry.targetId, kind: "message", id: { gt: cursor } },
          orderBy: { id: "asc" },
          take: EXPAND_PAGE,
          select: { id: true },
        });
        if (rows.length === 0) break;
        cursor = rows[rows.length - 1]!.id;
        await apply(engine, await mailDocuments(db, rows.map((row) => row.id)), result);
      }
    } else if (entry.kind === "room") {
      for (let cursor = 0; ; ) {
        const rows = await db.chatMessage.findMany({ where: { roomId: entry.targetId, id: { gt: cursor } }, orderBy: { id: "asc" }, take: EXPAND_PAGE, select: { id: true } });
        if (rows.length === 0) break;
        cursor = rows[rows.length - 1]!.id;
        await apply(engine, await chatDocuments(db, rows.map((row) => row.id)), result);
      }
    }
  }
  if (postIds.length > 0) await apply(engine, await postDocuments(db, postIds), result);
  if (mailIds.length > 0) await apply(engine, await mailDocuments(db, mailIds), result);
  if (chatIds.length > 0) await apply(engine, await chatDocuments(db, chatIds), result);
}

export interface DrainOptions {
  holder?: string;
  /** Entries per engine round trip (default and most 500). */
  batchSize?: number;
  /** Stop after this many entries (default: until the outbox is empty). */
  maxEntries?: number;
  now?: () => Date;
}

/**
 * Drains the outbox until it is empty (or maxEntries). Never throws for an
 * engine failure: the entries are kept for a later attempt and the error is
 * returned.
 */
export async function drainSearchOutbox(engine: SearchEngine, options: DrainOptions = {}): Promise<DrainResult> {
  const holder = options.holder ?? defaultIndexerHolder;
  // Each batch becomes `IN (…)` lists; SQLite through the driver adapter takes at most 999 parameters.
  const batchSize = Math.min(options.batchSize ?? 500, MAX_BATCH);
  const now = options.now ?? (() => new Date());
  const result: DrainResult = { entries: 0, indexed: 0, removed: 0, pending: false, error: null };
  const due = () => ({ OR: [{ notBefore: null }, { notBefore: { lte: now() } }] });
  // An idle outbox costs one read, not a lease write, per round.
  if (!(await db.searchOutbox.findFirst({ where: due(), select: { id: true } }))) return result;
  while (options.maxEntries === undefined || result.entries < options.maxEntries) {
    if (!(await acquireLease(holder, INDEXER_LEASE, now()))) {
      result.pending = true;
      break;
    }
    const entries = await db.searchOutbox.findMany({
      where: due(),
      orderBy: { id: "asc" },
      take: Math.min(batchSize, (options.maxEntries ?? Infinity) - result.entries),
      select: { id: true, kind: true, targetId: true, attempts: true },
    });
    if (entries.length === 0) break;
    try {
      await handle(engine, entries, result);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      result.pending = true;
      result.error = message;
      const attempts = Math.max(...entries.map((entry) => entry.attempts)) + 1;
      await db.searchOutbox.updateMany({
        where: { id: { in: entries.map((entry) => entry.id) } },
        data: { attempts: { increment: 1 }, lastError: message.slice(0, 500), notBefore: new Date(now().getTime() + backoffMs(attempts)) },
      });
      break;
    }
    await db.searchOutbox.deleteMany({ where: { id: { in: entries.map((entry) => entry.id) } } });
    result.entries += entries.length;
  }
  return result;
}

/** Entries waiting, and the oldest one's age: the admin page and the health check show them. */
export async function outboxBacklog(now = new Date()): Promise<{ entries: number; oldestSeconds: number | null; failing: number }> {
  const [entries, oldest, failing] = await Promise.all([
    db.searchOutbox.count(),
    db.searchOutbox.findFirst({ orderBy: { id: "asc" }, select: { createdAt: true } }),
    db.searchOutbox.count({ where: { attempts: { gt: 0 } } }),
  ]);
  return { entries, oldestSeconds: oldest ? Math.round((now.getTime() - oldest.createdAt.getTime()) / 1000) : null, failing };
}

export interface SearchIndexerOptions {
  getEngine: () => Promise<SearchEngine>;
  /** Time between drains when the outbox was empty (default 1 s). */
  intervalMs?: number;
  /** Build the whole index first when it is empty (a new index file, a fresh Meilisearch). */
  buildWhenEmpty?: boolean;
  onDrain?: (result: DrainResult) => void;
}

/**
 * Keeps the index current in the background. Returns stop(), which waits for
 * the drain in progress and releases the lease.
 */
export function startSearchIndexer(options: SearchIndexerOptions): () => Promise<void> {
  const intervalMs = options.intervalMs ?? 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let lastError: string | null = null;
  let checkedEmpty = !options.buildWhenEmpty;

  const round = async () => {
    try {
      const engine = await options.getEngine();
      if (!checkedEmpty) {
        const built = await ensureSearchIndex(engine);
        if (built.rebuilt) logger.info({ documents: built.documents }, "search index built");
        checkedEmpty = true;
      }
      const result = await drainSearchOutbox(engine, { maxEntries: 5000 });
      options.onDrain?.(result);
      if (result.error && result.error !== lastError) logger.warn({ error: result.error }, "search indexing failed; will retry");
      if (!result.error && lastError) logger.info("search indexing recovered");
      lastError = result.error;
      return result.entries >= 5000; // more waiting: go again at once
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) logger.warn({ error: message }, "search engine unavailable; will retry");
      lastError = message;
      return false;
    }
  };
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = round().then((more) => {
        running = null;
        schedule(more ? 0 : intervalMs);
      });
    }, delay);
    timer.unref?.();
  };
  schedule(0);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
    await releaseLease(defaultIndexerHolder).catch(() => {});
  };
}
