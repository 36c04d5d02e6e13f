import { db } from "~/utils/db.server";
import { dayKey, nextDay } from "./days";
import { HISTORY_PAGE } from "./limits";
import { loadViews } from "./view.server";

/**
 * A page of a room's history, oldest first: the latest messages, or those
 * before a cursor (a message id). `earlierCursor` is set while older
 * messages remain, so "load earlier" reaches the room's first message.
 */
export async function roomHistory(roomId: number, options: { before?: number | null; limit?: number } = {}) {
  const limit = options.limit ?? HISTORY_PAGE;
  const newestFirst = await loadViews(
    { roomId, ...(options.before ? { id: { lt: options.before } } : {}) },
    { id: "desc" },
    limit + 1,
  );
  const more = newestFirst.length > limit;
  const messages = newestFirst.slice(0, limit).reverse();
  return { messages, earlierCursor: more && messages.length ? messages[0]!.id : null };
}

/** Reads a cursor from a query parameter: a positive message id, or null. */
export function parseCursor(value: string | null): number | null {
  if (!value || !/^\d{1,15}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 ? id : null;
}

/** One UTC day of a room, with the nearest earlier and later days that have messages. */
export async function dayTranscript(roomId: number, day: Date) {
  const end = nextDay(day);
  const [messages, previous, following] = await Promise.all([
    loadViews({ roomId, createdAt: { gte: day, lt: end } }, { id: "asc" }),
    db.chatMessage.findFirst({ where: { roomId, createdAt: { lt: day } }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
    db.chatMessage.findFirst({ where: { roomId, createdAt: { gte: end } }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
  ]);
  return {
    messages,
    previousDay: previous ? dayKey(previous.createdAt) : null,
    nextDay: following ? dayKey(following.createdAt) : null,
  };
}

/** Where a message lives: its room and day, for permalinks. */
export async function locateMessage(id: number) {
  return db.chatMessage.findUnique({ where: { id }, select: { id: true, createdAt: true, room: { select: { slug: true } } } });
}
