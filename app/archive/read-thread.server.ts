// A thread: resolved from any of its messages' public ids, its messages in
// thread order with their depth, the "not received" and "removed" markers,
// and its neighbours in the list by last activity.
import { db } from "~/utils/db.server";
import { notFound } from "~/utils/http";
import { foldMessageText, type TextBlock } from "./quote-fold";
import { hiddenExplanation, maskerFor, senderName, subjectsUnder, visibleThreadWhere, type ListRow, type Viewer } from "./read.server";

/** Indentation stops here; deeper replies line up at this depth. */
export const MAX_VISUAL_DEPTH = 8;

type Node = { id: number; messageId: string; parentMessageId: string | null; date: Date | null };

/**
 * Depth-first thread order: each message after its parent, siblings by date.
 * Messages whose parent is not in `rows` start a new root. Iterative, and safe
 * against cycles (broken References can make one).
 */
export function threadOrder<T extends Node>(rows: T[]): { row: T; depth: number }[] {
  const byMessageId = new Map(rows.map((row) => [row.messageId, row]));
  const children = new Map<string, T[]>();
  const roots: T[] = [];
  for (const row of rows) {
    const parent = row.parentMessageId && row.parentMessageId !== row.messageId ? byMessageId.get(row.parentMessageId) : undefined;
    if (parent) {
      const list = children.get(parent.messageId) ?? [];
      list.push(row);
      children.set(parent.messageId, list);
    } else {
      roots.push(row);
    }
  }
  const byDate = (a: T, b: T) => (a.date?.getTime() ?? 0) - (b.date?.getTime() ?? 0) || a.id - b.id;
  const out: { row: T; depth: number }[] = [];
  const seen = new Set<number>();
  const walk = (start: T[]) => {
    const stack = [...start].sort(byDate).reverse().map((row) => ({ row, depth: 0 }));
    while (stack.length) {
      const { row, depth } = stack.pop()!;
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      out.push({ row, depth });
      const kids = [...(children.get(row.messageId) ?? [])].sort(byDate).reverse();
      for (const kid of kids) stack.push({ row: kid, depth: depth + 1 });
    }
  };
  walk(roots);
  // Members of a cycle have no root: start from the oldest of what is left.
  while (seen.size < rows.length) walk([rows.filter((row) => !seen.has(row.id)).sort(byDate)[0]!]);
  return out;
}

/** The thread a public id names: the thread's own id or any of its messages'. */
export async function resolveThread(list: ListRow, publicId: string | undefined) {
  if (!publicId) notFound("There is no thread at this address.");
  const thread = await db.mailThread.findFirst({ where: { publicId, listId: list.id }, select: THREAD_SELECT });
  if (thread) return { thread, viaMessage: null };
  const message = await db.mailMessage.findFirst({
    where: { publicId, listId: list.id },
    select: { publicId: true, thread: { select: THREAD_SELECT } },
  });
  if (!message?.thread) notFound("There is no thread at this address.");
  return { thread: message.thread, viaMessage: message.publicId };
}

const THREAD_SELECT = { id: true, publicId: true, subject: true, messageCount: true, missingCount: true, firstAt: true, lastAt: true } as const;
export type ThreadRow = { id: number; publicId: string; subject: string; messageCount: number; missingCount: number; firstAt: Date; lastAt: Date };

export type ThreadItem =
  | {
      kind: "message";
      publicId: string;
      url: string;
      depth: number;
      indent: number;
      subject: string;
      from: string;
      fromAddress: string | null;
      date: string | null;
      inferredParent: boolean;
      /** A moderator detached the message or re-attached it here. */
      placedByModerator: boolean;
      attachmentCount: number;
      blocks: TextBlock[];
      /** Set for moderators looking at a hidden message. */
      hidden: string | null;
    }
  | { kind: "placeholder"; publicId: string; depth: number; indent: number }
  | { kind: "removed"; publicId: string; depth: number; indent: number; explanation: string };

/** Messages per thread page: long threads are split so a page stays light; as many as a forum topic's page (POSTS_PER_PAGE). */
export const THREAD_PAGE_SIZE = 20;

/** One line of a thread's table of contents, for every entry of the thread (subject null: the thread's own). */
export type ThreadTocEntry =
  | { kind: "message"; publicId: string; indent: number; subject: string | null; from: string; page: number }
  | { kind: "placeholder" | "removed"; publicId: string; indent: number; page: number };

/**
 * The thread as the viewer may read it. With `page`, only that page's entries
 * carry their text (the table of contents covers the whole thread); without
 * it, every entry does (the JSON API).
 */
