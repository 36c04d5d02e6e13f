// Incremental IMAP sync of one archived list (imapflow).
//
// - One connection per run; the password comes from the environment variable
//   the list names (never from the database).
// - A list-level lock in the database (syncLockedUntil / syncLockOwner, taken
//   with a conditional update and renewed while running) keeps two workers
//   from syncing the same list at once; the loser returns "locked".
// - Incremental by UID: messages above the recorded last UID are fetched in
//   batches; each batch's messages and the new last UID are committed in the
//   same transaction, so a crash or a dropped connection resumes exactly
//   after the last committed message. When the server's UIDVALIDITY differs
//   from the recorded one, the mailbox is read again from UID 1 and
//   Message-ID de-duplication keeps the archive unchanged.
// - Dropped connections, timeouts and server throttling are retried with
//   exponential backoff; authentication failures and missing mailboxes are not.
//
// Logs carry list slugs, counts and UIDs only: never addresses or subjects.
import { randomUUID } from "node:crypto";
import os from "node:os";
import { ImapFlow } from "imapflow";
import { ingestBatch, type IngestItem, type IngestResult } from "~/archive/ingest.server";
import { finishImportRun, oversizeReason, recordImportFailure, startImportRun, tallyResults, zeroCounters, type RunCounters } from "~/archive/ingest-runs.server";
import type { Tx } from "~/archive/ingest-threads.server";
import type { MailingList } from "~/generated/prisma/client";
import { db } from "~/utils/db.server";

export interface ImapSyncOptions {
  /** Lock owner id; defaults to host:pid:random. */
  owner?: string;
  /** UIDs fetched per FETCH command (default 200). */
  batchSize?: number;
  /** Messages per database transaction (default 25). */
  messagesPerTransaction?: number;
  /** Larger messages are recorded as import failures without being downloaded (default 25 MB). */
  maxMessageBytes?: number;
  /** Bytes fetched per FETCH command at most, so a batch of big messages stays within memory (default 64 MB). */
  maxFetchBytes?: number;
  /** How long a lock is valid without renewal (default 10 minutes). */
  lockTtlMs?: number;
  /** Timeout for each IMAP command (default 120 s). */
  commandTimeoutMs?: number;
  /** Timeout for connecting and logging in (default 30 s). */
  connectTimeoutMs?: number;
  /** Reconnection attempts in a row without progress before giving up (default 6). */
  maxReconnects?: number;
  /** First backoff delay (default 1 s); doubles on every attempt up to `backoffMaxMs` (default 60 s). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  signal?: AbortSignal;
  /** Called after each committed batch (progress, tests). */
  onBatch?: (info: ImapBatchInfo) => void | Promise<void>;
  log?: (line: string) => void;
}

export interface ImapBatchInfo {
  slug: string;
  batch: number;
  uidValidity: bigint;
  lastUid: bigint;
  remaining: number;
  counters: RunCounters;
}

export type ImapSyncResult =
  | { status: "succeeded"; slug: string; runId: number; counters: RunCounters; uidValidity: bigint; lastUid: bigint; resynced: boolean; reconnects: number }
  | { status: "locked"; slug: string; lockedBy: string | null; lockedUntil: Date | null }
  | { status: "aborted"; slug: string; runId: number; counters: RunCounters; reconnects: number }
  | { status: "failed"; slug: string; runId: number | null; counters: RunCounters; error: string; reconnects: number };

/** A problem that retrying will not fix. */
class FatalSyncError extends Error {}

type ImapError = Error & {
  code?: string;
  authenticationFailed?: boolean;
  mailboxMissing?: boolean;
  responseStatus?: string;
  throttleReset?: number;
  serverResponseCode?: string;
};

