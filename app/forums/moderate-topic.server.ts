import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { enqueueSearch } from "../../search/outbox.server.ts";

type Moderator = { id: number };

export async function setTopicPinned(moderator: Moderator, topicId: number, pinned: boolean, reason = "") {
  await db.$transaction(async (tx) => {
    await tx.topic.update({ where: { id: topicId }, data: { pinned } });
    await recordAudit({ actorId: moderator.id, action: pinned ? "topic.pin" : "topic.unpin", targetType: "topic", targetId: topicId, reason }, tx);
  });
}

export async function setTopicLocked(moderator: Moderator, topicId: number, locked: boolean, reason: string) {
  await db.$transaction(async (tx) => {
    await tx.topic.update({ where: { id: topicId }, data: { locked, lockedReason: locked ? reason : null } });
    await recordAudit({ actorId: moderator.id, action: locked ? "topic.lock" : "topic.unlock", targetType: "topic", targetId: topicId, reason }, tx);
  });
}

/** Moves a topic to another board. Topic URLs carry no board, so links keep working. */
export async function moveTopic(moderator: Moderator, topicId: number, toBoardId: number, reason: string) {
  const topic = await db.topic.findUnique({ where: { id: topicId }, select: { boardId: true, postCount: true } });
  const target = await db.board.findUnique({ where: { id: toBoardId }, select: { id: true } });
  if (!topic || !target) return false;
  if (topic.boardId === toBoardId) return true;
  await db.$transaction(async (tx) => {
    await tx.topic.update({ where: { id: topicId }, data: { boardId: toBoardId } });
    await enqueueSearch(tx, { kind: "topic", id: topicId });
    await tx.board.update({ where: { id: topic.boardId }, data: { topicCount: { decrement: 1 }, postCount: { decrement: topic.postCount } } });
    await tx.board.update({ where: { id: toBoardId }, data: { topicCount: { increment: 1 }, postCount: { increment: topic.postCount } } });
    await recordAudit({ actorId: moderator.id, action: "topic.move", targetType: "topic", targetId: topicId, reason, details: { from: topic.boardId, to: toBoardId } }, tx);
  });
  return true;
}
