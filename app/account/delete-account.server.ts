// Deleting an account. In one transaction: everything keyed to the member
// goes (sessions, email links, drafts, bookmarks, watches, read positions,
// notifications, chat mutes, staff notes about them, mail to them, their
// announcement subscriptions (erase-announcements.server.ts), privacy
// questions they sent, their privacy-policy answers and seen markers), records
// that others hold are scrubbed of their name and address
// (scrub-records.server.ts), @mentions of them in others' posts become
// "@deleted member" (rewrite-mentions.server.ts), and their posts and chat
// messages are either emptied or kept. The User row itself stays as an anonymous "deleted
// member": posts, topics and moderation records point at it, and it holds
// nothing personal (no name, address, password hash or settings). The
// username is not reserved: reserving it would mean keeping it.
import { randomBytes } from "node:crypto";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { enqueueSearch, enqueueSearchIds } from "../../search/outbox.server.ts";
import { DELETED_MEMBER_NAME } from "./deleted-member";
import { eraseAnnouncementSubscriptions } from "./erase-announcements.server";
import { applyMentionRewrites, prepareMentionRewrites } from "./rewrite-mentions.server";
import { REMOVED_TEXT, removePrivacyQuestions, scrubAuditDetails, scrubOutgoingMail, scrubReportSnapshots } from "./scrub-records.server";

export const REMOVED_TOPIC_TITLE = "Topic removed by its author";

export type DeleteAccountResult =
  | { ok: true; postsKept: boolean; posts: number; chatMessages: number }
  | { ok: false; status: number; message: string };

export const LAST_ADMIN_MESSAGE =
  "You are the only admin. Make another member an admin first (npm run user -- set-role --username <name> --role admin), then delete your account.";

