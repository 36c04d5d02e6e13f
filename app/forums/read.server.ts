import { db } from "~/utils/db.server";

export const TOPICS_PER_PAGE = 30;
export const POSTS_PER_PAGE = 20;

export async function listForums(options: { includeHidden?: boolean } = {}) {
  return db.forum.findMany({
    orderBy: [{ position: "asc" }, { id: "asc" }],
    select: {
      slug: true,
      name: true,
      description: true,
      archivedAt: true,
      boards: {
        where: options.includeHidden ? {} : { hiddenAt: null },
        orderBy: [{ position: "asc" }, { id: "asc" }],
        select: { slug: true, name: true, description: true, topicCount: true, postCount: true, lastPostedAt: true, archivedAt: true },
      },
    },
  });
}

/** Clamps a page query parameter to 1..lastPage. */
export function pageNumber(raw: string | null, lastPage: number): number {
  const page = Number.parseInt(raw ?? "1", 10);
  if (!Number.isFinite(page) || page < 1) return 1;
  return Math.min(page, Math.max(1, lastPage));
}

export async function getBoard(slug: string) {
  return db.board.findUnique({
    where: { slug },
    select: { id: true, slug: true, name: true, description: true, topicCount: true, hiddenAt: true, archivedAt: true, forum: { select: { name: true, slug: true, archivedAt: true } } },
  });
}

export async function listBoardsForMove() {
  return db.board.findMany({ orderBy: [{ forumId: "asc" }, { position: "asc" }], select: { id: true, name: true, forum: { select: { name: true } } } });
}

export async function listBoardTopics(boardId: number, page: number) {
  const topics = await db.topic.findMany({
    where: { boardId, hiddenAt: null, heldAt: null, mergedIntoId: null },
    orderBy: [{ pinned: "desc" }, { bumpedAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * TOPICS_PER_PAGE,
    take: TOPICS_PER_PAGE,
    select: {
      id: true, slug: true, title: true, postCount: true, lastPostNumber: true, viewCount: true, pinned: true, locked: true, bumpedAt: true, lastPosterId: true,
      author: { select: { username: true } },
    },
  });
  const posterIds = [...new Set(topics.map((t) => t.lastPosterId).filter((id): id is number => id !== null))];
  const posters = await db.user.findMany({ where: { id: { in: posterIds } }, select: { id: true, username: true } });
  const names = new Map(posters.map((p) => [p.id, p.username]));
  return topics.map(({ lastPosterId, ...topic }) => ({ ...topic, lastPoster: lastPosterId ? names.get(lastPosterId) ?? null : null }));
}

/** A topic, including hidden and merged ones: callers decide what to show. */
export async function getTopic(id: number) {
  return db.topic.findUnique({
    where: { id },
    select: {
      id: true, slug: true, title: true, postCount: true, lastPostNumber: true, locked: true, lockedReason: true, pinned: true,
      createdAt: true, bumpedAt: true, hiddenAt: true, hiddenReason: true, heldAt: true, mergedIntoId: true, boardId: true, authorId: true,
      board: { select: { id: true, slug: true, name: true, hiddenAt: true, archivedAt: true, forum: { select: { name: true, archivedAt: true } } } },
    },
  });
}

export type TopicRow = NonNullable<Awaited<ReturnType<typeof getTopic>>>;

/**
 * One page of a topic. Posts are paged by position (the n-th to m-th post
 * that exists), not by number, since split and merged topics have gaps.
 */
export async function listTopicPosts(topicId: number, page: number, viewer: { id: number; seesHeld: boolean } | null = null) {
  return db.post.findMany({
    // Held posts: their author and moderators see them, marked "awaits approval"; nobody else does.
    where: { topicId, ...(viewer?.seesHeld ? {} : { OR: [{ heldAt: null }, ...(viewer ? [{ authorId: viewer.id }] : [])] }) },
    orderBy: { number: "asc" },
    skip: (page - 1) * POSTS_PER_PAGE,
    take: POSTS_PER_PAGE,
    select: {
      id: true, number: true, raw: true, cooked: true, createdAt: true, editedAt: true, editCount: true, replyToNumber: true,
      deletedAt: true, hiddenAt: true, hiddenReason: true, heldAt: true, authorId: true,
      author: { select: { username: true, role: true } },
    },
  });
}

/** Which page of a topic holds post `number`. */
export async function pageOfPost(topicId: number, number: number): Promise<number> {
  const before = await db.post.count({ where: { topicId, number: { lt: number }, heldAt: null } });
  return Math.floor(before / POSTS_PER_PAGE) + 1;
}

export async function recentTopics(limit = 8) {
  return db.topic.findMany({
    where: { hiddenAt: null, heldAt: null },
    orderBy: { bumpedAt: "desc" },
    take: limit,
    select: { id: true, slug: true, title: true, postCount: true, bumpedAt: true, board: { select: { slug: true, name: true } } },
  });
}
