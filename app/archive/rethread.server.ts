// Moderators correct a thread by hand: detach an archived message (with its
// replies) into a thread of its own, or re-attach it under another message
// of the same list. Either way the message records who placed it and when
// (parentSetById/parentSetAt); the importer then treats it as having a
// claimed parent, so other messages' References never move it back.
//
// The thread invariants of ingest-threads.server.ts hold afterwards: one
// thread = one tree, a thread is named after its root's Message-ID,
// childless placeholders are pruned, and thread and list counters are exact.
// A thread emptied by a re-attach is deleted; its old address still resolves
// because it is also the public id of its former root message, which the
// thread page follows to the message's current thread.
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { threadPublicId } from "./ids";
import { applyListDelta, claimWriteLock, emptyDelta, refreshThread, type Tx } from "./ingest-threads.server";
import { normalizeMessageId } from "./read-message.server";

/** Deeper or larger than any real thread; guards corrupt, cyclic data. */
const MAX_WALK = 100_000;
const BATCH = 500;

export type RethreadError =
  | "not-found"
  | "bad-reason"
  | "already-root"
  | "bad-parent"
  | "unknown-parent"
  | "other-list"
  | "placeholder-parent"
  | "loop"
  | "already-placed"
  | "too-large";

export type RethreadResult =
  | { ok: true; publicId: string; threadPublicId: string; oldThreadPublicId: string | null }
  | { ok: false; error: RethreadError; message: string; field: "parent" | "reason" | null };

type ListRef = { id: number; slug: string };
type Failure = Extract<RethreadResult, { ok: false }>;

const PARENT_ERRORS: ReadonlySet<RethreadError> = new Set(["bad-parent", "unknown-parent", "other-list", "placeholder-parent", "loop", "already-placed"]);

function failure(error: RethreadError, message: string): Failure {
  return { ok: false, error, message, field: error === "bad-reason" ? "reason" : PARENT_ERRORS.has(error) ? "parent" : null };
}

/** Thrown inside the transaction so that a refusal rolls back whatever was written. */
class Refusal extends Error {
  constructor(readonly result: Failure) {
    super(result.message);
  }
}

function refuse(error: RethreadError, message: string): never {
  throw new Refusal(failure(error, message));
}

export const REASON_MIN = 3;
export const REASON_MAX = 500;

/** The reason as stored in the audit log, or null when it is too short or too long. */
export function cleanReason(text: string): string | null {
  const reason = text.trim().replace(/\s+/g, " ");
  return reason.length >= REASON_MIN && reason.length <= REASON_MAX ? reason : null;
}

const REASON_MESSAGE = `Give a reason of ${REASON_MIN} to ${REASON_MAX} characters; it goes to the moderation log.`;

export type ParentReference =
  | { kind: "publicId"; publicId: string }
  | { kind: "messageId"; messageId: string }
  /** A bare 16-character token: a permalink id, or (rarely) a Message-ID. */
  | { kind: "either"; publicId: string; messageId: string }
  | { kind: "other-list"; slug: string }
  | { kind: "bad" };

const PUBLIC_ID = /^[a-z2-7]{16}$/;

/**
 * Reads what a moderator typed to name the new parent: a Message-ID (with or
 * without angle brackets), a message's permalink id, or a link to a message
 * of the list (/lists/<slug>/m/<id>, or /mid/<Message-ID>), with or without
 * the site's origin.
 */
