import { renderMarkdown } from "~/content/markdown.server";
import { db } from "~/utils/db.server";

let counter = 0;

/** A chat room, created directly. */
export async function createTestRoom(options: { archived?: boolean; slowModeSeconds?: number } = {}) {
  counter += 1;
  const suffix = `${Date.now().toString(36)}${counter}`;
  return db.chatRoom.create({
    data: { slug: `room-${suffix}`, name: `Room ${suffix}`, archivedAt: options.archived ? new Date() : null, slowModeSeconds: options.slowModeSeconds ?? 0 },
  });
}

/**
 * Many messages at once (for history and transcript tests), written the way
 * sendMessage would leave them, without its limits. Returns their ids in order.
 */
export async function insertMessages(roomId: number, authorIds: number[], times: Date[]): Promise<number[]> {
  const ids: number[] = [];
  for (const [index, at] of times.entries()) {
    const body = `message ${index + 1}`;
    const row = await db.chatMessage.create({
      data: { roomId, authorId: authorIds[index % authorIds.length]!, body, html: renderMarkdown(body, { subset: "chat" }).html, createdAt: at },
    });
    ids.push(row.id);
  }
  if (ids.length) {
    await db.chatRoom.update({
      where: { id: roomId },
      data: { messageCount: { increment: ids.length }, lastMessageId: ids[ids.length - 1]!, lastMessageAt: times[times.length - 1]! },
    });
  }
  return ids;
}
