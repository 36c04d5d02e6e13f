// The scheduled importer: every IMPORT_POLL_MINUTES (default 10) it syncs
// each active IMAP list, one after the other. The database lock in
// imap-sync.ts makes it safe to run several workers (or a worker next to a
// manual `npm run import -- imap`): a list being synced elsewhere is skipped.
//
// Between rounds, with IMPORT_IDLE=on (the default), one IMAP IDLE connection
// per account watches a list's mailbox (imap-idle.ts); new mail starts a sync
// of that list after a short pause, so a burst of messages is one sync. The
// poll keeps running as the safety net. Syncs of one worker run one at a time,
// whoever started them.
//
//   npm run worker                      (standalone process; SIGTERM stops it cleanly;
//                                        it also keeps the search index current
//                                        and delivers queued mail)
//   startImportWorker({ intervalMs })   (in-process, e.g. from server.ts)
//
// Logs hold list slugs and counts only, never addresses or subjects.
import "dotenv/config";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { db, disconnectDb, ensureDbReady } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { IdleWatchers, type IdleWatchOptions } from "./imap-idle.ts";
import { defaultLockOwner, syncAllImapLists, syncImapList, type ImapSyncOptions, type ImapSyncResult } from "./imap-sync.ts";

export interface ImportWorkerOptions {
  /** Time between the end of one round and the start of the next (default IMPORT_POLL_MINUTES, else 10 minutes). */
  intervalMs?: number;
  /** Start the first round right away (default true). */
  runImmediately?: boolean;
  /** Passed to every sync (batch sizes, timeouts); `signal` and `owner` are set by the worker. */
  syncOptions?: Omit<ImapSyncOptions, "signal" | "owner" | "log">;
  /** Called after each round (tests). */
  onRound?: (results: ImapSyncResult[]) => void;
  /** Watch mailboxes with IMAP IDLE between rounds (default IMPORT_IDLE, else on). */
  idle?: boolean;
  /** Pause between new mail and its sync, so a burst is one sync (default 2 s). */
  idleDebounceMs?: number;
  /** A list whose sync was locked by another worker is tried again after this long, once (default 30 s). */
  idleLockedRetryMs?: number;
  /** Connection tuning for the IDLE watchers (tests). */
  idleOptions?: Omit<IdleWatchOptions, "onNewMail">;
  /** Called after each sync started by new mail (tests). */
  onIdleSync?: (result: ImapSyncResult) => void;
}

export function pollIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.IMPORT_POLL_MINUTES;
  const minutes = raw === undefined || raw === "" ? 10 : Number(raw);
  if (!Number.isFinite(minutes) || minutes <= 0) throw new Error(`IMPORT_POLL_MINUTES must be a positive number of minutes, not "${raw}".`);
  return Math.round(minutes * 60_000);
}

export function idleFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = (env.IMPORT_IDLE ?? "").trim().toLowerCase();
  if (raw === "" || raw === "on") return true;
  if (raw === "off") return false;
  throw new Error(`IMPORT_IDLE must be "on" or "off", not "${env.IMPORT_IDLE}".`);
}

function logResult(result: ImapSyncResult, trigger: "poll" | "idle"): void {
  switch (result.status) {
    case "succeeded": {
      const { fetched, created, duplicates, failed, skipped } = result.counters;
      logger.info({ list: result.slug, trigger, fetched, created, duplicates, failed, skipped, resynced: result.resynced, reconnects: result.reconnects }, "list synced");
      break;
    }
    case "locked":
      logger.info({ list: result.slug, trigger }, "list is being synced by another worker; skipped");
      break;
    case "aborted":
      logger.info({ list: result.slug, trigger, created: result.counters.created }, "sync stopped for shutdown");
      break;
    case "failed":
      // Errors are written by us (settings, IMAP responses): no message content.
      logger.error({ list: result.slug, trigger, runId: result.runId, error: result.error }, "list sync failed");
      break;
  }
}

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The environment's IDLE setting; an unreadable value is reported and IDLE stays on (the poll runs either way). */
function idleSettingOrDefault(): boolean {
  try {
    return idleFromEnv();
  } catch (error) {
    logger.warn({ error: errorText(error) }, "IMPORT_IDLE is not understood; IMAP IDLE stays on");
    return true;
  }
}

/**
 * Starts polling (and IDLE watching). Returns `stop()`, which lets the list
 * being synced finish its current batch, releases its lock, logs out of the
 * IDLE connections and resolves when the worker is idle.
 */
