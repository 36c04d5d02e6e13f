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
