// account.json of a member's data export: every row keyed to the member, as
// the member may see it. Secrets never leave (password hash, session ids and
// hashes, email token hashes, the unsubscribe key), and neither do other
// people's words (report snapshots) nor moderators' private notes about the
// member (see README, "Accounts, sessions and privacy"). Announcement lists
// are keyed by address: the member's are those of the account's address, as
// Settings → Announcements shows them (not the unconfirmed new address, which
// may be someone else's).
import { db } from "~/utils/db.server";

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

export async function accountRecord(userId: number, origin: string) {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
  const [sessions, emailTokens, bookmarks, drafts, watches, reads, notifications, reports, appeals, mutes, topics, actions] = await Promise.all([
    db.session.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { label: true, createdAt: true, lastUsedAt: true, expiresAt: true, absoluteExpiresAt: true } }),
    db.emailToken.findMany({ where: { userId }, orderBy: { createdAt: "asc" }, select: { purpose: true, email: true, createdAt: true, expiresAt: true, usedAt: true } }),
    db.bookmark.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }),
    db.draft.findMany({ where: { userId }, orderBy: { updatedAt: "asc" }, select: { key: true, title: true, raw: true, updatedAt: true } }),
    db.watch.findMany({ where: { userId }, orderBy: { createdAt: "asc" } }),
    db.topicRead.findMany({ where: { userId }, orderBy: { topicId: "asc" } }),
    db.notification.findMany({ where: { userId }, orderBy: { id: "asc" }, select: { kind: true, text: true, topicId: true, postNumber: true, chatMessageId: true, createdAt: true, readAt: true } }),
    db.report.findMany({ where: { reporterId: userId }, orderBy: { id: "asc" }, select: { targetType: true, targetId: true, reason: true, state: true, rule: true, createdAt: true, resolvedAt: true } }),
    db.appeal.findMany({ where: { authorId: userId }, orderBy: { id: "asc" }, select: { postId: true, text: true, state: true, decisionReason: true, createdAt: true, decidedAt: true } }),
    db.chatMute.findMany({ where: { userId }, orderBy: { id: "asc" }, select: { roomId: true, until: true, reason: true, createdAt: true } }),
    db.topic.findMany({ where: { authorId: userId }, orderBy: { id: "asc" }, select: { id: true, slug: true, title: true, createdAt: true, board: { select: { slug: true, name: true } } } }),
    db.auditEntry.findMany({ where: { actorId: userId }, orderBy: { id: "asc" }, select: { action: true, targetType: true, targetId: true, reason: true, createdAt: true } }),
  ]);
  const [subscriptions, consents, seen, notices] = await Promise.all([
    db.announcementSubscription.findMany({
      where: { emailKey: user.email.toLowerCase() },
      orderBy: { id: "asc" },
      select: { email: true, status: true, createdAt: true, confirmedAt: true, unsubscribedAt: true, list: { select: { slug: true, name: true } } },
    }),
    db.policyConsent.findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { version: true, choice: true, createdAt: true } }),
    db.policySeen.findUnique({ where: { userId }, select: { version: true, seenAt: true } }),
    db.policyNotice.findMany({ where: { userId }, orderBy: { version: "asc" }, select: { version: true, queuedAt: true } }),
  ]);
  const rooms = new Map(
    (await db.chatRoom.findMany({ where: { id: { in: [...new Set(mutes.map((mute) => mute.roomId))] } }, select: { id: true, slug: true } })).map((room) => [room.id, room.slug]),
  );
  return {
    exportedAt: new Date().toISOString(),
    site: origin,
    profile: {
      id: user.id,
      username: user.username,
      email: user.email,
      pendingEmail: user.pendingEmail,
      emailVerifiedAt: iso(user.emailVerifiedAt),
      role: user.role,
      createdAt: iso(user.createdAt),
      updatedAt: iso(user.updatedAt),
      publicPostingAcknowledgedAt: iso(user.publicPostingAckAt),
      silencedUntil: iso(user.silencedUntil),
      suspendedUntil: iso(user.suspendedUntil),
      profileUrl: `${origin}/u/${encodeURIComponent(user.username)}`,
    },
    settings: {
      emailNotifications: { replies: user.emailOnReply, mentions: user.emailOnMention, watched: user.emailOnWatched },
    },
    sessions: sessions.map((session) => ({
      browser: session.label,
      signedInAt: iso(session.createdAt),
      lastUsedAt: iso(session.lastUsedAt),
      expiresAt: iso(session.expiresAt < session.absoluteExpiresAt ? session.expiresAt : session.absoluteExpiresAt),
    })),
    emailLinks: emailTokens.map((token) => ({ purpose: token.purpose, sentTo: token.email, createdAt: iso(token.createdAt), expiresAt: iso(token.expiresAt), usedAt: iso(token.usedAt) })),
    bookmarks: bookmarks.map((bookmark) => ({ postId: bookmark.postId, url: `${origin}/p/${bookmark.postId}`, createdAt: iso(bookmark.createdAt) })),
    drafts: drafts.map((draft) => ({ for: draft.key, title: draft.title, text: draft.raw, updatedAt: iso(draft.updatedAt) })),
    watching: watches.map((watch) => ({ type: watch.targetType, id: watch.targetId, since: iso(watch.createdAt) })),
    readPositions: reads.map((read) => ({ topicId: read.topicId, lastReadPost: read.lastReadNumber, updatedAt: iso(read.updatedAt) })),
    notifications: notifications.map((n) => ({ ...n, createdAt: iso(n.createdAt), readAt: iso(n.readAt) })),
    topicsStarted: topics.map((topic) => ({
      id: topic.id,
      title: topic.title,
      board: topic.board.name,
      url: `${origin}/t/${topic.id}/${topic.slug}`,
      createdAt: iso(topic.createdAt),
    })),
    reportsFiled: reports.map((report) => ({ ...report, createdAt: iso(report.createdAt), resolvedAt: iso(report.resolvedAt) })),
    appeals: appeals.map((appeal) => ({ ...appeal, createdAt: iso(appeal.createdAt), decidedAt: iso(appeal.decidedAt) })),
    chatMutes: mutes.map((mute) => ({ room: rooms.get(mute.roomId) ?? null, until: iso(mute.until), reason: mute.reason, createdAt: iso(mute.createdAt) })),
    moderationActions: actions.map((entry) => ({ ...entry, createdAt: iso(entry.createdAt) })),
    announcementSubscriptions: subscriptions.map((subscription) => ({
      list: subscription.list.name,
      url: `${origin}/announcements/${subscription.list.slug}`,
      address: subscription.email,
      status: subscription.status,
      subscribedAt: iso(subscription.createdAt),
      confirmedAt: iso(subscription.confirmedAt),
      unsubscribedAt: iso(subscription.unsubscribedAt),
    })),
    privacyPolicy: {
      // Policy versions up to this one were shown to you (or published before you joined).
      seenUpToVersion: seen?.version ?? null,
      seenAt: iso(seen?.seenAt),
      answers: consents.map((consent) => ({ version: consent.version, choice: consent.choice, answeredAt: iso(consent.createdAt) })),
      dataUseNoticesEmailed: notices.map((notice) => ({ version: notice.version, queuedAt: iso(notice.queuedAt) })),
    },
    files: {
      posts: "posts/: one Markdown file per forum post you wrote, with its topic, board, date and permalink",
      chat: "chat/: one JSON file per chat room, with every message you sent there",
    },
  };
}

export type AccountRecord = Awaited<ReturnType<typeof accountRecord>>;