export function startImportWorker(options: ImportWorkerOptions = {}): () => Promise<void> {
  const intervalMs = options.intervalMs ?? pollIntervalFromEnv();
  const useIdle = options.idle ?? idleSettingOrDefault();
  const debounceMs = options.idleDebounceMs ?? 2000;
  const lockedRetryMs = options.idleLockedRetryMs ?? 30_000;
  const owner = defaultLockOwner();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | null = null;
  let current: Promise<void> | null = null;
  let stopped = false;

  // One sync at a time per worker, whether a round or new mail started it:
  // at most one short-lived sync connection next to the IDLE connections.
  let queue: Promise<void> = Promise.resolve();
  const exclusive = (task: () => Promise<void>): Promise<void> => {
    const run = queue.then(task);
    queue = run.catch(() => {});
    return queue;
  };

  // New mail: one timer per list, so a burst within debounceMs is one sync;
  // a list already waiting in the queue is not queued twice.
  const debounce = new Map<number, NodeJS.Timeout>();
  const queued = new Set<number>();
  const lockedRetried = new Set<number>();
  const syncForNewMail = async (listId: number) => {
    queued.delete(listId);
    if (stopped) return;
    try {
      // A list switched off since the watcher started is left alone.
      const list = await db.mailingList.findUnique({ where: { id: listId }, select: { active: true, sourceType: true } });
      if (!list?.active || list.sourceType !== "imap") return;
      const result = await syncImapList({ id: listId }, { ...options.syncOptions, owner, signal: controller.signal });
      logResult(result, "idle");
      // The other worker may have searched the mailbox before this mail came: look once more later.
      if (result.status === "locked" && !lockedRetried.has(listId)) {
        lockedRetried.add(listId);
        schedule(listId, lockedRetryMs);
      } else {
        lockedRetried.delete(listId);
      }
      options.onIdleSync?.(result);
    } catch (error) {
      logger.error({ listId, error: errorText(error) }, "sync after new mail failed");
    }
  };
  const schedule = (listId: number, delayMs: number) => {
    if (stopped || debounce.has(listId)) return;
    const pause = setTimeout(() => {
      debounce.delete(listId);
      if (stopped || queued.has(listId)) return;
      queued.add(listId);
      void exclusive(() => syncForNewMail(listId));
    }, delayMs);
    pause.unref();
    debounce.set(listId, pause);
  };
  const watchers = useIdle ? new IdleWatchers({ ...options.idleOptions, onNewMail: (listIds) => listIds.forEach((id) => schedule(id, debounceMs)) }) : null;

  const round = async () => {
    timer = null;
    if (stopped) return;
    await exclusive(async () => {
      try {
        await ensureDbReady();
        const results = await syncAllImapLists({ ...options.syncOptions, owner, signal: controller.signal });
        for (const result of results) logResult(result, "poll");
        options.onRound?.(results);
      } catch (error) {
        logger.error({ error: errorText(error) }, "import worker round failed");
      }
    });
    // Lists added, switched off or moved since the last round are watched (or not) from now on.
    if (!stopped) await watchers?.refresh();
    if (!stopped) timer = setTimeout(() => (current = round()), intervalMs);
  };

  logger.info({ intervalMinutes: intervalMs / 60_000, idle: useIdle }, "import worker started");
  if (options.runImmediately ?? true) current = round();
  else {
    timer = setTimeout(() => (current = round()), intervalMs);
    void ensureDbReady()
      .then(() => watchers?.refresh())
      .catch((error: unknown) => logger.error({ error: errorText(error) }, "IMAP IDLE watchers could not start"));
  }

  let stopping: Promise<void> | null = null;
  return () => {
    stopping ??= (async () => {
      stopped = true;
      controller.abort();
      if (timer) clearTimeout(timer);
      for (const pause of debounce.values()) clearTimeout(pause);
      debounce.clear();
      await Promise.all([watchers?.stop(), current, queue]);
      logger.info("import worker stopped");
    })();
    return stopping;
  };
}

async function main() {
  let intervalMs: number;
  let idle: boolean;
  try {
    intervalMs = pollIntervalFromEnv();
    idle = idleFromEnv();
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const stopImports = startImportWorker({ intervalMs, idle });
  // The search outbox is drained here too: with the web server's indexer off
  // (SEARCH_INDEXER=off) this process is the one that keeps search current,
  // and when both run, the lease lets only one of them drain at a time.
  const { startSearchIndexer } = await import("../search/indexer.server.ts");
  const { searchEngine, closeSearchEngine } = await import("../search/engine.server.ts");
  const stopIndexer = startSearchIndexer({ getEngine: searchEngine, buildWhenEmpty: true });
  // Outgoing mail too: with MAIL_WORKER=off in the web server this process
  // sends it; when both run, the mail lease lets one of them send at a time.
  const { startMailWorker } = await import("../app/mail/worker.server.ts");
  const stopMail = startMailWorker();
  const stop = async () => {
    await Promise.all([stopImports(), stopIndexer(), stopMail()]);
    await closeSearchEngine();
  };
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
