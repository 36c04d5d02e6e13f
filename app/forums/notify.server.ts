import type { Prisma } from "~/generated/prisma/client";
import { siteOrigin } from "~/mail/links.server";
import { queueForumEmails } from "./notify-email.server";

/**
 * Who hears about a new post: the author of the post it answers, members it
 * mentions, and members watching the topic or its board. Each member gets
 * one notification per post, never one for their own post.
 */
export async function notifyForNewPost(
  tx: Prisma.TransactionClient,
  post: { actorId: number; topicId: number; boardId: number; number: number; replyToAuthorId: number | null; mentionedUserIds: number[]; origin?: string },
) {
  const notified = new Set<number>([post.actorId]);
  const rows: Prisma.NotificationCreateManyInput[] = [];
  const add = (userId: number, kind: string) => {
    if (notified.has(userId)) return;
    notified.add(userId);
    rows.push({ userId, kind, actorId: post.actorId, topicId: post.topicId, postNumber: post.number });
  };
  if (post.replyToAuthorId) add(post.replyToAuthorId, "reply");
  for (const userId of post.mentionedUserIds) add(userId, "mention");
  const watchers = await tx.watch.findMany({
    where: {
      OR: [
        { targetType: "topic", targetId: post.topicId },
        { targetType: "board", targetId: post.boardId },
      ],
    },
    select: { userId: true },
  });
  for (const watcher of watchers) add(watcher.userId, "watched");
  if (rows.length) await tx.notification.createMany({ data: rows });
  // The same recipients by email, as each has chosen (notify-email.server.ts).
  await queueForumEmails(tx, rows, { actorId: post.actorId, topicId: post.topicId, number: post.number, origin: post.origin ?? siteOrigin() });
  return rows.length;
}
