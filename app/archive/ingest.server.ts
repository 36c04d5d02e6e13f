// Stores raw messages in the archive: parse, thread, keep the raw bytes and
// the attachments, update the counters. Used by the mbox importer, the IMAP
// sync and the moderation console (retrying a failed message).
//
// Crash safety: everything that belongs to one message is written in one
// transaction (several messages may share one), so a kill -9 at any moment
// leaves either the whole message or nothing. Attachment files are written
// before that transaction (content-addressed, temp file + rename); a crash in
// between leaves an unreferenced file that the next import reuses. Sync
// positions (IMAP UIDVALIDITY/last UID) are written by the caller's
// `inTransaction` hook, in the same transaction as the messages they cover.
//
// Most messages are written by the batched writer (ingest-bulk.server.ts);
// the cases it hands back (a placeholder turned into its message, a
// References chain that re-parents stored roots, tombstoned mail) take the
// per-message path below (commitParsed), in the same transaction.
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { firstValue, readHeaderBlock } from "../../importer/header-block.ts";
import { parseMessageIdHeader, syntheticMessageId } from "../../importer/message-id.ts";
import type { ParseOptions } from "../../importer/parse-message.ts";
import { planParent } from "../../importer/thread-incremental.ts";
import { enqueueSearch } from "../../search/outbox.server.ts";
import { threadInputOf } from "../../importer/thread-parent.ts";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { messagePublicId } from "./ids";
import { BulkWriter, clean, messageColumns } from "./ingest-bulk.server";
import {
  fallbackDateOf,
  prepareOutcome,
  type IngestItem,
  type IngestProvenance,
  type ParsedPrepared,
  type Prepared,
} from "./ingest-prepare.server";
import { addRunCounters, recordImportFailure, zeroCounters, type RunCounters } from "./ingest-runs.server";
import {
  applyListDelta,
  claimWriteLock,
  createThreadStore,
  emptyDelta,
  findSubjectAnchor,
  placeInThread,
  type ArchiveListRef,
  type ListDelta,
  type Tx,
} from "./ingest-threads.server";

export type { ArchiveListRef } from "./ingest-threads.server";
export type { IngestItem, IngestProvenance, Prepared, PreparedOutcome } from "./ingest-prepare.server";

export interface IngestOptions {
  /** The ImportRun whose counters this work adds to, and which failures point at. */
  runId?: number | null;
  /** Limits and clock for the parser (see importer/parse-message.ts). */
  parse?: Pick<ParseOptions, "now" | "maxMessageBytes" | "maxHeaderBytes" | "maxParts" | "maxAttachmentBytes">;
}

export interface IngestBatchOptions extends IngestOptions {
  /** Messages per database transaction (default 25): short write locks for the web server. */
  messagesPerTransaction?: number;
  /**
   * Runs inside each transaction after its messages are written, with the
   * items that transaction covers: the place to record sync positions.
   */
  inTransaction?: (tx: Tx, covered: IngestItem[], results: IngestResult[]) => Promise<void>;
}

export type IngestResult =
  | { status: "created"; messageId: string; publicId: string; threadPublicId: string }
  | { status: "tombstoned"; messageId: string; publicId: string; threadPublicId: string; reason: string }
  | { status: "duplicate"; messageId: string; publicId: string }
  | { status: "skipped-no-archive"; messageId: string }
  | { status: "failed"; reason: string; failureId: number };

/** A short description of where a message came from, for failures and logs (no personal data). */
export function describeProvenance(provenance: IngestProvenance): string {
  switch (provenance.kind) {
    case "mbox":
      return `mbox:${provenance.file}@${provenance.offset}`;
    case "imap":
      return `imap:${provenance.mailbox};UIDVALIDITY=${provenance.uidValidity};UID=${provenance.uid}`;
    default:
      return provenance.label ? `manual:${provenance.label}` : "manual";
  }
}

// Same rule as parse-message.ts: a leading From_ line is not part of the message.
function stripFromLine(raw: Buffer): Buffer {
  if (raw.subarray(0, 5).toString("latin1") !== "From ") return raw;
  const nl = raw.indexOf(0x0a);
  return nl === -1 ? Buffer.alloc(0) : raw.subarray(nl + 1);
}

type QuickId = { messageId: string; aliases: string[] };

/**
 * The Message-ID parseMessage will give this message (its own, or the
 * synthetic one with its aliases), read from the headers alone, so that a
 * re-import skips known messages without running the MIME parser.
 */
