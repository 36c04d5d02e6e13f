import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/utils/db.server";
import { excerptOf, type ChatMessageView } from "./message-view";

/** The columns every chat message view needs. */
export const MESSAGE_SELECT = {
  id: true,
  roomId: true,
  authorId: true,
  html: true,
  createdAt: true,
  editedAt: true,
  deletedAt: true,
  deletedById: true,
  deleteReason: true,
  promotedTopicId: true,
  promotedPostNumber: true,
  author: { select: { id: true, username: true, role: true } },
  replyTo: { select: { id: true, body: true, deletedAt: true, author: { select: { username: true } } } },
} satisfies Prisma.ChatMessageSelect;

export type MessageRow = Prisma.ChatMessageGetPayload<{ select: typeof MESSAGE_SELECT }>;

/** Rows to views, looking up the topics promoted messages went to in one query. */
export async function toViews(rows: MessageRow[]): Promise<ChatMessageView[]> {
  const topicIds = [...new Set(rows.map((r) => r.promotedTopicId).filter((id): id is number => id !== null))];
  const topics = topicIds.length
    ? await db.topic.findMany({ where: { id: { in: topicIds } }, select: { id: true, slug: true, title: true } })
    : [];
  const byId = new Map(topics.map((t) => [t.id, t]));
  return rows.map((row) => toView(row, byId));
}

function toView(row: MessageRow, topics: Map<number, { id: number; slug: string; title: string }>): ChatMessageView {
  const topic = row.promotedTopicId ? topics.get(row.promotedTopicId) : undefined;
  const deleted = row.deletedAt ? (row.deletedById === row.authorId ? "author" : "moderators") : null;
  return {
    id: row.id,
    roomId: row.roomId,
    author: row.author,
    html: deleted ? null : row.html,
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
    deleted,
    deleteReason: deleted === "moderators" ? row.deleteReason : null,
    replyTo: row.replyTo
      ? { id: row.replyTo.id, author: row.replyTo.author.username, excerpt: row.replyTo.deletedAt ? null : excerptOf(row.replyTo.body) }
      : null,
    promoted: topic ? { href: `/t/${topic.id}/${topic.slug}/${row.promotedPostNumber ?? 1}`, title: topic.title } : null,
  };
}

export async function loadViews(where: Prisma.ChatMessageWhereInput, orderBy: Prisma.ChatMessageOrderByWithRelationInput = { id: "asc" }, take?: number, skip?: number) {
  return toViews(await db.chatMessage.findMany({ where, orderBy, take, skip, select: MESSAGE_SELECT }));
}
