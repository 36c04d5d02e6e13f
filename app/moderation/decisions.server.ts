// Decisions on reported content from the moderation queue: dismiss the
// reports, hide or restore a post, take down an archived message. Each one
// resolves the item's open reports and is audited with its reason and rule.
import { clearArchiveReadCache } from "~/archive/read.server";
import { hideMessage, type HideReasonCategory } from "~/archive/takedown.server";
import { announcePostChange, writePostHidden } from "~/forums/moderate-post.server";
import type { Prisma } from "~/generated/prisma/client";
import { removeMessage } from "~/chat/remove.server";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import type { Rule } from "./rules";

type Tx = Prisma.TransactionClient;
type Moderator = { id: number };
export type DecisionResult = { ok: true; message: string } | { ok: false; status: number; message: string };

/** Marks a target's open reports resolved; returns their ids. */
export async function resolveReportsTx(tx: Tx, moderator: Moderator, targetType: "post" | "chat" | "mail", targetId: number, state: "dismissed" | "actioned", rule?: Rule) {
  const open = await tx.report.findMany({ where: { targetType, targetId, state: "open" }, select: { id: true } });
  if (open.length === 0) return [];
  const ids = open.map((r) => r.id);
  await tx.report.updateMany({ where: { id: { in: ids } }, data: { state, resolvedById: moderator.id, resolvedAt: new Date(), rule: rule ?? null } });
  await tx.moderationClaim.deleteMany({ where: { itemKey: `${targetType}:${targetId}` } });
  return ids;
}

/** Reports → dismissed; the content stays as it is. Audit: report.dismiss. */
export async function dismissReports(moderator: Moderator, targetType: "post" | "chat" | "mail", targetId: number, reason: string, rule?: Rule): Promise<DecisionResult> {
  // The audit log names archived messages by their public id.
  const auditTarget = targetType === "mail" ? (await db.mailMessage.findUnique({ where: { id: targetId }, select: { publicId: true } }))?.publicId ?? targetId : targetId;
  const dismissed = await db.$transaction(async (tx) => {
    const ids = await resolveReportsTx(tx, moderator, targetType, targetId, "dismissed", rule);
    if (ids.length) {
      await recordAudit({ actorId: moderator.id, action: "report.dismiss", targetType, targetId: auditTarget, reason, details: { reportIds: ids, rule: rule ?? null } }, tx);
    }
    return ids.length;
  });
  if (!dismissed) return { ok: false, status: 409, message: "There are no open reports on this item any more." };
  return { ok: true, message: `Dismissed ${dismissed} report${dismissed === 1 ? "" : "s"}.` };
}

async function findPost(postId: number) {
  return db.post.findUnique({ where: { id: postId }, select: { id: true, topicId: true, number: true, hiddenAt: true } });
}

/** Hides a reported post with a public reason; its reports → actioned. Audit: post.hide (rule and reports in details). */
export async function hideReportedPost(moderator: Moderator, postId: number, reason: string, rule?: Rule): Promise<DecisionResult> {
  const post = await findPost(postId);
  if (!post) return { ok: false, status: 404, message: "That post no longer exists." };
  await db.$transaction(async (tx) => {
    const ids = await resolveReportsTx(tx, moderator, "post", postId, "actioned", rule);
    await writePostHidden(tx, moderator, post, true, reason, { rule: rule ?? null, reportIds: ids });
  });
  announcePostChange(post);
  return { ok: true, message: "The post is hidden; readers see your reason." };
}

/** Shows a hidden post again. Audit: post.unhide. */
export async function restorePost(moderator: Moderator, postId: number, reason: string, rule?: Rule): Promise<DecisionResult> {
  const post = await findPost(postId);
  if (!post) return { ok: false, status: 404, message: "That post no longer exists." };
  if (!post.hiddenAt) return { ok: false, status: 409, message: "That post is not hidden." };
  await db.$transaction((tx) => writePostHidden(tx, moderator, post, false, reason, { rule: rule ?? null }));
  announcePostChange(post);
  return { ok: true, message: "The post is visible again." };
}

/**
 * Takes down a reported archived message (tombstoned, so a re-import keeps it
 * hidden) and resolves its reports. Audit: mail.hide, and report.action with
 * the rule and the reports it closed.
 */
export async function takeDownReportedMessage(
  moderator: Moderator,
  messageRowId: number,
  category: HideReasonCategory,
  reason: string,
  rule?: Rule,
): Promise<DecisionResult> {
  const message = await db.mailMessage.findUnique({ where: { id: messageRowId }, select: { id: true, publicId: true, listId: true } });
  if (!message) return { ok: false, status: 404, message: "That message no longer exists." };
  const hidden = await hideMessage(moderator.id, { id: message.listId }, message.publicId, category, reason);
  if (!hidden.ok) return { ok: false, status: 400, message: hidden.message };
  clearArchiveReadCache();
  await db.$transaction(async (tx) => {
    const ids = await resolveReportsTx(tx, moderator, "mail", message.id, "actioned", rule);
    await recordAudit({ actorId: moderator.id, action: "report.action", targetType: "mail", targetId: message.publicId, reason, details: { reportIds: ids, rule: rule ?? null, category } }, tx);
  });
  return { ok: true, message: "The message is taken down." };
}

/**
 * Deletes a reported chat message (readers see "removed by moderators" with
 * the reason) and resolves its reports. Audit: chat.remove with the reports it closed.
 */
export async function removeReportedChatMessage(moderator: Moderator, messageId: number, reason: string, rule?: Rule): Promise<DecisionResult> {
  const removed = await removeMessage(moderator, messageId, reason, new Date(), { rule });
  if (!removed) return { ok: false, status: 404, message: "That message no longer exists." };
  return { ok: true, message: "The message is deleted; readers see your reason." };
}