function quickMessageId(raw: Buffer): QuickId | null {
  const body = stripFromLine(raw);
  const block = readHeaderBlock(body, 256 * 1024);
  if (!block) return null;
  const own = parseMessageIdHeader(firstValue(block.fields, "message-id"));
  if (own) return { messageId: own, aliases: [] };
  return syntheticMessageId(body);
}

type Known = Map<string, { messageId: string; kind: string; publicId: string }>;

/** The rows that already exist for the items' Message-IDs and aliases (one query per 500 ids). */
async function lookupKnown(list: ArchiveListRef, items: IngestItem[]): Promise<{ known: Known; quickIds: Array<QuickId | null> }> {
  const quickIds = items.map((item) => quickMessageId(item.raw));
  const ids = [...new Set(quickIds.flatMap((q) => (q ? [q.messageId, ...q.aliases] : [])))];
  const known: Known = new Map();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.mailMessage.findMany({
      where: { listId: list.id, messageId: { in: ids.slice(i, i + 500) } },
      select: { messageId: true, kind: true, publicId: true },
    });
    for (const row of rows) known.set(row.messageId, row);
  }
  return { known, quickIds };
}

/** The stored message row this message duplicates: under its own id, or under an alias an older archive gave it. */
function knownMessage(quickId: QuickId | null, known: Known) {
  if (!quickId) return undefined;
  return [quickId.messageId, ...quickId.aliases].map((id) => known.get(id)).find((row) => row?.kind === "message");
}

async function prepare(item: IngestItem, options: IngestOptions, quickId: QuickId | null, known: Known): Promise<Prepared> {
  const seen = knownMessage(quickId, known);
  if (seen) return { kind: "duplicate", messageId: seen.messageId, publicId: seen.publicId };
  const outcome = await prepareOutcome(item.raw, { ...options.parse, fallbackDate: fallbackDateOf(item.provenance) });
  return { ...outcome, item };
}

type BatchState = { delta: ListDelta; newestVisible: Date | null; counters: RunCounters; hasTombstones: boolean };

async function newBatchState(tx: Tx, listId: number): Promise<BatchState> {
  const hasTombstones = (await tx.mailTombstone.findFirst({ where: { listId }, select: { id: true } })) !== null;
  return { delta: emptyDelta(), newestVisible: null, counters: zeroCounters(), hasTombstones };
}

