import { db } from "~/utils/db.server";

/** Remembers how far a member has read a topic (never moves backwards). */
export async function markRead(userId: number, topicId: number, number: number) {
  const current = await db.topicRead.findUnique({ where: { userId_topicId: { userId, topicId } }, select: { lastReadNumber: true } });
  if (current && current.lastReadNumber >= number) return;
  await db.topicRead.upsert({
    where: { userId_topicId: { userId, topicId } },
    create: { userId, topicId, lastReadNumber: number },
    update: { lastReadNumber: number },
  });
}

/** Last-read post numbers for a set of topics. */
export async function readPositions(userId: number, topicIds: number[]): Promise<Map<number, number>> {
  if (!topicIds.length) return new Map();
  const rows = await db.topicRead.findMany({ where: { userId, topicId: { in: topicIds } }, select: { topicId: true, lastReadNumber: true } });
  return new Map(rows.map((row) => [row.topicId, row.lastReadNumber]));
}

export async function firstUnreadNumber(userId: number, topicId: number): Promise<number | null> {
  const read = await db.topicRead.findUnique({ where: { userId_topicId: { userId, topicId } }, select: { lastReadNumber: true } });
  const next = await db.post.findFirst({
    where: { topicId, number: { gt: read?.lastReadNumber ?? 0 } },
    orderBy: { number: "asc" },
    select: { number: true },
  });
  return next?.number ?? null;
}

export async function setWatch(userId: number, targetType: "topic" | "board", targetId: number, watching: boolean) {
  if (watching) {
    await db.watch.upsert({
      where: { userId_targetType_targetId: { userId, targetType, targetId } },
      create: { userId, targetType, targetId },
      update: {},
    });
  } else {
    await db.watch.deleteMany({ where: { userId, targetType, targetId } });
  }
}

export async function isWatching(userId: number, targetType: "topic" | "board", targetId: number) {
  return Boolean(await db.watch.findUnique({ where: { userId_targetType_targetId: { userId, targetType, targetId } } }));
}

export async function setBookmark(userId: number, postId: number, bookmarked: boolean) {
  if (bookmarked) {
    await db.bookmark.upsert({ where: { userId_postId: { userId, postId } }, create: { userId, postId }, update: {} });
  } else {
    await db.bookmark.deleteMany({ where: { userId, postId } });
  }
}

export async function bookmarkedPostIds(userId: number, postIds: number[]): Promise<Set<number>> {
  if (!postIds.length) return new Set();
  const rows = await db.bookmark.findMany({ where: { userId, postId: { in: postIds } }, select: { postId: true } });
  return new Set(rows.map((row) => row.postId));
}

export async function unreadNotificationCount(userId: number) {
  return db.notification.count({ where: { userId, readAt: null } });
}
