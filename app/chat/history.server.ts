import { db } from "~/utils/db.server";
import { dayKey, nextDay } from "./days";
import { HISTORY_PAGE, TRANSCRIPT_PAGE } from "./limits";
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

/**
 * One UTC day of a room, a page of TRANSCRIPT_PAGE messages at a time (pages
 * past the last show the last), with the nearest earlier and later days
 * that have messages.
 */
export async function dayTranscript(roomId: number, day: Date, requestedPage = 1) {
  const end = nextDay(day);
  const inDay = { roomId, createdAt: { gte: day, lt: end } };
  const [total, previous, following] = await Promise.all([
    db.chatMessage.count({ where: inDay }),
    db.chatMessage.findFirst({ where: { roomId, createdAt: { lt: day } }, orderBy: { createdAt: "desc" }, select: { createdAt: true } }),
    db.chatMessage.findFirst({ where: { roomId, createdAt: { gte: end } }, orderBy: { createdAt: "asc" }, select: { createdAt: true } }),
  ]);
  const pageCount = Math.max(1, Math.ceil(total / TRANSCRIPT_PAGE));
  const page = Math.min(Math.max(1, requestedPage), pageCount);
  const messages = await loadViews(inDay, { id: "asc" }, TRANSCRIPT_PAGE, (page - 1) * TRANSCRIPT_PAGE);
  return {
    messages,
    total,
    page,
    pageCount,
    previousDay: previous ? dayKey(previous.createdAt) : null,
    nextDay: following ? dayKey(following.createdAt) : null,
  };
}

/** The transcript page of its day a message is on (1 for most days). */
export async function transcriptPageOf(message: { id: number; roomId: number; createdAt: Date }): Promise<number> {
  const day = new Date(`${dayKey(message.createdAt)}T00:00:00.000Z`);
  const before = await db.chatMessage.count({ where: { roomId: message.roomId, createdAt: { gte: day }, id: { lt: message.id } } });
  return Math.floor(before / TRANSCRIPT_PAGE) + 1;
}

/** Where a message lives: its room and day, for permalinks. */
export async function locateMessage(id: number) {
  return db.chatMessage.findUnique({ where: { id }, select: { id: true, roomId: true, createdAt: true, room: { select: { slug: true } } } });
}