export function defaultLockOwner(): string {
  return `${os.hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

async function withTimeout<T>(client: ImapFlow, promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error: ImapError = new Error(`IMAP ${what} timed out after ${ms} ms`);
      error.code = "COMMAND_TIMEOUT";
      client.close(); // the pending command fails; we reconnect
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Takes the list's sync lock if it is free, expired, or already ours. */
export async function acquireSyncLock(listId: number, owner: string, ttlMs: number): Promise<boolean> {
  const now = new Date();
  const { count } = await db.mailingList.updateMany({
    where: { id: listId, OR: [{ syncLockedUntil: null }, { syncLockedUntil: { lt: now } }, { syncLockOwner: owner }] },
    data: { syncLockedUntil: new Date(now.getTime() + ttlMs), syncLockOwner: owner },
  });
  return count === 1;
}

export async function releaseSyncLock(listId: number, owner: string): Promise<void> {
  await db.mailingList.updateMany({ where: { id: listId, syncLockOwner: owner }, data: { syncLockedUntil: null, syncLockOwner: null } });
}

async function renewSyncLock(client: Tx | typeof db, listId: number, owner: string, ttlMs: number): Promise<boolean> {
  const { count } = await client.mailingList.updateMany({
    where: { id: listId, syncLockOwner: owner },
    data: { syncLockedUntil: new Date(Date.now() + ttlMs) },
  });
  return count === 1;
}

function describeError(error: unknown): string {
  const e = error as ImapError & { responseText?: string };
  let text = e?.message ?? String(error);
  // imapflow's messages are generic ("Command failed"); the server's own words say more.
  if (e?.responseText && !text.includes(e.responseText)) text = `${text}: ${e.responseText.replace(/\s*\(\d[\d.+ ]* secs\)\.?$/, "")}`;
  const response = e?.serverResponseCode ? ` [${e.serverResponseCode}]` : "";
  return `${text}${response}`.slice(0, 500);
}

function isFatal(error: unknown): boolean {
  if (error instanceof FatalSyncError) return true;
  const e = error as ImapError;
  if (e?.authenticationFailed) return true;
  if (e?.mailboxMissing) return true;
  return false;
}

type ListRow = Pick<MailingList, "id" | "slug" | "sourceType" | "imapHost" | "imapPort" | "imapTls" | "imapUser" | "imapPasswordEnv" | "imapMailbox">;

/** Checks the list's IMAP settings and reads its password from the environment. */
export function imapSettingsOf(list: ListRow): { host: string; port: number; secure: boolean; user: string; pass: string; mailbox: string } {
  if (list.sourceType !== "imap") throw new FatalSyncError(`List "${list.slug}" has no IMAP source (source: ${list.sourceType}).`);
  if (!list.imapHost || !list.imapUser || !list.imapPasswordEnv) {
    throw new FatalSyncError(`List "${list.slug}" is missing IMAP settings (host, user and password variable are required).`);
  }
  const pass = process.env[list.imapPasswordEnv];
  if (!pass) {
    throw new FatalSyncError(
      `The IMAP password for list "${list.slug}" is read from the environment variable ${list.imapPasswordEnv}, which is not set. ` +
        `Set ${list.imapPasswordEnv} in the importer's environment and run the sync again.`,
    );
  }
  return {
    host: list.imapHost,
    port: list.imapPort ?? (list.imapTls ? 993 : 143),
    secure: list.imapTls,
    user: list.imapUser,
    pass,
    mailbox: list.imapMailbox || "INBOX",
  };
}

