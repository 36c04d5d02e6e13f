// Thread bookkeeping for the importer, inside the caller's transaction.
//
// Invariants kept here (importer/thread-incremental.ts describes the model):
// - every MailMessage row (message or placeholder) has a parent pointer
//   (parentMessageId, null for a root) and a threadId;
// - one thread = one tree: all rows under a root share its threadId, and the
//   thread's publicId is threadPublicId(list slug, root Message-ID), which is
//   also the MailMessage.publicId of the root row. When trees merge, the
//   thread of the absorbed root is deleted; a reading page that meets an
//   unknown thread id can look up the MailMessage with that publicId and
//   redirect to its current thread;
// - MailThread counters: messageCount = real, visible messages; missingCount
//   = placeholders; firstAt/lastAt from visible messages (all messages when
//   none is visible); subject from the root when it is a visible message,
//   else from the earliest visible message;
// - MailingList counters: messageCount = visible messages, threadCount =
//   threads with at least one visible message, lastMessageAt = newest
//   visible message date.
import { normalizeSubject, subjectKey } from "../../importer/base-subject.ts";
import type { StoredThreadNode, ThreadStore } from "../../importer/thread-incremental.ts";
import type { Prisma } from "~/generated/prisma/client";
import { threadPublicId } from "./ids";

export type Tx = Prisma.TransactionClient;
export type ArchiveListRef = { id: number; slug: string };

const DAY_MS = 24 * 60 * 60 * 1000;
/** Subject grouping never links messages further apart than this. */
export const SUBJECT_WINDOW_DAYS = 31;
const MAX_WALK = 100_000;

export type CachedNode = StoredThreadNode & { threadId: number | null };

/**
 * A ThreadStore over the list's MailMessage rows, cached for one planning
 * step (the rows do not change while planParent runs). `cache` is exposed so
 * the caller can reuse what was read, as long as it knows the row is unchanged.
 */
export function createThreadStore(tx: Tx, listId: number, known: Array<[string, CachedNode | undefined]> = []): ThreadStore & { cache: Map<string, CachedNode | undefined> } {
  const cache = new Map<string, CachedNode | undefined>(known);
  return {
    cache,
    async get(messageId: string) {
      if (cache.has(messageId)) return cache.get(messageId);
      const row = await tx.mailMessage.findUnique({
        where: { listId_messageId: { listId, messageId } },
        select: { kind: true, parentMessageId: true, claimsParent: true, parentSetAt: true, threadId: true },
      });
      // A moderator's placement counts as a claimed parent: other messages'
      // References never move a message a moderator detached or re-attached.
      const node: CachedNode | undefined = row
        ? {
            kind: row.kind === "placeholder" ? "placeholder" : "message",
            parentMessageId: row.parentMessageId,
            claimsParent: row.claimsParent || row.parentSetAt !== null,
            threadId: row.threadId,
          }
        : undefined;
      cache.set(messageId, node);
      return node;
    },
  };
}

/**
 * Subject fallback for a message with no In-Reply-To and no References: the
 * root Message-ID of the most recent thread of the list whose subject has the
 * same (non-empty) base subject and whose last message is within 31 days of
 * this one. `excludeThreadId` is the message's own thread (a placeholder that
 * already heads replies), which must never be its own anchor.
 */
export async function findSubjectAnchor(
  tx: Tx,
  listId: number,
  normalizedSubject: string,
  date: Date,
  excludeThreadId: number | null,
): Promise<string | null> {
  const key = subjectKey(normalizedSubject);
  if (key === "") return null;
  const windowMs = SUBJECT_WINDOW_DAYS * DAY_MS;
  const candidates = await tx.mailThread.findMany({
    where: {
      listId,
      lastAt: { gte: new Date(date.getTime() - windowMs), lte: new Date(date.getTime() + windowMs) },
      messageCount: { gt: 0 },
      ...(excludeThreadId !== null ? { id: { not: excludeThreadId } } : {}),
    },
    orderBy: [{ lastAt: "desc" }, { id: "desc" }],
    select: { id: true, publicId: true, subject: true },
    take: 500,
  });
  for (const thread of candidates) {
    if (subjectKey(normalizeSubject(thread.subject)) !== key) continue;
    const root = await tx.mailMessage.findUnique({ where: { publicId: thread.publicId }, select: { messageId: true, threadId: true } });
    if (root && root.threadId === thread.id) return root.messageId;
  }
  return null;
}

export type ListDelta = { messages: number; threads: number };

export function emptyDelta(): ListDelta {
  return { messages: 0, threads: 0 };
}

