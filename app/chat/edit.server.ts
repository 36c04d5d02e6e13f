import { cookPost } from "~/forums/cook.server";
import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/utils/db.server";
import { canDeleteChatMessage, canEditChatMessage, CHAT_EDIT_WINDOW_MS, type Actor } from "~/utils/permissions";
import { publishMessages } from "./events.server";
import { CHAT_MESSAGE_MAX } from "./limits";
import { markRevised, reviseReplies } from "./revise.server";
import { enqueueSearch } from "../../search/outbox.server.ts";
import { fileWatchedWordReport } from "~/antispam/flag.server";
import { postingRefusal } from "~/moderation/sanctions.server";
import { chatWatchedWordRefusal } from "./watched.server";

export type ChangeResult = { ok: true; id: number; roomId: number } | { ok: false; status: number; message: string; field?: "body" };

const WINDOW_MINUTES = CHAT_EDIT_WINDOW_MS / 60_000;

async function loadMessage(id: number) {
  return db.chatMessage.findUnique({
    where: { id },
    select: { id: true, roomId: true, authorId: true, body: true, createdAt: true, deletedAt: true, author: { select: { username: true } }, room: { select: { archivedAt: true, slug: true } } },
  });
}

function refusal(message: NonNullable<Awaited<ReturnType<typeof loadMessage>>>, actor: NonNullable<Actor>, verb: string): ChangeResult {
  if (message.authorId !== actor.id) return { ok: false, status: 403, message: `You can only ${verb} your own messages.` };
  if (message.deletedAt) return { ok: false, status: 409, message: "This message was deleted." };
  if (message.room.archivedAt) return { ok: false, status: 403, message: "This room is archived: its messages can no longer change." };
  return { ok: false, status: 403, message: `Messages can be ${verb === "edit" ? "edited" : "deleted"} for ${WINDOW_MINUTES} minutes after they are sent.` };
}

/**
 * Members an edit mentions for the first time are notified, once per
 * message: removing and re-adding a mention does not notify again.
 */
async function notifyNewMentions(tx: Prisma.TransactionClient, authorId: number, messageId: number, mentionedUserIds: number[], now: Date) {
  const mentioned = [...new Set(mentionedUserIds)].filter((userId) => userId !== authorId);
  if (!mentioned.length) return;
  const already = await tx.notification.findMany({
    where: { chatMessageId: messageId, kind: "chat-mention", userId: { in: mentioned } },
    select: { userId: true },
  });
  const notified = new Set(already.map((row) => row.userId));
  const fresh = mentioned.filter((userId) => !notified.has(userId));
  if (fresh.length) {
    await tx.notification.createMany({ data: fresh.map((userId) => ({ userId, kind: "chat-mention", actorId: authorId, chatMessageId: messageId, createdAt: now })) });
  }
}

/** The author corrects a message within the edit window; readers see "edited", mentions it adds notify. */
export async function editMessage(actor: NonNullable<Actor>, id: number, body: string, now = new Date()): Promise<ChangeResult> {
  const message = await loadMessage(id);
  if (!message) return { ok: false, status: 404, message: "That message does not exist." };
  const state = { authorId: message.authorId, createdAt: message.createdAt, deleted: Boolean(message.deletedAt) };
  if (!canEditChatMessage(actor, state, { archived: Boolean(message.room.archivedAt) }, now.getTime())) return refusal(message, actor, "edit");
  // A silenced member's messages stay as they were, like their posts.
  const sanction = await postingRefusal(actor.id, now);
  if (sanction) return { ok: false, status: 403, message: sanction.replace("cannot post", "cannot post or edit") };
  const text = body.trim();
  if (!text || text.length > CHAT_MESSAGE_MAX) return { ok: false, status: 400, message: `Messages have 1 to ${CHAT_MESSAGE_MAX.toLocaleString("en")} characters.` };
  if (text === message.body) return { ok: true, id, roomId: message.roomId };
  const screened = await chatWatchedWordRefusal(text);
  if (!screened.ok) return screened;
  const { cooked, mentionedUserIds } = await cookPost(text, "chat");
  const replies = await db.$transaction(async (tx) => {
    const revisedAfterId = await markRevised(tx, message.roomId);
    await tx.chatMessage.update({ where: { id }, data: { body: text, html: cooked, editedAt: now, editCount: { increment: 1 }, revisedAfterId } });
    await enqueueSearch(tx, { kind: "chat", id });
    await notifyNewMentions(tx, actor.id, id, mentionedUserIds, now);
    if (screened.flag) {
      await fileWatchedWordReport(tx, { type: "chat", id }, screened.flag, { roomId: message.roomId, room: message.room.slug, messageId: id, author: message.author.username, raw: text });
    }
    return reviseReplies(tx, id, revisedAfterId);
  });
  await publishMessages(message.roomId, [id, ...replies], "update");
  return { ok: true, id, roomId: message.roomId };
}

/** The author withdraws a message within the window; readers see "deleted". */
export async function deleteOwnMessage(actor: NonNullable<Actor>, id: number, now = new Date()): Promise<ChangeResult> {
  const message = await loadMessage(id);
  if (!message) return { ok: false, status: 404, message: "That message does not exist." };
  const state = { authorId: message.authorId, createdAt: message.createdAt, deleted: Boolean(message.deletedAt) };
  if (!canDeleteChatMessage(actor, state, { archived: Boolean(message.room.archivedAt) }, now.getTime())) return refusal(message, actor, "delete");
  const replies = await db.$transaction(async (tx) => {
    const revisedAfterId = await markRevised(tx, message.roomId);
    await tx.chatMessage.update({ where: { id }, data: { deletedAt: now, deletedById: actor.id, revisedAfterId } });
    await enqueueSearch(tx, { kind: "chat", id });
    return reviseReplies(tx, id, revisedAfterId);
  });
  await publishMessages(message.roomId, [id, ...replies], "update");
  return { ok: true, id, roomId: message.roomId };
}