export function parseParentReference(listSlug: string, input: string): ParentReference {
  const text = input.trim();
  if (!text) return { kind: "bad" };
  let path: string | null = null;
  if (/^https?:\/\//i.test(text)) {
    try {
      path = new URL(text).pathname;
    } catch {
      return { kind: "bad" };
    }
  } else if (text.startsWith("/")) {
    path = text.replace(/[?#].*$/, "");
  }
  if (path !== null) {
    const permalink = /^\/lists\/([^/]+)\/m\/([^/]+)\/?$/.exec(path);
    if (permalink) {
      let slug: string;
      try {
        slug = decodeURIComponent(permalink[1]!);
      } catch {
        return { kind: "bad" };
      }
      if (slug !== listSlug) return { kind: "other-list", slug };
      return PUBLIC_ID.test(permalink[2]!) ? { kind: "publicId", publicId: permalink[2]! } : { kind: "bad" };
    }
    const mid = /^\/mid\/(.+)$/.exec(path);
    const messageId = mid ? normalizeMessageId(mid[1]!) : null;
    return messageId ? { kind: "messageId", messageId } : { kind: "bad" };
  }
  if (PUBLIC_ID.test(text)) return { kind: "either", publicId: text, messageId: text };
  // A Message-ID may legitimately contain "%", which normalizeMessageId would decode.
  const bare = text.replace(/^<+/, "").replace(/>+$/, "").trim();
  if (!bare || bare.length > 998 || /[\s<>\u0000-\u001f\u007f]/.test(bare)) return { kind: "bad" };
  return { kind: "messageId", messageId: bare };
}

const ROW = {
  id: true, listId: true, publicId: true, messageId: true, kind: true, threadId: true, parentMessageId: true,
  parentSetAt: true, inferredParent: true, date: true, thread: { select: { publicId: true } },
} as const;

function findRow(tx: Tx, where: { publicId: string } | { listId_messageId: { listId: number; messageId: string } }) {
  return tx.mailMessage.findUnique({ where, select: ROW });
}

async function findTarget(tx: Tx, list: ListRef, publicId: string) {
  const row = await findRow(tx, { publicId });
  if (!row || row.listId !== list.id || row.kind !== "message") refuse("not-found", "There is no such message in this list.");
  return row;
}

async function resolveParent(tx: Tx, list: ListRef, input: string) {
  const ref = parseParentReference(list.slug, input);
  if (ref.kind === "bad") refuse("bad-parent", "Give the parent's Message-ID, or a link to it in this list's archive.");
  if (ref.kind === "other-list") refuse("other-list", "That link is to another list; a message can only move within its own list.");
  let row: Awaited<ReturnType<typeof findRow>> = null;
  if (ref.kind === "publicId" || ref.kind === "either") {
    row = await findRow(tx, { publicId: ref.publicId });
    if (row && row.listId !== list.id) refuse("other-list", "That message is in another list; a message can only move within its own list.");
  }
  if (!row && (ref.kind === "messageId" || ref.kind === "either")) {
    row = await findRow(tx, { listId_messageId: { listId: list.id, messageId: ref.messageId } });
    if (!row) {
      const elsewhere = await tx.mailMessage.findFirst({ where: { messageId: ref.messageId, kind: "message" }, select: { id: true } });
      if (elsewhere) refuse("other-list", "That message is in another list; a message can only move within its own list.");
    }
  }
  if (!row) refuse("unknown-parent", "There is no message with that Message-ID or link in this list.");
  if (row.kind !== "message") refuse("placeholder-parent", "That message was referenced by others but never reached the archive; choose a message the archive has.");
  return row;
}

/** Ids of the rows under `messageId`, itself included; breadth first, in batches. */
async function subtreeIds(tx: Tx, listId: number, self: { id: number; messageId: string }): Promise<number[]> {
  const ids = [self.id];
  const seen = new Set([self.messageId]);
  let frontier = [self.messageId];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (let i = 0; i < frontier.length; i += BATCH) {
      const children = await tx.mailMessage.findMany({
        where: { listId, parentMessageId: { in: frontier.slice(i, i + BATCH) } },
        select: { id: true, messageId: true },
      });
      for (const child of children) {
        if (seen.has(child.messageId)) continue;
        seen.add(child.messageId);
        ids.push(child.id);
        next.push(child.messageId);
      }
      if (ids.length > MAX_WALK) refuse("too-large", "This part of the thread is too large to move by hand.");
    }
    frontier = next;
  }
  return ids;
}

async function moveRows(tx: Tx, ids: number[], threadId: number): Promise<void> {
  for (let i = 0; i < ids.length; i += BATCH) {
    await tx.mailMessage.updateMany({ where: { id: { in: ids.slice(i, i + BATCH) } }, data: { threadId } });
  }
}

/** Deletes childless placeholders from `messageId` upwards, as ingest does. Returns the threads touched. */
async function pruneEmptyPlaceholders(tx: Tx, listId: number, messageId: string | null): Promise<Set<number>> {
  const touched = new Set<number>();
  let cursor = messageId;
  for (let steps = 0; cursor !== null && steps < MAX_WALK; steps++) {
    const row = await tx.mailMessage.findUnique({
      where: { listId_messageId: { listId, messageId: cursor } },
      select: { id: true, kind: true, parentMessageId: true, threadId: true },
    });
    if (!row || row.kind !== "placeholder") break;
    if ((await tx.mailMessage.count({ where: { listId, parentMessageId: cursor } })) > 0) break;
    await tx.mailMessage.delete({ where: { id: row.id } });
    if (row.threadId !== null) touched.add(row.threadId);
    cursor = row.parentMessageId;
  }
  return touched;
}

/** The root row above `messageId` (following parent pointers). */
async function rootOf(tx: Tx, listId: number, messageId: string) {
  const seen = new Set<string>();
  let row = await tx.mailMessage.findUniqueOrThrow({ where: { listId_messageId: { listId, messageId } }, select: { id: true, messageId: true, parentMessageId: true } });
  while (row.parentMessageId !== null && !seen.has(row.parentMessageId) && seen.size < MAX_WALK) {
    seen.add(row.messageId);
    const parent = await tx.mailMessage.findUnique({ where: { listId_messageId: { listId, messageId: row.parentMessageId } }, select: { id: true, messageId: true, parentMessageId: true } });
    if (!parent) break;
    row = parent;
  }
  return row;
}

/** The thread named after `rootMessageId`, created when there is none. */
async function threadNamedAfter(tx: Tx, list: ListRef, rootMessageId: string, date: Date | null): Promise<{ id: number; publicId: string }> {
  const publicId = threadPublicId(list.slug, rootMessageId);
  const existing = await tx.mailThread.findUnique({ where: { publicId }, select: { id: true, publicId: true } });
  if (existing) return existing;
  const at = date ?? new Date();
  // Counters and subject are filled in by refreshThread once the rows are in.
  return tx.mailThread.create({ data: { listId: list.id, publicId, subject: "", firstAt: at, lastAt: at }, select: { id: true, publicId: true } });
}

async function refreshAll(tx: Tx, listId: number, threadIds: Iterable<number>): Promise<void> {
  const delta = emptyDelta();
  for (const threadId of new Set(threadIds)) await refreshThread(tx, threadId, delta);
  // Moving rows between threads changes no message's visibility or date, so
  // the list's messageCount and lastMessageAt stay; threadCount may change.
  await applyListDelta(tx, listId, delta, null);
}

async function run(list: ListRef, work: (tx: Tx) => Promise<RethreadResult>): Promise<RethreadResult> {
  try {
    return await db.$transaction(
      async (tx) => {
        await claimWriteLock(tx, list.id);
        return work(tx);
      },
      // The importer may hold the write lock for one of its batches.
      { maxWait: 60_000, timeout: 120_000 },
    );
  } catch (error) {
    if (error instanceof Refusal) return error.result;
    throw error;
  }
}

/**
 * Makes the message the root of a thread of its own, with every reply under
 * it. Audit: mail.detach.
 */
export async function detachMessage(actorId: number, list: ListRef, publicId: string, reasonText: string): Promise<RethreadResult> {
  const reason = cleanReason(reasonText);
  if (reason === null) return failure("bad-reason", REASON_MESSAGE);
  return run(list, async (tx) => {
    const message = await findTarget(tx, list, publicId);
    const oldParent = message.parentMessageId;
    if (oldParent === null) refuse("already-root", "This message already starts its own thread.");
    const ids = await subtreeIds(tx, list.id, message);
    await tx.mailMessage.update({
      where: { id: message.id },
      data: { parentMessageId: null, inferredParent: false, parentSetById: actorId, parentSetAt: new Date() },
    });
    const target = await threadNamedAfter(tx, list, message.messageId, message.date);
    await moveRows(tx, ids, target.id);
    const touched = [target.id];
    if (message.threadId !== null) touched.push(message.threadId);
    if (message.threadId === target.id) {
      // The old thread already carried this message's name (rows left over
      // from an earlier move): the rest of it goes to a thread named after its own root.
      const root = await rootOf(tx, list.id, oldParent);
      const rest = await threadNamedAfter(tx, list, root.messageId, message.date);
      await moveRows(tx, await subtreeIds(tx, list.id, root), rest.id);
      touched.push(rest.id);
    }
    for (const threadId of await pruneEmptyPlaceholders(tx, list.id, oldParent)) touched.push(threadId);
    await refreshAll(tx, list.id, touched);
    const oldThreadPublicId = message.thread?.publicId ?? null;
    await recordAudit(
      {
        actorId,
        action: "mail.detach",
        targetType: "mail",
        targetId: publicId,
        reason,
        details: {
          listId: list.id,
          oldThreadPublicId,
          newThreadPublicId: target.publicId,
          oldParentMessageId: oldParent,
          newParentMessageId: null,
          movedRows: ids.length,
        },
      },
      tx,
    );
    return { ok: true, publicId, threadPublicId: target.publicId, oldThreadPublicId };
  });
}

/**
 * Places the message, with every reply under it, under `newParent` (a
 * Message-ID, a permalink id or a link of the same list). Refuses a parent
 * inside the message's own subtree. Audit: mail.reattach.
 */
export async function reattachMessage(
  actorId: number,
  list: ListRef,
  publicId: string,
  newParent: string,
  reasonText: string,
): Promise<RethreadResult> {
  const reason = cleanReason(reasonText);
  if (reason === null) return failure("bad-reason", REASON_MESSAGE);
  return run(list, async (tx) => {
    const message = await findTarget(tx, list, publicId);
    const parent = await resolveParent(tx, list, newParent);
    const loop = "That would make a loop: the new parent is this message or one of its replies.";
    if (parent.id === message.id) refuse("loop", loop);
    if (message.parentMessageId === parent.messageId && message.parentSetAt !== null && !message.inferredParent) {
      refuse("already-placed", "The message already hangs under that message.");
    }
    const ids = await subtreeIds(tx, list.id, message);
    if (ids.includes(parent.id)) refuse("loop", loop);
    if (parent.threadId === null) refuse("unknown-parent", "That message is not in a thread yet; try again after the next import.");
    await tx.mailMessage.update({
      where: { id: message.id },
      data: { parentMessageId: parent.messageId, inferredParent: false, parentSetById: actorId, parentSetAt: new Date() },
    });
    const touched = [parent.threadId];
    if (message.threadId !== parent.threadId) {
      await moveRows(tx, ids, parent.threadId);
      if (message.threadId !== null) touched.push(message.threadId); // deleted by the refresh when it is empty now
    }
    if (message.parentMessageId !== null && message.parentMessageId !== parent.messageId) {
      for (const threadId of await pruneEmptyPlaceholders(tx, list.id, message.parentMessageId)) touched.push(threadId);
    }
    await refreshAll(tx, list.id, touched);
    const target = await tx.mailThread.findUniqueOrThrow({ where: { id: parent.threadId }, select: { publicId: true } });
    const oldThreadPublicId = message.thread?.publicId ?? null;
    await recordAudit(
      {
        actorId,
        action: "mail.reattach",
        targetType: "mail",
        targetId: publicId,
        reason,
        details: {
          listId: list.id,
          oldThreadPublicId,
          newThreadPublicId: target.publicId,
          oldParentMessageId: message.parentMessageId,
          newParentMessageId: parent.messageId,
          movedRows: message.threadId !== parent.threadId ? ids.length : 0,
        },
      },
      tx,
    );
    return { ok: true, publicId, threadPublicId: target.publicId, oldThreadPublicId };
  });
}