/** Syncs one list (by id or slug). Never throws for IMAP or configuration problems: see the result. */
export async function syncImapList(listRef: { id: number } | string, options: ImapSyncOptions = {}): Promise<ImapSyncResult> {
  const list = await db.mailingList.findUnique({ where: typeof listRef === "string" ? { slug: listRef } : { id: listRef.id } });
  if (!list) {
    const slug = typeof listRef === "string" ? listRef : `#${listRef.id}`;
    return { status: "failed", slug, runId: null, counters: zeroCounters(), error: `There is no archived list "${slug}".`, reconnects: 0 };
  }
  const owner = options.owner ?? defaultLockOwner();
  const lockTtlMs = options.lockTtlMs ?? 10 * 60_000;
  const log = options.log ?? (() => {});
  if (!(await acquireSyncLock(list.id, owner, lockTtlMs))) {
    const holder = await db.mailingList.findUnique({ where: { id: list.id }, select: { syncLockOwner: true, syncLockedUntil: true } });
    log(`list ${list.slug}: another sync holds the lock (${holder?.syncLockOwner ?? "unknown"}), skipped`);
    return { status: "locked", slug: list.slug, lockedBy: holder?.syncLockOwner ?? null, lockedUntil: holder?.syncLockedUntil ?? null };
  }
  const counters = zeroCounters();
  let runId: number | null = null;
  let reconnects = 0;
  const renewTimer = setInterval(() => {
    void renewSyncLock(db, list.id, owner, lockTtlMs).catch(() => {});
  }, Math.max(1000, Math.floor(lockTtlMs / 3)));
  renewTimer.unref();
  try {
    const run = await startImportRun(list.id, "imap", `imap:${list.imapHost ?? "?"}/${list.imapMailbox ?? "INBOX"}`);
    runId = run.id;
    let settings: ReturnType<typeof imapSettingsOf>;
    try {
      settings = imapSettingsOf(list);
    } catch (error) {
      const message = describeError(error);
      await finishImportRun(run.id, "failed", message);
      log(`list ${list.slug}: ${message}`);
      return { status: "failed", slug: list.slug, runId, counters, error: message, reconnects };
    }
    const outcome = await syncLoop(list, settings, run.id, owner, lockTtlMs, counters, options, log, () => reconnects++);
    if (outcome.status === "succeeded") {
      await db.mailingList.update({ where: { id: list.id }, data: { lastSyncedAt: new Date() } });
      await finishImportRun(run.id, "succeeded");
      log(`list ${list.slug}: sync done, ${counters.created} new, ${counters.duplicates} duplicates, ${counters.failed} failed, ${counters.skipped} skipped`);
      return { status: "succeeded", slug: list.slug, runId, counters, uidValidity: outcome.uidValidity, lastUid: outcome.lastUid, resynced: outcome.resynced, reconnects };
    }
    if (outcome.status === "aborted") {
      await finishImportRun(run.id, "failed", "stopped before finishing (shutdown); the next sync resumes after the last stored UID");
      log(`list ${list.slug}: sync stopped (shutdown)`);
      return { status: "aborted", slug: list.slug, runId, counters, reconnects };
    }
    await finishImportRun(run.id, "failed", outcome.error);
    log(`list ${list.slug}: sync failed: ${outcome.error}`);
    return { status: "failed", slug: list.slug, runId, counters, error: outcome.error, reconnects };
  } catch (error) {
    const message = describeError(error);
    if (runId !== null) await finishImportRun(runId, "failed", message).catch(() => {});
    return { status: "failed", slug: list.slug, runId, counters, error: message, reconnects };
  } finally {
    clearInterval(renewTimer);
    await releaseSyncLock(list.id, owner).catch(() => {});
  }
}

type LoopOutcome =
  | { status: "succeeded"; uidValidity: bigint; lastUid: bigint; resynced: boolean }
  | { status: "aborted" }
  | { status: "failed"; error: string };