export async function deleteAccount(userId: number, options: { keepPosts: boolean }, now = new Date()): Promise<DeleteAccountResult> {
  const named = await db.user.findUnique({ where: { id: userId }, select: { username: true, deletedAt: true } });
  const mentions = named && !named.deletedAt ? await prepareMentionRewrites(userId, named.username) : null;
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user || user.deletedAt) return { ok: false, status: 404, message: "That account does not exist." };
    if (user.role === "admin") {
      const otherAdmins = await tx.user.count({ where: { role: "admin", deletedAt: null, id: { not: userId } } });
      if (otherAdmins === 0) return { ok: false, status: 409, message: LAST_ADMIN_MESSAGE };
    }

    const postIds = (await tx.post.findMany({ where: { authorId: userId }, select: { id: true } })).map((post) => post.id);
    const chatIds = (await tx.chatMessage.findMany({ where: { authorId: userId }, select: { id: true } })).map((message) => message.id);
    const topicIds = (await tx.topic.findMany({ where: { authorId: userId }, select: { id: true } })).map((topic) => topic.id);

    if (!options.keepPosts) {
      // Emptied, not deleted: post numbers, replies' "in reply to" and
      // permalinks stay valid, and readers see "deleted by author".
      await tx.post.updateMany({ where: { authorId: userId }, data: { raw: "", cooked: "", deletedAt: now, submissionId: null } });
      await tx.postRevision.deleteMany({ where: { post: { authorId: userId } } });
      await tx.chatMessage.updateMany({
        where: { authorId: userId },
        data: { body: "", html: "", deletedAt: now, deletedById: userId, deleteReason: null, submissionId: null },
      });
      for (const topicId of topicIds) {
        // A topic only the member wrote in disappears; one with others' replies keeps them under a neutral title.
        const othersPosted = await tx.post.count({ where: { topicId, authorId: { not: userId } } });
        await tx.topic.update({
          where: { id: topicId },
          data: {
            title: REMOVED_TOPIC_TITLE,
            slug: "removed",
            ...(othersPosted === 0 ? { hiddenAt: now, hiddenById: null, hiddenReason: "Its author deleted their account." } : {}),
          },
        });
      }
    }
    await scrubReportSnapshots(tx, { postIds, chatIds }, !options.keepPosts);
    const mentioned = mentions ? await applyMentionRewrites(tx, mentions) : { postIds: [], chatIds: [] };

    const addresses = [user.email, user.pendingEmail ?? "", ...(await tx.emailToken.findMany({ where: { userId }, select: { email: true } })).map((token) => token.email)];
    // Lists are keyed by address: the account's, and the one it was changing to.
    // Only a confirmed address is known to be the member's: for the others, only
    // unconfirmed requests go, never someone else's confirmed subscriptions.
    const subscribed = await eraseAnnouncementSubscriptions(tx, {
      confirmed: user.emailVerifiedAt ? [user.email] : [],
      unconfirmed: [user.emailVerifiedAt ? "" : user.email, user.pendingEmail ?? ""],
    });
    await scrubOutgoingMail(tx, user.username, [...new Set([...addresses, ...subscribed])]);
    await removePrivacyQuestions(tx, user.username, [...addresses, ...subscribed]);
    await scrubAuditDetails(tx, [user.username, user.email, user.pendingEmail ?? ""]);

    await tx.session.deleteMany({ where: { userId } });
    await tx.emailToken.deleteMany({ where: { userId } });
    await tx.draft.deleteMany({ where: { userId } });
    await tx.bookmark.deleteMany({ where: { userId } });
    await tx.watch.deleteMany({ where: { userId } });
    await tx.topicRead.deleteMany({ where: { userId } });
    await tx.notification.deleteMany({ where: { userId } });
    await tx.chatMute.deleteMany({ where: { userId } });
    await tx.moderationClaim.deleteMany({ where: { moderatorId: userId } });
    // Privacy-policy answers, the version seen and the data-use notices sent: records of the member alone.
    await tx.policyConsent.deleteMany({ where: { userId } });
    await tx.policySeen.deleteMany({ where: { userId } });
    await tx.policyNotice.deleteMany({ where: { userId } });
    // Moderators' notes about the member serve no one once the account is gone, and are personal data.
    await tx.staffNote.deleteMany({ where: { userId } });
    // Reports stay for the content they point at; the reporter's own words go.
    await tx.report.updateMany({ where: { reporterId: userId }, data: { reason: REMOVED_TEXT } });
    // An open appeal has nobody left to answer; a decided one keeps the decision, not the member's text.
    await tx.appeal.deleteMany({ where: { authorId: userId, state: "open" } });
    await tx.appeal.updateMany({ where: { authorId: userId }, data: { text: REMOVED_TEXT } });

    const opaque = randomBytes(12).toString("hex");
    await tx.user.update({
      where: { id: userId },
      data: {
        username: DELETED_MEMBER_NAME,
        // ":" never occurs in a username or an address, so sign-ups cannot collide with these.
        usernameKey: `deleted:${opaque}`,
        email: `deleted:${opaque}`,
        emailKey: `deleted:${opaque}`,
        // Not a hash any password verifies against.
        passwordHash: "!",
        role: "member",
        publicPostingAckAt: null,
        silencedUntil: null,
        suspendedUntil: null,
        emailVerifiedAt: null,
        pendingEmail: null,
        emailOnReply: false,
        emailOnMention: false,
        emailOnWatched: false,
        unsubscribeKey: null,
        deletedAt: now,
      },
    });

    // The author's name is in every search document of theirs: re-index them all (or drop the emptied ones).
    await enqueueSearchIds(tx, "post", [...postIds, ...mentioned.postIds]);
    await enqueueSearchIds(tx, "chat", [...chatIds, ...mentioned.chatIds]);
    if (!options.keepPosts) for (const topicId of topicIds) await enqueueSearch(tx, { kind: "topic", id: topicId });

    await recordAudit(
      {
        actorId: userId,
        action: "user.delete",
        targetType: "user",
        targetId: userId,
        reason: options.keepPosts ? "account deleted (posts kept)" : "account deleted (posts removed)",
        details: { posts: postIds.length, topics: topicIds.length, chatMessages: chatIds.length },
      },
      tx,
    );
    return { ok: true, postsKept: options.keepPosts, posts: postIds.length, chatMessages: chatIds.length };
  });
}
