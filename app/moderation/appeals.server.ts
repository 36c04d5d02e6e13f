// Appeals: the author of a hidden post asks moderators to reconsider, once per
// hide. The appeal joins the moderation queue; the decision (restore or
// uphold) is audited and the author is notified of the outcome.
import { announcePostChange, writePostHidden } from "~/forums/moderate-post.server";
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { APPEAL_MAX, type Rule } from "./rules";

type Result = { ok: true; message: string } | { ok: false; status: number; message: string };

/** The hide that an appeal would contest: the latest post.hide entry of a hidden post. */
async function currentHide(postId: number) {
  return db.auditEntry.findFirst({ where: { action: "post.hide", targetType: "post", targetId: String(postId) }, orderBy: { id: "desc" }, select: { id: true, actorId: true } });
}

/** What the author of a post may do about its hiding: appeal, or read the appeal they sent. */
export async function appealStatus(userId: number, postId: number) {
  const post = await db.post.findUnique({
    where: { id: postId },
    select: { id: true, number: true, authorId: true, hiddenAt: true, hiddenReason: true, deletedAt: true, raw: true, topic: { select: { id: true, slug: true, title: true } } },
  });
  if (!post || post.authorId !== userId) return null;
  const hide = post.hiddenAt ? await currentHide(postId) : null;
  const appeal = hide ? await db.appeal.findUnique({ where: { postId_hideAuditId: { postId, hideAuditId: hide.id } } }) : null;
  return { post, hide, appeal, canAppeal: Boolean(post.hiddenAt && hide && !appeal && !post.deletedAt) };
}

export async function fileAppeal(user: { id: number }, postId: number, text: string): Promise<Result> {
  const status = await appealStatus(user.id, postId);
  if (!status) return { ok: false, status: 404, message: "You can only appeal the hiding of your own posts." };
  if (!status.post.hiddenAt || !status.hide) return { ok: false, status: 409, message: "This post is not hidden, so there is nothing to appeal." };
  if (status.appeal) return { ok: false, status: 409, message: "You have already appealed this decision. Moderators will answer it." };
  try {
    await db.appeal.create({ data: { postId, authorId: user.id, hideAuditId: status.hide.id, hiddenById: status.hide.actorId, text: text.trim().slice(0, APPEAL_MAX) } });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false, status: 409, message: "You have already appealed this decision. Moderators will answer it." };
    }
    throw error;
  }
  return { ok: true, message: "Your appeal was sent to the moderators." };
}

/**
 * Restores the post or upholds the hiding. Audit: appeal.restore (plus
 * post.unhide) or appeal.uphold. The author gets a notification of kind "appeal".
 */
export async function decideAppeal(moderator: { id: number }, appealId: number, outcome: "restore" | "uphold", reason: string, rule?: Rule): Promise<Result> {
  const appeal = await db.appeal.findUnique({ where: { id: appealId } });
  if (!appeal) return { ok: false, status: 404, message: "That appeal does not exist." };
  const post = await db.post.findUnique({ where: { id: appeal.postId }, select: { id: true, topicId: true, number: true, hiddenAt: true } });
  if (!post) return { ok: false, status: 404, message: "The appealed post no longer exists." };
  const decided = await db.$transaction(async (tx) => {
    // Only an open appeal changes state, so two moderators cannot both decide it.
    const { count } = await tx.appeal.updateMany({
      where: { id: appealId, state: "open" },
      data: { state: outcome === "restore" ? "restored" : "upheld", decidedById: moderator.id, decidedAt: new Date(), decisionReason: reason },
    });
    if (count === 0) return false;
    if (outcome === "restore" && post.hiddenAt) await writePostHidden(tx, moderator, post, false, reason, { appealId, rule: rule ?? null });
    const text = outcome === "restore" ? `Your appeal was accepted and your post is visible again: ${reason}` : `Your appeal was considered and the post stays hidden: ${reason}`;
    await tx.notification.create({ data: { userId: appeal.authorId, kind: "appeal", actorId: moderator.id, topicId: post.topicId, postNumber: post.number, text } });
    await recordAudit({ actorId: moderator.id, action: `appeal.${outcome}`, targetType: "post", targetId: post.id, reason, details: { appealId, rule: rule ?? null } }, tx);
    await tx.moderationClaim.deleteMany({ where: { itemKey: `appeal:${appealId}` } });
    return true;
  });
  if (!decided) return { ok: false, status: 409, message: "This appeal was already decided." };
  if (outcome === "restore") announcePostChange(post);
  return { ok: true, message: outcome === "restore" ? "The post is restored and its author told." : "The hiding stands; its author was told." };
}
