// Import runs and import failures: what the importer records about its work,
// and what the moderation console reads and acts on.
import { gunzipSync, gzipSync } from "node:zlib";
import { lineEndingHashes, otherLineEndingShas } from "../../importer/message-id.ts";
import type { ImportFailure, ImportRun, Prisma } from "~/generated/prisma/client";
import type { IngestResult } from "./ingest.server";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";

type Client = Prisma.TransactionClient | typeof db;

export type RunKind = "mbox" | "imap";
export type RunCounters = { fetched: number; created: number; duplicates: number; failed: number; skipped: number };

export function zeroCounters(): RunCounters {
  return { fetched: 0, created: 0, duplicates: 0, failed: 0, skipped: 0 };
}

/** Counts one batch's outcomes into a run's counters. */
export function tallyResults(counters: RunCounters, results: IngestResult[]): void {
  for (const result of results) {
    counters.fetched += 1;
    if (result.status === "created" || result.status === "tombstoned") counters.created += 1;
    else if (result.status === "duplicate") counters.duplicates += 1;
    else if (result.status === "failed") counters.failed += 1;
    else counters.skipped += 1;
  }
}

export function addCounters(into: RunCounters, more: RunCounters): RunCounters {
  into.fetched += more.fetched;
  into.created += more.created;
  into.duplicates += more.duplicates;
  into.failed += more.failed;
  into.skipped += more.skipped;
  return into;
}

const MB = 1024 * 1024;

/** The failure reason for a message over the size limit (same wording as the parser's). */
export function oversizeReason(maxBytes: number): string {
  const limit = maxBytes % MB === 0 ? `${maxBytes / MB} MB` : `${Math.round(maxBytes / 1024)} KB`;
  return `message is larger than ${limit}`;
}

const INTERRUPTED = "interrupted: the import stopped before finishing (nothing partial was kept; run it again to continue)";

/**
 * Starts a run. Earlier runs of the same list, kind and source that are still
 * marked "running" belong to a process that died (kill -9, crash, reboot):
 * they are closed as failed, so the console does not show them forever.
 * Callers of IMAP runs hold the list's sync lock, so no live run is closed.
 */
export async function startImportRun(listId: number, kind: RunKind, source: string): Promise<ImportRun> {
  return db.$transaction(async (tx) => {
    await tx.importRun.updateMany({
      where: { listId, kind, source, status: "running" },
      data: { status: "failed", finishedAt: new Date(), error: INTERRUPTED },
    });
    return tx.importRun.create({ data: { listId, kind, source, status: "running" } });
  });
}

/** Adds to a run's counters; call it in the transaction that stored the messages counted. */
export async function addRunCounters(client: Client, runId: number, counters: RunCounters): Promise<void> {
  if (!counters.fetched && !counters.created && !counters.duplicates && !counters.failed && !counters.skipped) return;
  await client.importRun.update({
    where: { id: runId },
    data: {
      fetched: { increment: counters.fetched },
      created: { increment: counters.created },
      duplicates: { increment: counters.duplicates },
      failed: { increment: counters.failed },
      skipped: { increment: counters.skipped },
    },
  });
}

export async function finishImportRun(runId: number, status: "succeeded" | "failed", error: string | null = null): Promise<ImportRun> {
  return db.importRun.update({ where: { id: runId }, data: { status, finishedAt: new Date(), error: error ? error.slice(0, 2000) : null } });
}

/**
 * Keeps a message that could not be archived aside: reason, gzip of the raw
 * bytes (when they were read), sha256 and where it came from. A failure
 * already on record (same bytes, or same source and reason when the bytes
 * were never read) is not recorded twice, so re-running an import does not
 * pile up copies.
 */
export async function recordImportFailure(
  client: Client,
  failure: { listId: number; runId?: number | null; reason: string; raw?: Buffer | null; size?: number; source: string },
): Promise<{ id: number; existing: boolean }> {
  const raw = failure.raw ?? null;
  // The same broken message over IMAP (CRLF) and from an mbox (LF) is one failure.
  const hashes = raw ? lineEndingHashes(raw) : null;
  const rawSha256 = hashes?.sha256 ?? null;
  const reason = failure.reason.slice(0, 500);
  const existing = await client.importFailure.findFirst({
    where: hashes
      ? { listId: failure.listId, rawSha256: { in: [hashes.sha256, ...otherLineEndingShas(hashes)] }, resolvedAt: null }
      : { listId: failure.listId, rawSha256: null, source: failure.source, reason, resolvedAt: null },
    select: { id: true },
  });
  if (existing) return { id: existing.id, existing: true };
  const created = await client.importFailure.create({
    data: {
      listId: failure.listId,
      runId: failure.runId ?? null,
      reason,
      gz: raw ? gzipSync(raw) : null,
      size: failure.size ?? raw?.length ?? 0,
      rawSha256,
      source: failure.source.slice(0, 1000),
    },
    select: { id: true },
  });
  return { id: created.id, existing: false };
}

// ---------------------------------------------------------------------------
// Reading side (moderation console)

export type ImportRunSummary = Pick<
  ImportRun,
  "id" | "kind" | "source" | "startedAt" | "finishedAt" | "status" | "fetched" | "created" | "duplicates" | "failed" | "skipped" | "error"
>;

/** The latest runs of a list, newest first. */
export function recentImportRuns(listId: number, take = 20): Promise<ImportRunSummary[]> {
  return db.importRun.findMany({ where: { listId }, orderBy: { id: "desc" }, take });
}

export function getImportRun(runId: number): Promise<ImportRun | null> {
  return db.importRun.findUnique({ where: { id: runId } });
}

export type ImportFailureSummary = Pick<ImportFailure, "id" | "listId" | "runId" | "reason" | "size" | "rawSha256" | "source" | "createdAt" | "resolvedAt">;

/** Failures of a list, newest first; unresolved only unless asked. The raw bytes are not loaded. */
export function listImportFailures(listId: number, options: { take?: number; includeResolved?: boolean } = {}): Promise<ImportFailureSummary[]> {
  return db.importFailure.findMany({
    where: { listId, ...(options.includeResolved ? {} : { resolvedAt: null }) },
    orderBy: { id: "desc" },
    take: options.take ?? 50,
    select: { id: true, listId: true, runId: true, reason: true, size: true, rawSha256: true, source: true, createdAt: true, resolvedAt: true },
  });
}

/** The raw bytes of a failed message, for a moderator to download; null when they were never read. */
export async function importFailureRaw(failureId: number): Promise<Buffer | null> {
  const failure = await db.importFailure.findUnique({ where: { id: failureId }, select: { gz: true } });
  return failure?.gz ? gunzipSync(failure.gz) : null;
}

/** Marks a failure as dealt with. Audit: import.failure.resolve. */
export async function resolveImportFailure(actorId: number | null, failureId: number, reason = ""): Promise<boolean> {
  const failure = await db.importFailure.findUnique({ where: { id: failureId }, select: { id: true, resolvedAt: true } });
  if (!failure) return false;
  if (failure.resolvedAt) return true;
  await db.$transaction(async (tx) => {
    await tx.importFailure.update({ where: { id: failureId }, data: { resolvedAt: new Date() } });
    await recordAudit({ actorId, action: "import.failure.resolve", targetType: "import-failure", targetId: failureId, reason }, tx);
  });
  return true;
}
