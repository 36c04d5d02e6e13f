import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { enqueueSearch } from "../../search/outbox.server.ts";
import type { Prisma } from "~/generated/prisma/client";
import { slugify } from "./slug";

type Moderator = { id: number };

/**
 * Moves posts into a topic, numbering them after its last post, and leaves a
 * redirect at every old permalink. Replies keep pointing at the post they
 * answered when it moved with them.
 */
async function movePosts(
  tx: Prisma.TransactionClient,
  fromTopicId: number,
  posts: { id: number; number: number; replyToNumber: number | null }[],
  toTopicId: number,
  firstNumber: number,
) {
  const renumber = new Map(posts.map((post, index) => [post.number, firstNumber + index]));
  for (const post of posts) {
    await tx.post.update({
      where: { id: post.id },
      data: {
        topicId: toTopicId,
        number: renumber.get(post.number)!,
        replyToNumber: post.replyToNumber !== null ? renumber.get(post.replyToNumber) ?? null : null,
      },
    });
    await tx.postRedirect.upsert({
      where: { fromTopicId_fromNumber: { fromTopicId, fromNumber: post.number } },
      create: { fromTopicId, fromNumber: post.number, postId: post.id },
      update: { postId: post.id },
    });
  }
}

/** Appends every post of `sourceId` to `targetId`; the source's URLs then lead there. */
export async function mergeTopics(moderator: Moderator, sourceId: number, targetId: number, reason: string) {
  if (sourceId === targetId) return { ok: false as const, message: "A topic cannot be merged into itself." };
  const [source, target] = await Promise.all([
    db.topic.findUnique({ where: { id: sourceId }, select: { id: true, boardId: true, postCount: true, bumpedAt: true, mergedIntoId: true } }),
    db.topic.findUnique({ where: { id: targetId }, select: { id: true, boardId: true, lastPostNumber: true, bumpedAt: true, mergedIntoId: true } }),
  ]);
  if (!source || !target || source.mergedIntoId || target.mergedIntoId) return { ok: false as const, message: "Both topics must exist and not be merged already." };
  await db.$transaction(async (tx) => {
    const posts = await tx.post.findMany({ where: { topicId: sourceId }, orderBy: { number: "asc" }, select: { id: true, number: true, replyToNumber: true } });
    await movePosts(tx, sourceId, posts, targetId, target.lastPostNumber + 1);
    const bumpedAt = source.bumpedAt > target.bumpedAt ? source.bumpedAt : target.bumpedAt;
    await tx.topic.update({
      where: { id: targetId },
      data: { lastPostNumber: target.lastPostNumber + posts.length, postCount: { increment: posts.length }, bumpedAt },
    });
    await tx.topic.update({ where: { id: sourceId }, data: { mergedIntoId: targetId, postCount: 0 } });
    // The moved posts now carry the target's title and permalinks.
    await enqueueSearch(tx, { kind: "topic", id: targetId });
    await tx.board.update({ where: { id: source.boardId }, data: { topicCount: { decrement: 1 }, postCount: { decrement: posts.length } } });
    await tx.board.update({ where: { id: target.boardId }, data: { postCount: { increment: posts.length } } });
    await recordAudit({ actorId: moderator.id, action: "topic.merge", targetType: "topic", targetId: sourceId, reason, details: { into: targetId, posts: posts.length } }, tx);
  });
  return { ok: true as const };
}

/** Moves the chosen replies (never the first post) into a new topic on the same board. */
export async function splitTopic(moderator: Moderator, sourceId: number, numbers: number[], title: string, reason: string) {
  const wanted = [...new Set(numbers)].filter((n) => n > 1).sort((a, b) => a - b);
  if (!wanted.length) return { ok: false as const, message: "Choose at least one reply to split off (the first post stays)." };
  const source = await db.topic.findUnique({ where: { id: sourceId }, select: { id: true, boardId: true } });
  if (!source) return { ok: false as const, message: "That topic does not exist." };
  const created = await db.$transaction(async (tx) => {
    const posts = await tx.post.findMany({
      where: { topicId: sourceId, number: { in: wanted } },
      orderBy: { number: "asc" },
      select: { id: true, number: true, replyToNumber: true, authorId: true, createdAt: true },
    });
    if (!posts.length) return null;
    const first = posts[0]!;
    const last = posts[posts.length - 1]!;
    const topic = await tx.topic.create({
      data: {
        boardId: source.boardId, slug: slugify(title), title, authorId: first.authorId, createdAt: first.createdAt,
        bumpedAt: last.createdAt, lastPosterId: last.authorId, postCount: posts.length, lastPostNumber: posts.length,
      },
    });
    await movePosts(tx, sourceId, posts, topic.id, 1);
    await enqueueSearch(tx, { kind: "topic", id: topic.id });
    await tx.topic.update({ where: { id: sourceId }, data: { postCount: { decrement: posts.length } } });
    await tx.board.update({ where: { id: source.boardId }, data: { topicCount: { increment: 1 } } });
    await recordAudit({ actorId: moderator.id, action: "topic.split", targetType: "topic", targetId: sourceId, reason, details: { newTopicId: topic.id, numbers: posts.map((p) => p.number) } }, tx);
    return topic;
  });
  if (!created) return { ok: false as const, message: "None of those posts are in this topic." };
  return { ok: true as const, topicId: created.id, slug: created.slug };
}
