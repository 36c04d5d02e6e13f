import { atomResponse, siteOrigin } from "~/feeds/atom.server";
import { db } from "~/utils/db.server";
import { notFound } from "~/utils/http";

const FEED_SIZE = 30;

/** Newest topics of a public board, each with its first post. */
export async function boardFeed(request: Request, slug: string) {
  const board = await db.board.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, description: true, hiddenAt: true } });
  if (!board || board.hiddenAt) notFound("There is no board at this address.");
  const topics = await db.topic.findMany({
    where: { boardId: board.id, hiddenAt: null, heldAt: null, mergedIntoId: null },
    orderBy: { createdAt: "desc" },
    take: FEED_SIZE,
    select: {
      id: true, slug: true, title: true, createdAt: true, author: { select: { username: true } },
      posts: { where: { number: 1 }, select: { cooked: true, deletedAt: true, hiddenAt: true } },
    },
  });
  const origin = siteOrigin(request);
  return atomResponse({
    id: `${origin}/b/${board.slug}`,
    title: `${board.name} · Threadline`,
    subtitle: board.description,
    url: `${origin}/b/${board.slug}`,
    selfUrl: `${origin}/b/${board.slug}/feed.atom`,
    updated: topics[0]?.createdAt ?? new Date(0),
    entries: topics.map((topic) => {
      const first = topic.posts[0];
      return {
        id: `${origin}/t/${topic.id}`,
        title: topic.title,
        url: `${origin}/t/${topic.id}/${topic.slug}`,
        updated: topic.createdAt,
        author: topic.author.username,
        html: first && !first.deletedAt && !first.hiddenAt ? first.cooked : "",
      };
    }),
  });
}

/** Newest visible posts of a public topic. */
export async function topicFeed(request: Request, topicId: number) {
  const topic = await db.topic.findUnique({
    where: { id: topicId },
    select: { id: true, slug: true, title: true, hiddenAt: true, heldAt: true, mergedIntoId: true, board: { select: { hiddenAt: true } } },
  });
  if (!topic || topic.hiddenAt || topic.heldAt || topic.mergedIntoId || topic.board.hiddenAt) notFound("This topic does not exist.");
  const posts = await db.post.findMany({
    where: { topicId, deletedAt: null, hiddenAt: null, heldAt: null },
    orderBy: { number: "desc" },
    take: FEED_SIZE,
    select: { number: true, cooked: true, createdAt: true, editedAt: true, author: { select: { username: true } } },
  });
  const origin = siteOrigin(request);
  const url = `${origin}/t/${topic.id}/${topic.slug}`;
  return atomResponse({
    id: `${origin}/t/${topic.id}`,
    title: `${topic.title} · Threadline`,
    url,
    selfUrl: `${origin}/t/${topic.id}/feed.atom`,
    updated: posts[0]?.editedAt ?? posts[0]?.createdAt ?? new Date(0),
    entries: posts.map((post) => ({
      id: `${origin}/t/${topic.id}/${post.number}`,
      title: `#${post.number} by ${post.author.username}: ${topic.title}`,
      url: `${url}/${post.number}`,
      updated: post.editedAt ?? post.createdAt,
      author: post.author.username,
      html: post.cooked,
    })),
  });
}
