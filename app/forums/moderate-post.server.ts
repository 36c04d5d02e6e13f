import { publish } from "~/events/bus.server";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { enqueueSearch } from "../../search/outbox.server.ts";

type Moderator = { id: number };

/** Hides a post with a reason that readers see; reversible. */
export async function setPostHidden(moderator: Moderator, postId: number, hidden: boolean, reason: string) {
  const post = await db.post.findUnique({ where: { id: postId }, select: { id: true, topicId: true, number: true } });
  if (!post) return null;
  await db.$transaction(async (tx) => {
    await tx.post.update({
      where: { id: postId },
      data: hidden ? { hiddenAt: new Date(), hiddenById: moderator.id, hiddenReason: reason } : { hiddenAt: null, hiddenById: null, hiddenReason: null },
    });
    await enqueueSearch(tx, { kind: "post", id: postId });
    await recordAudit({ actorId: moderator.id, action: hidden ? "post.hide" : "post.unhide", targetType: "post", targetId: postId, reason, details: { topicId: post.topicId, number: post.number } }, tx);
  });
  publish(`topic:${post.topicId}`, { type: "edit", data: { number: post.number } });
  return post;
}

/** Redacts one revision's text, leaving a marker that says who and why. */
export async function redactRevision(moderator: Moderator, revisionId: number, reason: string) {
  const revision = await db.postRevision.findUnique({ where: { id: revisionId }, select: { id: true, postId: true, version: true } });
  if (!revision) return null;
  await db.$transaction(async (tx) => {
    await tx.postRevision.update({
      where: { id: revisionId },
      data: { raw: "", cooked: "", redactedAt: new Date(), redactedById: moderator.id, redactionReason: reason },
    });
    await recordAudit({ actorId: moderator.id, action: "revision.redact", targetType: "post", targetId: revision.postId, reason, details: { version: revision.version } }, tx);
  });
  return revision;
}