function addThreadChange(delta: ListDelta, before: number, after: number) {
  delta.messages += after - before;
  delta.threads += (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
}

/** Recomputes one thread's counters, dates and subject; deletes it when no row is left. */
export async function refreshThread(tx: Tx, threadId: number, delta: ListDelta): Promise<void> {
  const thread = await tx.mailThread.findUnique({ where: { id: threadId }, select: { messageCount: true, publicId: true, firstAt: true, lastAt: true } });
  if (!thread) return;
  // Sequential on purpose: one connection, one transaction.
  const visible = await tx.mailMessage.aggregate({
    where: { threadId, kind: "message", hiddenAt: null },
    _count: { _all: true },
    _min: { date: true },
    _max: { date: true },
  });
  const missing = await tx.mailMessage.count({ where: { threadId, kind: "placeholder" } });
  const messageCount = visible._count._all;
  let firstAt = visible._min.date;
  let lastAt = visible._max.date;
  if (!firstAt || !lastAt) {
    const any = await tx.mailMessage.aggregate({ where: { threadId, kind: "message" }, _count: { _all: true }, _min: { date: true }, _max: { date: true } });
    if (any._count._all === 0 && missing === 0) {
      await tx.mailThread.delete({ where: { id: threadId } });
      addThreadChange(delta, thread.messageCount, 0);
      return;
    }
    firstAt = any._min.date ?? thread.firstAt;
    lastAt = any._max.date ?? thread.lastAt;
  }
  let subject = "";
  const root = await tx.mailMessage.findUnique({ where: { publicId: thread.publicId }, select: { threadId: true, kind: true, hiddenAt: true, subject: true } });
  if (root && root.threadId === threadId && root.kind === "message" && root.hiddenAt === null) {
    subject = root.subject;
  } else {
    const first = await tx.mailMessage.findFirst({
      where: { threadId, kind: "message", hiddenAt: null },
      orderBy: [{ date: "asc" }, { id: "asc" }],
      select: { subject: true },
    });
    subject = first?.subject ?? "";
  }
  await tx.mailThread.update({ where: { id: threadId }, data: { messageCount, missingCount: missing, firstAt, lastAt, subject } });
  addThreadChange(delta, thread.messageCount, messageCount);
}

/** Ids of the rows in the subtree under `messageId` (itself included). */
async function subtreeRowIds(tx: Tx, listId: number, messageId: string): Promise<number[]> {
  const self = await tx.mailMessage.findUnique({ where: { listId_messageId: { listId, messageId } }, select: { id: true } });
  if (!self) return [];
  const ids = [self.id];
  const seen = new Set([messageId]);
  let frontier = [messageId];
  while (frontier.length > 0 && ids.length < MAX_WALK) {
    const next: string[] = [];
    for (let i = 0; i < frontier.length; i += 500) {
      const children = await tx.mailMessage.findMany({
        where: { listId, parentMessageId: { in: frontier.slice(i, i + 500) } },
        select: { id: true, messageId: true },
      });
      for (const child of children) {
        if (seen.has(child.messageId)) continue;
        seen.add(child.messageId);
        ids.push(child.id);
        next.push(child.messageId);
      }
    }
    frontier = next;
  }
  return ids;
}

/** Deletes childless placeholders from `messageId` upwards. Returns the threads touched. */
async function pruneEmptyPlaceholders(tx: Tx, listId: number, messageId: string | null): Promise<Set<number>> {
  const touched = new Set<number>();
  let cursor = messageId;
  for (let steps = 0; cursor !== null && steps < MAX_WALK; steps++) {
    const row = await tx.mailMessage.findUnique({
      where: { listId_messageId: { listId, messageId: cursor } },
      select: { id: true, kind: true, parentMessageId: true, threadId: true },
    });
    if (!row || row.kind !== "placeholder") break;
    const children = await tx.mailMessage.count({ where: { listId, parentMessageId: cursor } });
    if (children > 0) break;
    await tx.mailMessage.delete({ where: { id: row.id } });
    if (row.threadId !== null) touched.add(row.threadId);
    cursor = row.parentMessageId;
  }
  return touched;
}

const THREAD_COUNTERS = { id: true, publicId: true, messageCount: true, missingCount: true, firstAt: true, lastAt: true, subject: true } as const;
type ThreadCounters = { id: number; publicId: string; messageCount: number; missingCount: number; firstAt: Date; lastAt: Date; subject: string };

export type Placement = {
  /** The message just written (new row, or a placeholder turned into the message). */
  messageId: string;
  /** Its parent after this step (null: it is a root). */
  parentMessageId: string | null;
  /** Placeholders created for this message. */
  createdPlaceholders: string[];
  /** Roots that the References chain placed under another node, with their thread before. */
  reparented: Array<{ messageId: string; oldThreadId: number | null }>;
  /** Set when the message replaced an existing placeholder. */
  replacedPlaceholder: { oldThreadId: number | null; oldParentMessageId: string | null } | null;
  /** The parent's thread, when the caller knows it and no row on the way up changed (a shortcut). */
  parentThreadId?: number | null;
  /** The message's date and subject, and whether it is visible (not tombstoned). */
  date: Date;
  subject: string;
  visible: boolean;
};

/**
 * Gives the rows touched by one ingested message their thread: finds the
 * thread of the new root, merges the threads of absorbed roots into it, moves
 * a re-parented subtree, prunes placeholders left without children, and
 * refreshes the counters of every thread involved.
 */
export async function placeInThread(tx: Tx, list: ArchiveListRef, placement: Placement, delta: ListDelta): Promise<{ threadId: number; threadPublicId: string }> {
  const moving = new Set<string>([placement.messageId, ...placement.reparented.map((r) => r.messageId)]);
  let targetId: number | null = null;
  let rootMessageId = placement.messageId;
  let cursor = placement.parentMessageId;
  if (cursor !== null && placement.parentThreadId != null && placement.reparented.length === 0 && placement.createdPlaceholders.length === 0) {
    targetId = placement.parentThreadId;
    cursor = null;
  }
  const seen = new Set<string>();
  while (cursor !== null && !seen.has(cursor) && seen.size < MAX_WALK) {
    seen.add(cursor);
    const row = await tx.mailMessage.findUnique({
      where: { listId_messageId: { listId: list.id, messageId: cursor } },
      select: { threadId: true, parentMessageId: true },
    });
    if (!row) break;
    rootMessageId = cursor;
    if (row.threadId !== null && !moving.has(cursor)) {
      targetId = row.threadId;
      break;
    }
    cursor = row.parentMessageId;
  }
  const replaced = placement.replacedPlaceholder;
  const simple = placement.reparented.length === 0 && (!replaced || replaced.oldParentMessageId === placement.parentMessageId);
  let target: ThreadCounters;
  if (targetId !== null) {
    target = await tx.mailThread.findUniqueOrThrow({ where: { id: targetId }, select: THREAD_COUNTERS });
  } else {
    const publicId = threadPublicId(list.slug, rootMessageId);
    const existing = await tx.mailThread.findUnique({ where: { publicId }, select: THREAD_COUNTERS });
    if (existing) {
      target = existing;
    } else if (simple && !replaced) {
      // A brand-new tree: the message and its new placeholders, nothing else.
      target = await tx.mailThread.create({
        data: {
          listId: list.id,
          publicId,
          subject: placement.visible ? placement.subject : "",
          messageCount: placement.visible ? 1 : 0,
          missingCount: placement.createdPlaceholders.length,
          firstAt: placement.date,
          lastAt: placement.date,
        },
        select: THREAD_COUNTERS,
      });
      await tx.mailMessage.updateMany({
        where: { listId: list.id, threadId: null, messageId: { in: [placement.messageId, ...placement.createdPlaceholders] } },
        data: { threadId: target.id },
      });
      addThreadChange(delta, 0, placement.visible ? 1 : 0);
      return { threadId: target.id, threadPublicId: target.publicId };
    } else {
      target = await tx.mailThread.create({
        data: { listId: list.id, publicId, subject: "", firstAt: placement.date, lastAt: placement.date },
        select: THREAD_COUNTERS,
      });
    }
  }
  if (simple && (!replaced || replaced.oldThreadId === target.id)) {
    // The common case: one message (and maybe placeholders) joins an existing thread.
    await tx.mailMessage.updateMany({
      where: { listId: list.id, threadId: null, messageId: { in: [placement.messageId, ...placement.createdPlaceholders] } },
      data: { threadId: target.id },
    });
    await bumpThread(tx, list, target, placement, delta);
    return { threadId: target.id, threadPublicId: target.publicId };
  }

  const toRefresh = new Set<number>([target.id]);
  // Absorbed roots bring their whole tree, which was their whole thread.
  for (const { oldThreadId } of placement.reparented) {
    if (oldThreadId === null || oldThreadId === target.id) continue;
    await tx.mailMessage.updateMany({ where: { threadId: oldThreadId }, data: { threadId: target.id } });
    toRefresh.add(oldThreadId); // now empty: the refresh deletes it
  }
  if (replaced && replaced.oldThreadId !== null && replaced.oldThreadId !== target.id) {
    if (replaced.oldParentMessageId === null) {
      await tx.mailMessage.updateMany({ where: { threadId: replaced.oldThreadId }, data: { threadId: target.id } });
    } else {
      // The placeholder hung under another tree (someone's References); only its subtree moves.
      const ids = await subtreeRowIds(tx, list.id, placement.messageId);
      for (let i = 0; i < ids.length; i += 500) {
        await tx.mailMessage.updateMany({ where: { id: { in: ids.slice(i, i + 500) } }, data: { threadId: target.id } });
      }
    }
    toRefresh.add(replaced.oldThreadId);
  }
  await tx.mailMessage.updateMany({
    where: { listId: list.id, threadId: null, messageId: { in: [placement.messageId, ...placement.createdPlaceholders] } },
    data: { threadId: target.id },
  });
  if (replaced && replaced.oldParentMessageId !== null && replaced.oldParentMessageId !== placement.parentMessageId) {
    for (const id of await pruneEmptyPlaceholders(tx, list.id, replaced.oldParentMessageId)) toRefresh.add(id);
  }
  for (const threadId of toRefresh) await refreshThread(tx, threadId, delta);
  return { threadId: target.id, threadPublicId: target.publicId };
}

/**
 * Updates a thread's counters for one message that joined it (with its new
 * placeholders, or replacing one of its placeholders), without recounting.
 */
async function bumpThread(tx: Tx, list: ArchiveListRef, thread: ThreadCounters, placement: Placement, delta: ListDelta): Promise<void> {
  const threadId = thread.id;
  const missingCount = thread.missingCount + placement.createdPlaceholders.length - (placement.replacedPlaceholder ? 1 : 0);
  if (!placement.visible) {
    if (thread.messageCount === 0) {
      await refreshThread(tx, threadId, delta); // dates come from hidden messages then
    } else if (missingCount !== thread.missingCount) {
      await tx.mailThread.update({ where: { id: threadId }, data: { missingCount } });
    }
    return;
  }
  const empty = thread.messageCount === 0;
  const time = placement.date.getTime();
  let subject = thread.subject;
  if (thread.publicId === threadPublicId(list.slug, placement.messageId)) {
    subject = placement.subject; // the message is the root
  } else if (empty || time <= thread.firstAt.getTime()) {
    const root = await tx.mailMessage.findUnique({ where: { publicId: thread.publicId }, select: { kind: true, hiddenAt: true } });
    if (!(root && root.kind === "message" && root.hiddenAt === null)) {
      // The subject comes from the earliest visible message, which may now be this one.
      await refreshThread(tx, threadId, delta);
      return;
    }
  }
  await tx.mailThread.update({
    where: { id: threadId },
    data: {
      messageCount: thread.messageCount + 1,
      missingCount,
      subject,
      firstAt: empty || time < thread.firstAt.getTime() ? placement.date : thread.firstAt,
      lastAt: empty || time > thread.lastAt.getTime() ? placement.date : thread.lastAt,
    },
  });
  addThreadChange(delta, thread.messageCount, thread.messageCount + 1);
}

/**
 * Takes SQLite's write lock at the start of a transaction (a deferred
 * transaction that reads first can fail with SQLITE_BUSY when it later
 * writes while another process has committed in between). Plain SQL that
 * PostgreSQL accepts as well.
 */
export async function claimWriteLock(tx: Tx, listId: number): Promise<void> {
  await tx.$executeRaw`UPDATE "MailingList" SET "id" = "id" WHERE "id" = ${listId}`;
}

/** Applies counter changes to the list; `newestVisible` may move lastMessageAt forward. */
export async function applyListDelta(tx: Tx, listId: number, delta: ListDelta, newestVisible: Date | null): Promise<void> {
  const list = await tx.mailingList.findUnique({ where: { id: listId }, select: { lastMessageAt: true } });
  if (!list) return;
  const lastMessageAt =
    newestVisible && (!list.lastMessageAt || newestVisible.getTime() > list.lastMessageAt.getTime()) ? newestVisible : undefined;
  if (delta.messages === 0 && delta.threads === 0 && !lastMessageAt) return;
  await tx.mailingList.update({
    where: { id: listId },
    data: {
      messageCount: { increment: delta.messages },
      threadCount: { increment: delta.threads },
      ...(lastMessageAt ? { lastMessageAt } : {}),
    },
  });
}

/** Recomputes lastMessageAt from the visible messages (after a takedown). */
export async function recomputeLastMessageAt(tx: Tx, listId: number): Promise<void> {
  const newest = await tx.mailMessage.findFirst({
    where: { listId, kind: "message", hiddenAt: null, date: { not: null } },
    orderBy: { date: "desc" },
    select: { date: true },
  });
  await tx.mailingList.update({ where: { id: listId }, data: { lastMessageAt: newest?.date ?? null } });
}