async function syncLoop(
  list: MailingList,
  settings: ReturnType<typeof imapSettingsOf>,
  runId: number,
  owner: string,
  lockTtlMs: number,
  counters: RunCounters,
  options: ImapSyncOptions,
  log: (line: string) => void,
  countReconnect: () => void,
): Promise<LoopOutcome> {
  const batchSize = Math.max(1, options.batchSize ?? 200);
  const maxMessageBytes = options.maxMessageBytes ?? 25 * 1024 * 1024;
  const maxFetchBytes = Math.max(1, options.maxFetchBytes ?? 64 * 1024 * 1024);
  const commandTimeoutMs = options.commandTimeoutMs ?? 120_000;
  const connectTimeoutMs = options.connectTimeoutMs ?? 30_000;
  const maxReconnects = options.maxReconnects ?? 6;
  const backoffBase = options.backoffBaseMs ?? 1000;
  const backoffMax = options.backoffMaxMs ?? 60_000;
  let failuresInARow = 0;
  let resynced = false;
  let batchNumber = 0;

  for (;;) {
    if (options.signal?.aborted) return { status: "aborted" };
    const client = new ImapFlow({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: { user: settings.user, pass: settings.pass },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: connectTimeoutMs,
      greetingTimeout: connectTimeoutMs,
      socketTimeout: commandTimeoutMs * 2,
      clientInfo: { name: "Threadline archive importer" },
    });
    client.on("error", () => {}); // surfaced through the failing command instead
    try {
      await withTimeout(client, client.connect(), connectTimeoutMs, "connect");
      const lock = await withTimeout(client, client.getMailboxLock(settings.mailbox, { readOnly: true }), commandTimeoutMs, "SELECT");
      try {
        const mailbox = client.mailbox;
        if (!mailbox) throw new Error("the mailbox was not selected");
        const uidValidity = BigInt(mailbox.uidValidity);
        const state = await db.mailingList.findUniqueOrThrow({ where: { id: list.id }, select: { uidValidity: true, lastUid: true } });
        const sameValidity = state.uidValidity !== null && state.uidValidity === uidValidity;
        if (!sameValidity) {
          if (state.uidValidity !== null) {
            resynced = true;
            log(`list ${list.slug}: UIDVALIDITY changed (${state.uidValidity} -> ${uidValidity}), reading the mailbox again from UID 1`);
          }
          await db.mailingList.update({ where: { id: list.id }, data: { uidValidity, lastUid: 0n } });
        }
        let lastUid = sameValidity ? (state.lastUid ?? 0n) : 0n;
        const fromUid = lastUid + 1n;
        const found =
          mailbox.exists === 0
            ? []
            : ((await withTimeout(client, client.search({ uid: `${fromUid}:*` }, { uid: true }), commandTimeoutMs, "SEARCH")) || []);
        const uids = found.filter((uid) => BigInt(uid) >= fromUid).sort((a, b) => a - b);
        for (let i = 0; i < uids.length; i += batchSize) {
          if (options.signal?.aborted) return { status: "aborted" };
          const chunk = uids.slice(i, i + batchSize);
          const chunkLast = BigInt(chunk[chunk.length - 1] as number);
          // Sizes first: a batch is fetched in pieces of at most maxFetchBytes,
          // and a message over the size limit is recorded without downloading it.
          const sized = await withTimeout(
            client,
            client.fetchAll(`${chunk[0]}:${chunk[chunk.length - 1]}`, { uid: true, size: true }, { uid: true }),
            commandTimeoutMs,
            "FETCH (sizes)",
          );
          const sizeOf = new Map(sized.map((m) => [m.uid, m.size ?? 0]));
          for (const segment of planSegments(chunk.filter((uid) => sizeOf.has(uid)), sizeOf, maxMessageBytes, maxFetchBytes)) {
            if (segment.kind === "oversize") {
              await recordOversize(list.id, runId, owner, lockTtlMs, uidValidity, settings.mailbox, segment.uid, segment.size, maxMessageBytes);
              tallyResults(counters, [{ status: "failed", reason: "oversize", failureId: 0 }]);
              continue;
            }
            const fetched = await withTimeout(
              client,
              client.fetchAll(segment.uids.join(","), { uid: true, source: true, internalDate: true }, { uid: true }),
              commandTimeoutMs,
              "FETCH",
            );
            const items: IngestItem[] = fetched
              .filter((m) => m.source && BigInt(m.uid) >= fromUid)
              .sort((a, b) => a.uid - b.uid)
              .map((m) => ({
                raw: m.source as Buffer,
                provenance: {
                  kind: "imap" as const,
                  mailbox: settings.mailbox,
                  uidValidity,
                  uid: BigInt(m.uid),
                  internalDate: m.internalDate ? new Date(m.internalDate) : null,
                },
              }));
            const segmentLast = BigInt(segment.uids[segment.uids.length - 1] as number);
            let results: IngestResult[];
            try {
              results = await ingestBatch(list, items, {
                runId,
                messagesPerTransaction: options.messagesPerTransaction,
                parse: { maxMessageBytes },
                inTransaction: async (tx, covered) => {
                  // The position moves only with the messages it covers; the last
                  // transaction of a segment also covers UIDs that vanished
                  // (expunged) between SEARCH and FETCH.
                  const coveredLast = covered.reduce((max, item) => (item.provenance.kind === "imap" && item.provenance.uid > max ? item.provenance.uid : max), 0n);
                  const isLast = covered[covered.length - 1] === items[items.length - 1];
                  await tx.mailingList.update({ where: { id: list.id }, data: { uidValidity, lastUid: isLast ? segmentLast : coveredLast } });
                  if (!(await renewSyncLock(tx, list.id, owner, lockTtlMs))) throw new FatalSyncError("the sync lock was taken over by another worker");
                },
              });
            } catch (error) {
              if (error instanceof FatalSyncError) throw error;
              throw new FatalSyncError(`storing messages failed: ${describeError(error)}`);
            }
            tallyResults(counters, results);
          }
          // UIDs expunged since SEARCH leave nothing to store, only the position to move.
          await db.mailingList.updateMany({ where: { id: list.id, OR: [{ lastUid: null }, { lastUid: { lt: chunkLast } }] }, data: { uidValidity, lastUid: chunkLast } });
          lastUid = chunkLast;
          failuresInARow = 0;
          batchNumber += 1;
          log(`list ${list.slug}: batch ${batchNumber}, up to UID ${lastUid}, ${uids.length - i - chunk.length} left; ${counters.created} new so far`);
          await options.onBatch?.({
            slug: list.slug,
            batch: batchNumber,
            uidValidity,
            lastUid,
            remaining: uids.length - i - chunk.length,
            counters: { ...counters },
          });
        }
        return { status: "succeeded", uidValidity, lastUid, resynced };
      } finally {
        if (client.usable) lock.release();
      }
    } catch (error) {
      client.close();
      if ((error as ImapError)?.mailboxMissing) return { status: "failed", error: `The mailbox "${settings.mailbox}" does not exist on the IMAP server.` };
      if (isFatal(error)) return { status: "failed", error: describeError(error) };
      failuresInARow += 1;
      if (failuresInARow > maxReconnects) {
        return { status: "failed", error: `giving up after ${maxReconnects} reconnection attempts: ${describeError(error)}` };
      }
      const e = error as ImapError;
      const backoff = Math.min(backoffMax, backoffBase * 2 ** (failuresInARow - 1));
      const delay = e?.code === "ETHROTTLE" ? Math.max(e.throttleReset ?? 0, backoff) : backoff;
      log(`list ${list.slug}: connection problem (${e?.code ?? "error"}), retrying in ${Math.round(delay / 100) / 10} s`);
      await sleep(delay + Math.floor(Math.random() * Math.min(250, delay / 4)), options.signal);
      countReconnect();
    } finally {
      if (client.usable) await client.logout().catch(() => {});
    }
  }
}

