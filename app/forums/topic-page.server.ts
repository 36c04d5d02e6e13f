import { redirect, type AppLoadContext } from "@remix-run/node";
import { db } from "~/utils/db.server";
import { notFound } from "~/utils/http";
import { canDeletePost, canEditPost, canReply, canReportPost, canSeeHiddenContent } from "~/utils/permissions";
import { canModerateBoard } from "./board-moderators.server";
import { isArchivedBoard } from "./manage-boards.server";
import { hasAcknowledgedPublicPosting } from "./posting.server";
import { getTopic, listTopicPosts, pageNumber, POSTS_PER_PAGE, type TopicRow } from "./read.server";
import { bookmarkedPostIds, isWatching, markRead } from "./reading.server";

/** Resolves /t/<id>/<slug>: merged topics and old slugs redirect; hidden ones are for moderators. */
export async function resolveTopic(idParam: string | undefined, slugParam: string | undefined, url: URL, context: AppLoadContext): Promise<TopicRow> {
  const id = Number(idParam);
  const topic = Number.isSafeInteger(id) && id > 0 ? await getTopic(id) : null;
  if (!topic) notFound("This topic does not exist or is no longer available.");
  if (topic.mergedIntoId) {
    const target = await getTopic(topic.mergedIntoId);
    if (target) throw redirect(`/t/${target.id}/${target.slug}`, 301);
  }
  const user = context.auth?.user;
  if ((topic.hiddenAt || topic.board.hiddenAt) && !canSeeHiddenContent(user)) {
    notFound("This topic does not exist or is no longer available.");
  }
  // A topic waiting for approval exists only for its author and moderators.
  if (topic.heldAt && !canSeeHiddenContent(user) && user?.id !== topic.authorId) {
    notFound("This topic does not exist or is no longer available.");
  }
  if (slugParam !== topic.slug) throw redirect(`/t/${topic.id}/${topic.slug}${url.search}`, 301);
  return topic;
}

/** Everything the topic page shows, shaped for the component. */
export async function loadTopicPage(topic: TopicRow, url: URL, context: AppLoadContext) {
  const user = context.auth?.user ?? null;
  const total = topic.postCount;
  const lastPage = Math.max(1, Math.ceil(total / POSTS_PER_PAGE));
  const page = pageNumber(url.searchParams.get("page"), lastPage);
  const topicState = { locked: topic.locked, hidden: Boolean(topic.hiddenAt || topic.board.hiddenAt) };
  const archived = isArchivedBoard(topic.board);
  const moderates = await canModerateBoard(user, topic.boardId);
  // Board moderators read hidden and held posts of their boards, as site moderators read all.
  const seeHidden = canSeeHiddenContent(user) || moderates;
  const rows = await listTopicPosts(topic.id, page, user ? { id: user.id, seesHeld: seeHidden } : null);
  const [bookmarks, watching, acknowledged, draft] = user
    ? await Promise.all([
        bookmarkedPostIds(user.id, rows.map((r) => r.id)),
        isWatching(user.id, "topic", topic.id),
        hasAcknowledgedPublicPosting(user.id),
        db.draft.findUnique({ where: { userId_key: { userId: user.id, key: `topic:${topic.id}` } }, select: { raw: true } }),
      ])
    : [new Set<number>(), false, true, null];
  if (user && rows.length) await markRead(user.id, topic.id, rows[rows.length - 1]!.number);
  // Fire and forget: a view counter is not worth delaying the page for.
  void db.topic.update({ where: { id: topic.id }, data: { viewCount: { increment: 1 } } }).catch(() => {});

  const posts = rows.map((post) => {
    const state = { authorId: post.authorId, deleted: Boolean(post.deletedAt), hidden: Boolean(post.hiddenAt) };
    const showBody = !state.deleted && (!state.hidden || seeHidden);
    return {
      id: post.id,
      number: post.number,
      author: post.author,
      createdAt: post.createdAt.toISOString(),
      editedAt: post.editedAt?.toISOString() ?? null,
      editCount: post.editCount,
      replyToNumber: post.replyToNumber,
      deleted: state.deleted,
      hidden: state.hidden,
      hiddenReason: post.hiddenReason,
      awaitingApproval: Boolean(post.heldAt),
      cooked: showBody ? post.cooked : null,
      bookmarked: bookmarks.has(post.id),
      can: {
        edit: !archived && (canEditPost(user, state, topicState) || moderates),
        delete: canDeletePost(user, state),
        report: canReportPost(user, state),
      },
    };
  });
  const replyTo = user ? await replyContext(topic.id, url) : null;
  return {
    topic: {
      id: topic.id, slug: topic.slug, title: topic.title, locked: topic.locked, lockedReason: topic.lockedReason, pinned: topic.pinned,
      hidden: topicState.hidden, awaitingApproval: Boolean(topic.heldAt), archived, moderates, createdAt: topic.createdAt.toISOString(),
      board: { id: topic.board.id, slug: topic.board.slug, name: topic.board.name, forum: { name: topic.board.forum.name } },
    },
    page,
    lastPage,
    posts,
    viewer: user
      ? {
          // Archived boards take no replies; a topic waiting for approval takes them once approved (moderators excepted).
          canReply: !archived && (canReply(user, topicState) || (moderates && !topicState.hidden)) && (!topic.heldAt || seeHidden),
          watching,
          needsAcknowledgement: !acknowledged,
          draft: replyTo?.quote ?? draft?.raw ?? "",
          replyTo: replyTo?.number ?? null,
          submissionId: crypto.randomUUID(),
        }
      : null,
  };
}

/** ?replyTo=N answers post N; ?quote=N also starts the reply with N quoted and attributed. */
async function replyContext(topicId: number, url: URL): Promise<{ number: number; quote: string | null } | null> {
  const quoteOf = Number(url.searchParams.get("quote"));
  const replyOf = Number(url.searchParams.get("replyTo"));
  const number = Number.isSafeInteger(quoteOf) && quoteOf > 0 ? quoteOf : replyOf;
  if (!Number.isSafeInteger(number) || number < 1) return null;
  const post = await db.post.findUnique({
    where: { topicId_number: { topicId, number } },
    select: { raw: true, deletedAt: true, hiddenAt: true, author: { select: { username: true } } },
  });
  if (!post || post.deletedAt || post.hiddenAt) return null;
  if (number !== quoteOf) return { number, quote: null };
  const quoted = post.raw.split("\n").map((line) => `> ${line}`).join("\n");
  return { number, quote: `@${post.author.username} wrote in #${number}:\n\n${quoted}\n\n` };
}