async function commitParsed(
  tx: Tx,
  list: ArchiveListRef,
  prepared: ParsedPrepared,
  state: BatchState,
): Promise<IngestResult> {
  const m = prepared.message;
  const existing = await tx.mailMessage.findUnique({
    where: { listId_messageId: { listId: list.id, messageId: m.messageId } },
    select: { id: true, kind: true, threadId: true, parentMessageId: true, publicId: true },
  });
  if (existing && existing.kind !== "placeholder") return { status: "duplicate", messageId: m.messageId, publicId: existing.publicId };
  if (m.messageIdAliases.length > 0) {
    const stored = await tx.mailMessage.findFirst({
      where: { listId: list.id, messageId: { in: m.messageIdAliases }, kind: "message" },
      select: { messageId: true, publicId: true },
    });
    if (stored) return { status: "duplicate", ...stored };
  }

  const tombstone = state.hasTombstones
    ? await tx.mailTombstone.findFirst({
        where: {
          listId: list.id,
          OR: [{ messageId: { in: [m.messageId, ...m.messageIdAliases] } }, { rawSha256: { in: [m.sha256, ...m.sha256Aliases] } }],
        },
        select: { reason: true, createdById: true },
      })
    : null;

  const store = createThreadStore(tx, list.id, [
    [m.messageId, existing ? { kind: "placeholder", parentMessageId: existing.parentMessageId, claimsParent: false, threadId: existing.threadId } : undefined],
  ]);
  const plan = await planParent(threadInputOf(m), store);
  let parentMessageId = plan.parentMessageId;
  let inferredParent = false;
  if (parentMessageId === null && m.inReplyTo === null && m.references.length === 0) {
    const anchor = await findSubjectAnchor(tx, list.id, m.normalizedSubject, m.date, existing?.threadId ?? null);
    if (anchor !== null) {
      parentMessageId = anchor;
      inferredParent = true;
    }
  }

  if (plan.createPlaceholders.length > 0) {
    await tx.mailMessage.createMany({
      data: plan.createPlaceholders.map((p) => ({
        listId: list.id,
        messageId: p.messageId,
        publicId: messagePublicId(list.slug, p.messageId),
        kind: "placeholder",
        parentMessageId: p.parentMessageId,
      })),
    });
  }
  const reparented: Array<{ messageId: string; oldThreadId: number | null }> = [];
  for (const move of plan.reparent) {
    const row = await tx.mailMessage.update({
      where: { listId_messageId: { listId: list.id, messageId: move.messageId } },
      data: { parentMessageId: move.parentMessageId },
      select: { threadId: true },
    });
    reparented.push({ messageId: move.messageId, oldThreadId: row.threadId });
  }

  const hidden = tombstone !== null;
  const columns = messageColumns(prepared, { parentMessageId, claimsParent: plan.claimsParent, inferredParent }, tombstone);
  let rowId: number;
  let publicId: string;
  if (existing) {
    await tx.mailMessage.update({ where: { id: existing.id }, data: columns });
    rowId = existing.id;
    publicId = existing.publicId;
  } else {
    publicId = messagePublicId(list.slug, m.messageId);
    rowId = (await tx.mailMessage.create({ data: { ...columns, listId: list.id, messageId: m.messageId, publicId }, select: { id: true } })).id;
  }
  await tx.mailRaw.create({ data: { messageRowId: rowId, gz: prepared.gz } });
  if (prepared.attachments.length > 0) {
    await tx.mailAttachment.createMany({
      data: prepared.attachments.map((a, position) => ({
        messageRowId: rowId,
        position,
        filename: clean(a.filename),
        contentType: a.contentType.slice(0, 255),
        size: a.size,
        sha256: a.stored ? a.sha256 : null,
        inline: a.inline,
        contentId: a.contentId,
        skipped: a.skipped,
      })),
    });
  }
  const placed = await placeInThread(
    tx,
    list,
    {
      messageId: m.messageId,
      parentMessageId,
      createdPlaceholders: plan.createPlaceholders.map((p) => p.messageId),
      reparented,
      replacedPlaceholder: existing ? { oldThreadId: existing.threadId, oldParentMessageId: existing.parentMessageId } : null,
      parentThreadId: parentMessageId === null ? null : (store.cache.get(parentMessageId)?.threadId ?? null),
      date: m.date,
      subject: columns.subject,
      visible: !hidden,
    },
    state.delta,
  );
  if (!hidden && (!state.newestVisible || m.date > state.newestVisible)) state.newestVisible = m.date;
  if (!hidden) await enqueueSearch(tx, { kind: "mail", id: rowId });
  return hidden
    ? { status: "tombstoned", messageId: m.messageId, publicId, threadPublicId: placed.threadPublicId, reason: tombstone.reason }
    : { status: "created", messageId: m.messageId, publicId, threadPublicId: placed.threadPublicId };
}

async function commit(tx: Tx, list: ArchiveListRef, prepared: Prepared, options: IngestOptions, state: BatchState): Promise<IngestResult> {
  state.counters.fetched += 1;
  switch (prepared.kind) {
    case "duplicate":
      state.counters.duplicates += 1;
      return { status: "duplicate", messageId: prepared.messageId, publicId: prepared.publicId };
    case "no-archive":
      state.counters.skipped += 1;
      return { status: "skipped-no-archive", messageId: prepared.messageId };
    case "failed": {
      state.counters.failed += 1;
      const failure = await recordImportFailure(tx, {
        listId: list.id,
        runId: options.runId,
        reason: prepared.reason,
        raw: prepared.item.raw,
        source: describeProvenance(prepared.item.provenance),
      });
      return { status: "failed", reason: prepared.reason, failureId: failure.id };
    }
    case "parsed": {
      const result = await commitParsed(tx, list, prepared, state);
      if (result.status === "duplicate") state.counters.duplicates += 1;
      else state.counters.created += 1; // created, or created hidden (tombstoned)
      return result;
    }
  }
}

/**
 * Writes prepared messages in the caller's transaction, in order: the bulk
 * writer (ingest-bulk.server.ts) takes the common cases, the per-message
 * path the rest. Everything is written by the time it returns.
 */
async function commitAll(tx: Tx, list: ArchiveListRef, prepared: Prepared[], options: IngestOptions, state: BatchState): Promise<IngestResult[]> {
  const parsed = prepared.filter((p): p is ParsedPrepared => p.kind === "parsed");
  const writer = new BulkWriter(tx, list, parsed, state);
  await writer.start();
  const out: IngestResult[] = [];
  let index = 0;
  for (const p of prepared) {
    if (p.kind !== "parsed") {
      out.push(await commit(tx, list, p, options, state));
      continue;
    }
    let result: IngestResult | null = await writer.tryCommit(index);
    if (result === null) {
      await writer.flush();
      result = await commitParsed(tx, list, p, state);
      writer.invalidate(index + 1);
    }
    index += 1;
    state.counters.fetched += 1;
    if (result.status === "duplicate") state.counters.duplicates += 1;
    else state.counters.created += 1;
    out.push(result);
  }
  await writer.flush();
  return out;
}