export async function loadThread(list: ListRow, thread: ThreadRow, viewer: Viewer, options: { page?: number } = {}) {
  const rows = await db.mailMessage.findMany({
    where: { threadId: thread.id },
    orderBy: [{ date: "asc" }, { id: "asc" }],
    select: {
      id: true, publicId: true, messageId: true, parentMessageId: true, kind: true, inferredParent: true, parentSetAt: true, subject: true,
      fromName: true, fromAddress: true, date: true, hiddenAt: true, hiddenReason: true,
    },
  });
  const ordered = threadOrder(rows);
  const pageCount = Math.max(1, Math.ceil(ordered.length / THREAD_PAGE_SIZE));
  const page = options.page === undefined ? null : Math.min(Math.max(1, options.page), pageCount);
  const shown = page === null ? ordered : ordered.slice((page - 1) * THREAD_PAGE_SIZE, page * THREAD_PAGE_SIZE);
  // Texts and attachment counts only for what this page shows.
  const details = await db.mailMessage.findMany({
    where: { id: { in: shown.filter(({ row }) => row.kind !== "placeholder").map(({ row }) => row.id) } },
    select: { id: true, textBody: true, _count: { select: { attachments: true } } },
  });
  const detailById = new Map(details.map((detail) => [detail.id, detail]));
  const mask = maskerFor(viewer, list);
  const subjectUnder = subjectsUnder(thread.subject, mask);
  const removedFor = (row: (typeof rows)[number]) => row.hiddenAt !== null && !viewer.seeHidden;
  const toc: ThreadTocEntry[] = ordered.map(({ row, depth }, index) => {
    const common = { publicId: row.publicId, indent: Math.min(depth, MAX_VISUAL_DEPTH), page: Math.floor(index / THREAD_PAGE_SIZE) + 1 };
    if (row.kind === "placeholder") return { kind: "placeholder", ...common };
    if (removedFor(row)) return { kind: "removed", ...common };
    return { kind: "message", ...common, subject: subjectUnder(row.subject), from: senderName(row, mask) };
  });
  const items: ThreadItem[] = shown.map(({ row, depth }) => {
    const indent = Math.min(depth, MAX_VISUAL_DEPTH);
    if (row.kind === "placeholder") return { kind: "placeholder", publicId: row.publicId, depth, indent };
    if (removedFor(row)) {
      return { kind: "removed", publicId: row.publicId, depth, indent, explanation: hiddenExplanation(row.hiddenReason) };
    }
    const detail = detailById.get(row.id);
    return {
      kind: "message",
      publicId: row.publicId,
      url: `/lists/${list.slug}/m/${row.publicId}`,
      depth,
      indent,
      subject: mask(row.subject) || "(no subject)",
      from: senderName(row, mask),
      fromAddress: row.fromAddress ? mask(row.fromAddress) : null,
      date: row.date?.toISOString() ?? null,
      inferredParent: row.inferredParent,
      placedByModerator: row.parentSetAt !== null,
      attachmentCount: detail?._count.attachments ?? 0,
      blocks: foldMessageText(mask(detail?.textBody ?? "")),
      hidden: row.hiddenAt ? `Hidden: ${row.hiddenReason ?? "no reason given"}` : null,
    };
  });
  return {
    items,
    toc,
    page: page ?? 1,
    pageCount: page === null ? 1 : pageCount,
    readableCount: toc.filter((entry) => entry.kind === "message").length,
    missing: toc.filter((entry) => entry.kind === "placeholder").length,
    removed: toc.filter((entry) => entry.kind === "removed").length,
  };
}

/** The page of the thread that shows the message with this public id (1 when it is not there). */
export function pageOfEntry(toc: ThreadTocEntry[], publicId: string): number {
  return toc.find((entry) => entry.publicId === publicId)?.page ?? 1;
}

/** Older and newer threads of the list by last activity. */
export async function threadNeighbours(list: ListRow, thread: ThreadRow, viewer: Viewer) {
  const visible = visibleThreadWhere(viewer);
  const select = { publicId: true, subject: true } as const;
  const [older, newer] = await Promise.all([
    db.mailThread.findFirst({
      where: { listId: list.id, ...visible, OR: [{ lastAt: { lt: thread.lastAt } }, { lastAt: thread.lastAt, id: { lt: thread.id } }] },
      orderBy: [{ lastAt: "desc" }, { id: "desc" }],
      select,
    }),
    db.mailThread.findFirst({
      where: { listId: list.id, ...visible, OR: [{ lastAt: { gt: thread.lastAt } }, { lastAt: thread.lastAt, id: { gt: thread.id } }] },
      orderBy: [{ lastAt: "asc" }, { id: "asc" }],
      select,
    }),
  ]);
  const mask = maskerFor(viewer, list);
  const link = (t: { publicId: string; subject: string } | null) =>
    t ? { url: `/lists/${list.slug}/thread/${t.publicId}`, subject: mask(t.subject) || "(no subject)" } : null;
  return { older: link(older), newer: link(newer) };
}
