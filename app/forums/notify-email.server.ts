// Email for forum events, queued in the posting transaction next to the
// on-site notifications (notify.server.ts). Each kind has its own switch in
// Settings → Account (replies and mentions on, watched topics and boards off
// by default) and its own one-click unsubscribe link (RFC 8058). Only
// verified addresses get these emails: an address someone else typed at
// sign-up is never mailed about forum activity.
import { randomBytes } from "node:crypto";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import type { Prisma } from "~/generated/prisma/client";
import { queueMail } from "~/mail/queue.server";
import { db } from "~/utils/db.server";

export const FORUM_EMAIL_KINDS = ["reply", "mention", "watched"] as const;
export type ForumEmailKind = (typeof FORUM_EMAIL_KINDS)[number];

const PREFERENCE: Record<ForumEmailKind, "emailOnReply" | "emailOnMention" | "emailOnWatched"> = {
  reply: "emailOnReply",
  mention: "emailOnMention",
  watched: "emailOnWatched",
};

const DESCRIPTION: Record<ForumEmailKind, string> = {
  reply: "replies to your posts",
  mention: "mentions of you",
  watched: "new posts in topics and boards you watch",
};

export function isForumEmailKind(value: unknown): value is ForumEmailKind {
  return typeof value === "string" && (FORUM_EMAIL_KINDS as readonly string[]).includes(value);
}

export function unsubscribeLink(origin: string, userId: number, kind: ForumEmailKind, key: string): string {
  return `${origin}/unsubscribe?${new URLSearchParams({ u: String(userId), k: kind, t: key })}`;
}

type Recipient = { userId: number; kind: string };

export async function queueForumEmails(
  tx: Prisma.TransactionClient,
  recipients: Recipient[],
  post: { actorId: number; topicId: number; number: number; origin: string },
): Promise<number> {
  const wanted = recipients.filter((recipient): recipient is { userId: number; kind: ForumEmailKind } => isForumEmailKind(recipient.kind));
  if (wanted.length === 0) return 0;
  const users = await tx.user.findMany({
    where: { id: { in: wanted.map((recipient) => recipient.userId) }, emailVerifiedAt: { not: null } },
    select: { id: true, username: true, email: true, emailOnReply: true, emailOnMention: true, emailOnWatched: true, unsubscribeKey: true },
  });
  const byId = new Map(users.map((user) => [user.id, user]));
  const [topic, actor] = await Promise.all([
    tx.topic.findUniqueOrThrow({ where: { id: post.topicId }, select: { title: true, slug: true } }),
    tx.user.findUniqueOrThrow({ where: { id: post.actorId }, select: { username: true } }),
  ]);
  const postLink = `${post.origin}/t/${post.topicId}/${topic.slug}/${post.number}`;
  let queued = 0;
  for (const recipient of wanted) {
    const user = byId.get(recipient.userId);
    if (!user || !user[PREFERENCE[recipient.kind]]) continue;
    let key = user.unsubscribeKey;
    if (!key) {
      key = randomBytes(24).toString("base64url");
      await tx.user.update({ where: { id: user.id }, data: { unsubscribeKey: key } });
      user.unsubscribeKey = key;
    }
    const unsubscribe = unsubscribeLink(post.origin, user.id, recipient.kind, key);
    const what =
      recipient.kind === "reply"
        ? `${actor.username} replied to your post in "${topic.title}".`
        : recipient.kind === "mention"
          ? `${actor.username} mentioned you in "${topic.title}".`
          : `${actor.username} posted in "${topic.title}", which you watch.`;
    await queueMail(tx, {
      kind: `forum-${recipient.kind}`,
      to: user.email,
      subject: recipient.kind === "watched" ? `New post in "${topic.title}"` : what.replace(/\.$/, ""),
      text: [
        `Hello ${user.username},`,
        "",
        what,
        "",
        `Read it: ${postLink}`,
        "",
        `You get this email because ${DESCRIPTION[recipient.kind]} are switched on in your settings (${post.origin}/settings).`,
        `Stop emails about ${DESCRIPTION[recipient.kind]} with one click: ${unsubscribe}`,
      ].join("\n"),
      headers: { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    });
    queued += 1;
  }
  return queued;
}

/** Switches one kind of forum email off for the member the link belongs to; false for a bad link. */
export async function unsubscribeFromLink(userId: number, kind: string, key: string): Promise<ForumEmailKind | null> {
  if (!Number.isSafeInteger(userId) || userId <= 0 || !isForumEmailKind(kind) || key.length === 0) return null;
  const user = await db.user.findUnique({ where: { id: userId }, select: { unsubscribeKey: true } });
  if (!user?.unsubscribeKey) return null;
  const given = new TextEncoder().encode(key);
  const stored = new TextEncoder().encode(user.unsubscribeKey);
  if (given.length !== stored.length || !constantTimeEqual(given, stored)) return null;
  await db.user.update({ where: { id: userId }, data: { [PREFERENCE[kind]]: false } });
  return kind;
}

export async function setForumEmailPreferences(userId: number, preferences: Record<ForumEmailKind, boolean>): Promise<void> {
  await db.user.update({
    where: { id: userId },
    data: { emailOnReply: preferences.reply, emailOnMention: preferences.mention, emailOnWatched: preferences.watched },
  });
}

export { DESCRIPTION as FORUM_EMAIL_DESCRIPTIONS };