/**
 * Writes one batch of prepared messages (`prepared[i]` made from `items[i]`)
 * in one transaction, with the list counters, the run counters and the
 * caller's `inTransaction` hook: all of it commits, or none of it.
 */
export async function commitPreparedBatch(
  list: ArchiveListRef,
  items: IngestItem[],
  prepared: Prepared[],
  options: IngestBatchOptions = {},
): Promise<IngestResult[]> {
  return db.$transaction(
    async (tx) => {
      await claimWriteLock(tx, list.id);
      const state = await newBatchState(tx, list.id);
      const out = await commitAll(tx, list, prepared, options, state);
      await applyListDelta(tx, list.id, state.delta, state.newestVisible);
      if (options.runId) await addRunCounters(tx, options.runId, state.counters);
      if (options.inTransaction) await options.inTransaction(tx, items, out);
      return out;
    },
    { maxWait: 60_000, timeout: 300_000 },
  );
}

/**
 * Ingests several messages: parsing and attachment files first, then one
 * transaction per `messagesPerTransaction` messages. Results are in input order.
 */
export async function ingestBatch(list: ArchiveListRef, items: IngestItem[], options: IngestBatchOptions = {}): Promise<IngestResult[]> {
  const size = Math.max(1, options.messagesPerTransaction ?? 25);
  const results: IngestResult[] = [];
  for (let start = 0; start < items.length; start += size) {
    const slice = items.slice(start, start + size);
    const { known, quickIds } = await lookupKnown(list, slice);
    const prepared: Prepared[] = [];
    for (const [i, item] of slice.entries()) prepared.push(await prepare(item, options, quickIds[i] ?? null, known));
    results.push(...(await commitPreparedBatch(list, slice, prepared, options)));
  }
  return results;
}

/** Ingests one raw message (see the file header). */
export async function ingestMessage(
  list: ArchiveListRef,
  raw: Buffer,
  provenance: IngestProvenance,
  options: IngestOptions = {},
): Promise<IngestResult> {
  const [result] = await ingestBatch(list, [{ raw, provenance }], options);
  if (!result) throw new Error("ingestBatch returned no result");
  return result;
}

/**
 * Tries a recorded failure again (after a parser fix, say). When the message
 * is now archived (or turns out to be a duplicate, or is excluded by
 * X-No-Archive) the failure is marked resolved. Audit: import.failure.retry.
 */
export async function retryImportFailure(actorId: number | null, failureId: number): Promise<IngestResult | { status: "not-found" | "no-bytes" }> {
  const failure = await db.importFailure.findUnique({ where: { id: failureId } });
  if (!failure) return { status: "not-found" };
  if (!failure.gz) return { status: "no-bytes" };
  const list = await db.mailingList.findUniqueOrThrow({ where: { id: failure.listId }, select: { id: true, slug: true } });
  const raw = gunzipSync(failure.gz);
  const item: IngestItem = { raw, provenance: { kind: "manual", label: failure.source } };
  const { known, quickIds } = await lookupKnown(list, [item]);
  const prepared = await prepare(item, {}, quickIds[0] ?? null, known);
  const result = await db.$transaction(async (tx) => {
    await claimWriteLock(tx, list.id);
    let outcome: IngestResult;
    if (prepared.kind === "failed") {
      outcome = { status: "failed", reason: prepared.reason, failureId };
      if (prepared.reason !== failure.reason) await tx.importFailure.update({ where: { id: failureId }, data: { reason: prepared.reason.slice(0, 500) } });
    } else {
      const state = await newBatchState(tx, list.id);
      outcome = await commit(tx, list, prepared, {}, state);
      await applyListDelta(tx, list.id, state.delta, state.newestVisible);
      await tx.importFailure.update({ where: { id: failureId }, data: { resolvedAt: new Date() } });
    }
    await recordAudit(
      { actorId, action: "import.failure.retry", targetType: "import-failure", targetId: failureId, details: { outcome: outcome.status } },
      tx,
    );
    return outcome;
  });
  return result;
}

/** The file name recorded as mbox provenance: the base name only, never a server path. */
export function mboxSourceName(file: string): string {
  return path.basename(file);
}
