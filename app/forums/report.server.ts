import { Prisma } from "~/generated/prisma/client";
import { db } from "~/utils/db.server";

/**
 * A member's report of a post, with a snapshot of the post as it was, for the
 * moderation queue. One report per member per post.
 */
export async function reportPost(reporterId: number, postId: number, reason: string) {
  const post = await db.post.findUnique({
    where: { id: postId },
    select: { id: true, number: true, raw: true, authorId: true, topicId: true, heldAt: true, author: { select: { username: true } } },
  });
  if (!post || post.heldAt) return { ok: false as const, status: 404, message: "That post does not exist." };
  if (post.authorId === reporterId) return { ok: false as const, status: 400, message: "You cannot report your own post." };
  const snapshot = JSON.stringify({ topicId: post.topicId, number: post.number, author: post.author.username, raw: post.raw, at: new Date().toISOString() });
  try {
    await db.report.create({ data: { targetType: "post", targetId: postId, reporterId, reason, snapshot } });
    return { ok: true as const };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false as const, status: 409, message: "You have already reported this post. Moderators will look at it." };
    }
    throw error;
  }
}
