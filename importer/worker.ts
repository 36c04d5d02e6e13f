// The scheduled importer: every IMPORT_POLL_MINUTES (default 10) it syncs
// each active IMAP list, one after the other. The database lock in
// imap-sync.ts makes it safe to run several workers (or a worker next to a
// manual `npm run import -- imap`): a list being synced elsewhere is skipped.
//
//   npm run worker                      (standalone process; SIGTERM stops it cleanly)
//   startImportWorker({ intervalMs })   (in-process, e.g. from server.ts)
//
// Logs hold list slugs and counts only, never addresses or subjects.
import "dotenv/config";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { disconnectDb, ensureDbReady } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { defaultLockOwner, syncAllImapLists, type ImapSyncOptions, type ImapSyncResult } from "./imap-sync.ts";

export interface ImportWorkerOptions {
  /** Time between the end of one round and the start of the next (default IMPORT_POLL_MINUTES, else 10 minutes). */
  intervalMs?: number;
  /** Start the first round right away (default true). */
  runImmediately?: boolean;
  /** Passed to every sync (batch sizes, timeouts); `signal` and `owner` are set by the worker. */
  syncOptions?: Omit<ImapSyncOptions, "signal" | "owner" | "log">;
  /** Called after each round (tests). */
  onRound?: (results: ImapSyncResult[]) => void;
}

export function pollIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.IMPORT_POLL_MINUTES;
  const minutes = raw === undefined || raw === "" ? 10 : Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`IMPORT_POLL_MINUTES must be a positive number of minutes, not "${raw}".`);
  return Math.round(minutes * 60_000);
}

function logResult(result: ImapSyncResult): void {
  switch (result.status) {
    case "succeeded": {
      const { fetched, created, duplicates, failed, skipped } = result.counters;
      logger.info({ list: result.slug, fetched, created, duplicates, failed, skipped, resynced: result.resynced, reconnects: result.reconnects }, "list synced");
      break;
    }
    case "locked":
      logger.info({ list: result.slug }, "list is being synced by another worker; skipped");
      break;
    case "aborted":
      logger.info({ list: result.slug, created: result.counters.created }, "sync stopped for shutdown");
      break;
    case "failed":
      // Errors are written by us (settings, IMAP responses): no message content.
      logger.error({ list: result.slug, runId: result.runId, error: result.error }, "list sync failed");
      break;
  }
}

/**
 * Starts polling. Returns `stop()`, which lets the list being synced finish
 * its current batch, releases its lock and resolves when the worker is idle.
 */
export function startImportWorker(options: ImportWorkerOptions = {}): () => Promise<void> {
  const intervalMs = options.intervalMs ?? pollIntervalFromEnv();
  const owner = defaultLockOwner();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  let stopped = false;

  const round = async () => {
    timer = null;
    if (stopped) return;
    try {
      await ensureDbReady();
      const results = await syncAllImapLists({ ...options.syncOptions, owner, signal: controller.signal });
      for (const result of results) logResult(result);
      options.onRound?.(results);
    } catch (error) {
      logger.error({ error: error instanceof Error ? error.message : String(error) }, "import worker round failed");
    }
    if (!stopped) timer = setTimeout(() => (current = round()), intervalMs);
  };

  logger.info({ intervalMinutes: intervalMs / 60_000 }, "import worker started");
  if (options.runImmediately ?? true) current = round();
  else timer = setTimeout(() => (current = round()), intervalMs);

  return async () => {
    if (stopped) return current ?? undefined;
    stopped = true;
    controller.abort();
    if (timer) clearTimeout(timer);
    await current;
    logger.info("import worker stopped");
  };
}

async function main() {
  let intervalMs: number;
  try {
    intervalMs = pollIntervalFromEnv();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const stop = startImportWorker({ intervalMs });
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "import worker shutting down");
    void stop()
      .then(() => disconnectDb())
      .then(() => process.exit(0), () => process.exit(1));
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (invokedDirectly) void main();
