import type { Prisma } from "~/generated/prisma/client";

/**
 * Every change to an existing message (edit, delete, promotion) goes through
 * here inside its transaction. Bumping the room row serializes the change
 * with messages being created at the same moment (both update that row), and
 * returns the room's newest message id: the message is then stamped with it
 * (revisedAfterId), so a stream that resumes after message N replays every
 * change made since N (replay.server.ts).
 */
export async function markRevised(tx: Prisma.TransactionClient, roomId: number): Promise<number> {
  const room = await tx.chatRoom.update({ where: { id: roomId }, data: { changeCount: { increment: 1 } }, select: { lastMessageId: true } });
  return room.lastMessageId;
}

/** Replies whose quoted excerpt is refreshed live when the message they quote changes (the newest ones). */
export const REPLY_REFRESH_MAX = 200;

/**
 * Replies show an excerpt of the message they answer: when that message is
 * edited or deleted, its newest replies are stamped as revised too, so open
 * streams get them as updates and a resuming stream replays them. Returns
 * their ids, to publish after the transaction.
 */
export async function reviseReplies(tx: Prisma.TransactionClient, quotedId: number, revisedAfterId: number): Promise<number[]> {
  const replies = await tx.chatMessage.findMany({
    where: { replyToId: quotedId, deletedAt: null },
    orderBy: { id: "desc" },
    take: REPLY_REFRESH_MAX,
    select: { id: true },
  });
  const ids = replies.map((reply) => reply.id);
  if (ids.length) await tx.chatMessage.updateMany({ where: { id: { in: ids } }, data: { revisedAfterId } });
  return ids;
}
