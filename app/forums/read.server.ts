import { db } from "~/utils/db.server";

export const TOPICS_PER_PAGE = 30;
export const POSTS_PER_PAGE = 20;

export async function listForums() {
  return db.forum.findMany({
    orderBy: [{ position: "asc" }, { id: "asc" }],
    select: {
      slug: true,
      name: true,
      description: true,
      boards: {
        orderBy: [{ position: "asc" }, { id: "asc" }],
        select: { slug: true, name: true, description: true, topicCount: true, postCount: true, lastPostedAt: true },
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
    select: { id: true, slug: true, name: true, description: true, topicCount: true, forum: { select: { name: true, slug: true } } },
  });
}

export async function listBoardTopics(boardId: number, page: number) {
  const topics = await db.topic.findMany({
    where: { boardId, hiddenAt: null },
    orderBy: [{ pinned: "desc" }, { bumpedAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * TOPICS_PER_PAGE,
    take: TOPICS_PER_PAGE,
    select: {
      id: true, slug: true, title: true, postCount: true, viewCount: true, pinned: true, locked: true, bumpedAt: true, lastPosterId: true,
      author: { select: { username: true } },
    },
  });
  const posterIds = [...new Set(topics.map((t) => t.lastPosterId).filter((id): id is number => id !== null))];
  const posters = await db.user.findMany({ where: { id: { in: posterIds } }, select: { id: true, username: true } });
  const names = new Map(posters.map((p) => [p.id, p.username]));
  return topics.map(({ lastPosterId, ...topic }) => ({ ...topic, lastPoster: lastPosterId ? names.get(lastPosterId) ?? null : null }));
}

export async function getTopic(id: number) {
  return db.topic.findFirst({
    where: { id, hiddenAt: null },
    select: {
      id: true, slug: true, title: true, postCount: true, locked: true, pinned: true, createdAt: true,
      board: { select: { slug: true, name: true, forum: { select: { name: true } } } },
    },
  });
}

export async function listTopicPosts(topicId: number, page: number) {
  return db.post.findMany({
    where: { topicId },
    orderBy: { number: "asc" },
    skip: (page - 1) * POSTS_PER_PAGE,
    take: POSTS_PER_PAGE,
    select: { id: true, number: true, cooked: true, createdAt: true, author: { select: { username: true, role: true } } },
  });
}

export async function recentTopics(limit = 8) {
  return db.topic.findMany({
    where: { hiddenAt: null },
    orderBy: { bumpedAt: "desc" },
    take: limit,
    select: { id: true, slug: true, title: true, postCount: true, bumpedAt: true, board: { select: { slug: true, name: true } } },
  });
}
