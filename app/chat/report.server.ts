import { Prisma } from "~/generated/prisma/client";
import { db } from "~/utils/db.server";

/**
 * A member's report of a chat message, with a snapshot of the message as it
 * was (kept even if it is edited or deleted later). One report per member
 * per message.
 */
export async function reportChatMessage(reporterId: number, messageId: number, reason: string) {
  const message = await db.chatMessage.findUnique({
    where: { id: messageId },
    select: { id: true, body: true, createdAt: true, editedAt: true, authorId: true, deletedAt: true, author: { select: { username: true } }, room: { select: { id: true, slug: true } } },
  });
  if (!message || message.deletedAt) return { ok: false as const, status: 404, message: "That message does not exist." };
  if (message.authorId === reporterId) return { ok: false as const, status: 400, message: "You cannot report your own message." };
  const snapshot = JSON.stringify({
    roomId: message.room.id, room: message.room.slug, messageId: message.id, author: message.author.username,
    raw: message.body, sentAt: message.createdAt.toISOString(), editedAt: message.editedAt?.toISOString() ?? null, at: new Date().toISOString(),
  });
  try {
    await db.report.create({ data: { targetType: "chat", targetId: messageId, reporterId, reason, snapshot } });
    return { ok: true as const };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false as const, status: 409, message: "You have already reported this message. Moderators will look at it." };
    }
    throw error;
  }
}
