import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { publishMessages } from "./events.server";
import { markRevised, reviseReplies } from "./revise.server";
import { enqueueSearch } from "../../search/outbox.server.ts";

/**
 * A moderator removes any message, with a reason readers see ("removed by
 * moderators: …"). The text stays in the database for the audit trail and
 * open reports, but no page or stream shows it again.
 */
export async function removeMessage(moderator: { id: number }, id: number, reason: string, now = new Date(), options: { rule?: string } = {}) {
  const message = await db.chatMessage.findUnique({ where: { id }, select: { id: true, roomId: true, authorId: true, deletedAt: true } });
  if (!message) return null;
  const replies = await db.$transaction(async (tx) => {
    const revisedAfterId = await markRevised(tx, message.roomId);
    await tx.chatMessage.update({ where: { id }, data: { deletedAt: now, deletedById: moderator.id, deleteReason: reason, revisedAfterId } });
    await enqueueSearch(tx, { kind: "chat", id });
    const open = await tx.report.findMany({ where: { targetType: "chat", targetId: id, state: "open" }, select: { id: true } });
    const reportIds = open.map((r) => r.id);
    await tx.report.updateMany({ where: { id: { in: reportIds } }, data: { state: "actioned", resolvedById: moderator.id, resolvedAt: now, rule: options.rule ?? null } });
    await tx.moderationClaim.deleteMany({ where: { itemKey: `chat:${id}` } });
    await recordAudit(
      { actorId: moderator.id, action: "chat.remove", targetType: "chat", targetId: id, reason, details: { roomId: message.roomId, authorId: message.authorId, reportIds, rule: options.rule ?? null } },
      tx,
    );
    return reviseReplies(tx, id, revisedAfterId);
  });
  await publishMessages(message.roomId, [id, ...replies], "update");
  return message;
}
