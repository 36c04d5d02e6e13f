// Posts held for approval (new members, watched words) and the moderator's
// decision on them. Approving publishes the post exactly as if it had just
// been posted: counters, bump, notifications and email, search, live events.
// Rejecting keeps it out of view and tells the author why.
import { publish } from "~/events/bus.server";
import { cookPost } from "~/forums/cook.server";
import { notifyForNewPost } from "~/forums/notify.server";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { enqueueSearch } from "../../search/outbox.server.ts";
import type { DecisionResult } from "./decisions.server";
import type { Rule } from "./rules";

type Moderator = { id: number };

async function findHeld(postId: number) {
  return db.post.findUnique({
    where: { id: postId },
    select: {
      id: true, number: true, raw: true, authorId: true, heldAt: true, heldReason: true, heldOnEdit: true, hiddenAt: true, replyToNumber: true, topicId: true,
      topic: { select: { id: true, boardId: true, heldAt: true } },
    },
  });
}

/** Publishes a held post. Audit: post.approve. */
export async function approveHeldPost(moderator: Moderator, postId: number, reason: string, options: { origin?: string } = {}): Promise<DecisionResult> {
  const post = await findHeld(postId);
  if (!post) return { ok: false, status: 404, message: "That post no longer exists." };
  if (!post.heldAt || post.hiddenAt) return { ok: false, status: 409, message: "That post is not waiting for approval any more." };
  const firstOfHeldTopic = post.number === 1 && Boolean(post.topic.heldAt);
  const { mentionedUserIds } = post.heldOnEdit ? { mentionedUserIds: [] } : await cookPost(post.raw);
  const replyTarget = post.replyToNumber
    ? await db.post.findUnique({ where: { topicId_number: { topicId: post.topicId, number: post.replyToNumber } }, select: { authorId: true } })
    : null;
  const now = new Date();
  const decided = await db.$transaction(async (tx) => {
    // Only one moderator's decision counts when two decide at once.
    const claimed = await tx.post.updateMany({ where: { id: postId, heldAt: { not: null }, hiddenAt: null }, data: { heldAt: null, heldReason: null, heldOnEdit: false } });
    if (claimed.count === 0) return false;
    await enqueueSearch(tx, { kind: "post", id: postId });
    if (!post.heldOnEdit) {
      if (firstOfHeldTopic) {
        await tx.topic.update({ where: { id: post.topicId }, data: { heldAt: null, bumpedAt: now } });
        await tx.board.update({ where: { id: post.topic.boardId }, data: { topicCount: { increment: 1 }, postCount: { increment: 1 }, lastPostedAt: now } });
      } else {
        await tx.topic.update({ where: { id: post.topicId }, data: { postCount: { increment: 1 }, bumpedAt: now, lastPosterId: post.authorId } });
        await tx.board.update({ where: { id: post.topic.boardId }, data: { postCount: { increment: 1 }, lastPostedAt: now } });
      }
      await notifyForNewPost(tx, {
        actorId: post.authorId, topicId: post.topicId, boardId: post.topic.boardId, number: post.number,
        replyToAuthorId: replyTarget?.authorId ?? null, mentionedUserIds, origin: options.origin,
      });
    }
    await tx.moderationClaim.deleteMany({ where: { itemKey: `held:${postId}` } });
    await recordAudit({ actorId: moderator.id, action: "post.approve", targetType: "post", targetId: postId, reason, details: { topicId: post.topicId, number: post.number, heldReason: post.heldReason, afterEdit: post.heldOnEdit } }, tx);
    return true;
  });
  if (!decided) return { ok: false, status: 409, message: "That post is not waiting for approval any more." };
  if (post.heldOnEdit) publish(`topic:${post.topicId}`, { type: "edit", data: { number: post.number } });
  else if (firstOfHeldTopic) publish(`board:${post.topic.boardId}`, { type: "topic", data: { topicId: post.topicId } });
  else publish(`topic:${post.topicId}`, { type: "post", id: String(post.number), data: { number: post.number } });
  return { ok: true, message: "Approved: the post is published." };
}

/**
 * Keeps a held post out of view for good and tells its author why (a notice
 * on their notifications page). Audit: post.reject.
 */
export async function rejectHeldPost(moderator: Moderator, postId: number, reason: string, rule?: Rule): Promise<DecisionResult> {
  const post = await findHeld(postId);
  if (!post) return { ok: false, status: 404, message: "That post no longer exists." };
  if (!post.heldAt || post.hiddenAt) return { ok: false, status: 409, message: "That post is not waiting for approval any more." };
  const now = new Date();
  const decided = await db.$transaction(async (tx) => {
    const claimed = await tx.post.updateMany({ where: { id: postId, heldAt: { not: null }, hiddenAt: null }, data: { hiddenAt: now, hiddenById: moderator.id, hiddenReason: reason } });
    if (claimed.count === 0) return false;
    await tx.notification.create({ data: { userId: post.authorId, kind: "post-rejected", actorId: moderator.id, topicId: post.topicId, postNumber: post.number, text: reason } });
    await tx.moderationClaim.deleteMany({ where: { itemKey: `held:${postId}` } });
    await recordAudit({ actorId: moderator.id, action: "post.reject", targetType: "post", targetId: postId, reason, details: { topicId: post.topicId, number: post.number, heldReason: post.heldReason, rule: rule ?? null } }, tx);
    return true;
  });
  if (!decided) return { ok: false, status: 409, message: "That post is not waiting for approval any more." };
  return { ok: true, message: "Rejected: the author is told why." };
}