type Segment = { kind: "fetch"; uids: number[] } | { kind: "oversize"; uid: number; size: number };

/** Splits a batch of UIDs (ascending) into fetches of at most `maxFetchBytes`, and oversize messages. */
export function planSegments(uids: number[], sizeOf: Map<number, number>, maxMessageBytes: number, maxFetchBytes: number): Segment[] {
  const segments: Segment[] = [];
  let current: number[] = [];
  let bytes = 0;
  const flush = () => {
    if (current.length > 0) segments.push({ kind: "fetch", uids: current });
    current = [];
    bytes = 0;
  };
  for (const uid of uids) {
    const size = sizeOf.get(uid) ?? 0;
    if (size > maxMessageBytes) {
      flush();
      segments.push({ kind: "oversize", uid, size });
      continue;
    }
    if (current.length > 0 && bytes + size > maxFetchBytes) flush();
    current.push(uid);
    bytes += size;
  }
  flush();
  return segments;
}

async function recordOversize(
  listId: number,
  runId: number,
  owner: string,
  lockTtlMs: number,
  uidValidity: bigint,
  mailbox: string,
  uid: number,
  size: number,
  maxMessageBytes: number,
): Promise<void> {
  await db.$transaction(async (tx) => {
    await recordImportFailure(tx, {
      listId,
      runId,
      reason: oversizeReason(maxMessageBytes),
      size,
      source: `imap:${mailbox};UIDVALIDITY=${uidValidity};UID=${uid}`,
    });
    await tx.importRun.update({ where: { id: runId }, data: { fetched: { increment: 1 }, failed: { increment: 1 } } });
    await tx.mailingList.update({ where: { id: listId }, data: { uidValidity, lastUid: BigInt(uid) } });
    if (!(await renewSyncLock(tx, listId, owner, lockTtlMs))) throw new FatalSyncError("the sync lock was taken over by another worker");
  });
}

/** Syncs every active IMAP list, one after the other. */
export async function syncAllImapLists(options: ImapSyncOptions = {}): Promise<ImapSyncResult[]> {
  const lists = await db.mailingList.findMany({ where: { sourceType: "imap", active: true }, orderBy: { id: "asc" }, select: { id: true } });
  const results: ImapSyncResult[] = [];
  for (const list of lists) {
    if (options.signal?.aborted) break;
    results.push(await syncImapList(list, options));
  }
  return results;
}
