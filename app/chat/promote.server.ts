import { cookPost } from "~/forums/cook.server";
import { slugify } from "~/forums/slug";
import { publish } from "~/events/bus.server";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { isArchivedBoard } from "~/forums/manage-boards.server";
import { canModerate, canPromoteChat, type Actor } from "~/utils/permissions";
import { publishMessages } from "./events.server";
import { PROMOTE_MAX_MESSAGES } from "./limits";
import { markRevised } from "./revise.server";
import { enqueueSearch } from "../../search/outbox.server.ts";

const UTC = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });


export type PromoteResult = { ok: true; topicId: number; slug: string } | { ok: false; status: number; message: string };

/** The topic's first post: each message quoted under its author and a link back to it. */
export function promotedBody(room: { slug: string; name: string }, messages: { id: number; body: string; createdAt: Date; author: string }[]): string {
  const intro = `Started in the chat room [${room.name.replace(/[[\]]/g, "")}](/chat/${room.slug}) (${messages.length} message${messages.length === 1 ? "" : "s"}).`;
  const quoted = messages.map((m) => {
    const text = m.body.split("\n").map((line) => `> ${line}`).join("\n");
    return `**${m.author}** · [${UTC.format(m.createdAt)} UTC](/chat/${room.slug}/m/${m.id})\n\n${text}`;
  });
  return [intro, ...quoted].join("\n\n");
}

/**
 * Turns selected chat messages into a forum topic on a board. The topic, its
 * first post and the "promoted to" marks on the messages are written in one
 * transaction, so a failure leaves neither half.
 */
export async function promoteMessages(actor: NonNullable<Actor>, roomId: number, messageIds: number[], input: { boardId: number; title: string }): Promise<PromoteResult> {
  const ids = [...new Set(messageIds)].slice(0, PROMOTE_MAX_MESSAGES);
  if (!ids.length) return { ok: false, status: 400, message: "Select at least one message." };
  const [room, messages, board] = await Promise.all([
    db.chatRoom.findUnique({ where: { id: roomId }, select: { id: true, slug: true, name: true } }),
    db.chatMessage.findMany({
      where: { id: { in: ids }, roomId },
      orderBy: { id: "asc" },
      select: { id: true, body: true, createdAt: true, authorId: true, deletedAt: true, promotedTopicId: true, author: { select: { username: true } } },
    }),
    db.board.findUnique({ where: { id: input.boardId }, select: { id: true, hiddenAt: true, archivedAt: true, forum: { select: { archivedAt: true } } } }),
  ]);
  if (!room) return { ok: false, status: 404, message: "That room does not exist." };
  if (messages.length !== ids.length) return { ok: false, status: 400, message: "Some selected messages are not in this room." };
  if (messages.some((m) => m.deletedAt)) return { ok: false, status: 400, message: "Deleted messages cannot be promoted." };
  if (messages.some((m) => m.promotedTopicId)) return { ok: false, status: 409, message: "Some selected messages were already promoted to a topic." };
  if (!canPromoteChat(actor, messages.map((m) => m.authorId))) {
    return { ok: false, status: 403, message: "You can promote conversations you took part in." };
  }
  if (!board || (board.hiddenAt && !canModerate(actor)) || isArchivedBoard(board)) return { ok: false, status: 400, message: "Choose a board that takes new topics." };

  const raw = promotedBody(room, messages.map((m) => ({ id: m.id, body: m.body, createdAt: m.createdAt, author: m.author.username })));
  const { cooked } = await cookPost(raw);
  const now = new Date();
  const slug = slugify(input.title);
  const topic = await db.$transaction(async (tx) => {
    const topic = await tx.topic.create({
      data: { boardId: board.id, slug, title: input.title, authorId: actor.id, createdAt: now, bumpedAt: now, lastPosterId: actor.id, postCount: 1, lastPostNumber: 1 },
    });
    const post = await tx.post.create({ data: { topicId: topic.id, number: 1, authorId: actor.id, raw, cooked, createdAt: now } });
    await tx.postRevision.create({ data: { postId: post.id, version: 1, raw, cooked, editorId: actor.id, createdAt: now } });
    await tx.board.update({ where: { id: board.id }, data: { topicCount: { increment: 1 }, postCount: { increment: 1 }, lastPostedAt: now } });
    const revisedAfterId = await markRevised(tx, room.id);
    await tx.chatMessage.updateMany({ where: { id: { in: ids } }, data: { promotedTopicId: topic.id, promotedPostNumber: 1, revisedAfterId } });
    await enqueueSearch(tx, { kind: "post", id: post.id }, ...ids.map((id) => ({ kind: "chat" as const, id })));
    await recordAudit({ actorId: actor.id, action: "chat.promote", targetType: "room", targetId: room.id, details: { topicId: topic.id, messageIds: ids } }, tx);
    return topic;
  });
  publish(`board:${board.id}`, { type: "topic", data: { topicId: topic.id } });
  await publishMessages(room.id, ids, "update");
  return { ok: true, topicId: topic.id, slug: topic.slug };
}
