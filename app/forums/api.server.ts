import { notFound } from "~/utils/http";
import { canSeeHiddenContent, type Actor } from "~/utils/permissions";
import { getBoard, getTopic, listBoardTopics, listForums, listTopicPosts, pageNumber, POSTS_PER_PAGE, TOPICS_PER_PAGE } from "./read.server";

/**
 * Read-only JSON twins of the forum pages, with the same visibility rules:
 * hidden boards and topics are moderators-only, deleted and hidden posts show
 * as markers without their text.
 */
export async function forumsJson(actor: Actor) {
  const forums = await listForums({ includeHidden: canSeeHiddenContent(actor) });
  return {
    forums: forums.map((forum) => ({
      slug: forum.slug,
      name: forum.name,
      description: forum.description,
      boards: forum.boards.map((board) => ({
        slug: board.slug, name: board.name, description: board.description,
        topicCount: board.topicCount, postCount: board.postCount, lastPostedAt: board.lastPostedAt?.toISOString() ?? null,
        url: `/b/${board.slug}`,
      })),
    })),
  };
}

export async function boardTopicsJson(actor: Actor, slug: string, pageParam: string | null) {
  const board = await getBoard(slug);
  if (!board || (board.hiddenAt && !canSeeHiddenContent(actor))) notFound("There is no board at this address.");
  const lastPage = Math.max(1, Math.ceil(board.topicCount / TOPICS_PER_PAGE));
  const page = pageNumber(pageParam, lastPage);
  const topics = await listBoardTopics(board.id, page);
  return {
    board: { slug: board.slug, name: board.name, description: board.description, topicCount: board.topicCount },
    page,
    lastPage,
    topics: topics.map((t) => ({
      id: t.id, title: t.title, url: `/t/${t.id}/${t.slug}`, author: t.author.username, replies: Math.max(0, t.postCount - 1),
      views: t.viewCount, pinned: t.pinned, locked: t.locked, lastActivityAt: t.bumpedAt.toISOString(), lastPoster: t.lastPoster,
    })),
  };
}

export async function topicJson(actor: Actor, id: number, pageParam: string | null) {
  const topic = Number.isSafeInteger(id) && id > 0 ? await getTopic(id) : null;
  if (!topic || topic.mergedIntoId || ((topic.hiddenAt || topic.heldAt || topic.board.hiddenAt) && !canSeeHiddenContent(actor))) {
    notFound("This topic does not exist.");
  }
  const total = topic.postCount;
  const lastPage = Math.max(1, Math.ceil(total / POSTS_PER_PAGE));
  const page = pageNumber(pageParam, lastPage);
  const posts = await listTopicPosts(topic.id, page, actor ? { id: actor.id, seesHeld: canSeeHiddenContent(actor) } : null);
  const seeHidden = canSeeHiddenContent(actor);
  return {
    topic: {
      id: topic.id, title: topic.title, url: `/t/${topic.id}/${topic.slug}`, board: topic.board.slug,
      locked: topic.locked, lockedReason: topic.lockedReason, pinned: topic.pinned, createdAt: topic.createdAt.toISOString(),
    },
    page,
    lastPage,
    posts: posts.map((post) => {
      const visible = !post.deletedAt && (!post.hiddenAt || seeHidden);
      return {
        number: post.number,
        url: `/t/${topic.id}/${topic.slug}/${post.number}`,
        author: post.author.username,
        createdAt: post.createdAt.toISOString(),
        editedAt: post.editedAt?.toISOString() ?? null,
        replyToNumber: post.replyToNumber,
        deleted: Boolean(post.deletedAt),
        hidden: post.hiddenAt ? { reason: post.hiddenReason } : null,
        awaitingApproval: Boolean(post.heldAt),
        html: visible ? post.cooked : null,
        markdown: visible ? post.raw : null,
      };
    }),
  };
}
