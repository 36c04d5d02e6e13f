// A member who has used every part of the portal, through the same domain
// modules the pages use: posts, chat, bookmarks, drafts, watches, reports,
// an appeal, email links and mail, the moderators' records about them,
// announcement subscriptions, privacy-policy answers and privacy questions.
import { createAnnouncementList } from "~/announcements/lists.server";
import { createAnnouncementDraft, fanOutAnnouncements, startAnnouncementSend } from "~/announcements/send.server";
import { confirmSubscription, subscribeAddress } from "~/announcements/subscriptions.server";
import { reportChatMessage } from "~/chat/report.server";
import { muteMember } from "~/chat/mutes.server";
import { sendMessage } from "~/chat/send.server";
import { setPostHidden } from "~/forums/moderate-post.server";
import { reportPost } from "~/forums/report.server";
import { markRead, setBookmark, setWatch } from "~/forums/reading.server";
import { createReply, createTopic } from "~/forums/posting.server";
import { fileAppeal } from "~/moderation/appeals.server";
import { addStaffNote } from "~/moderation/notes.server";
import { warnUser } from "~/moderation/sanctions.server";
import { recordConsent } from "~/privacy/consent.server";
import { sendFeedback } from "~/privacy/feedback.server";
import { queuePolicyNotices } from "~/privacy/notices.server";
import { markPolicySeen } from "~/privacy/seen.server";
import { publishPolicy } from "~/privacy/versions.server";
import { requestEmailChange } from "~/utils/auth/email-address.server";
import { requestPasswordReset } from "~/utils/auth/password-reset.server";
import { createSession } from "~/utils/auth/session.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestRoom } from "./chat-factories";
import { createTestUser } from "./factories";
import { createTestBoard } from "./forum-factories";

let counter = 0;

function must<T extends { ok: boolean }>(result: T, what: string): T & { ok: true } {
  if (!result.ok) throw new Error(`${what} failed: ${JSON.stringify(result)}`);
  return result as T & { ok: true };
}

/**
 * A member with an unmistakable name (so a search for it finds only them)
 * and a record everywhere. Texts they write never contain their own name,
 * so whatever is left after deletion is the portal's doing.
 */
export async function busyMember(options: { role?: "member" | "moderator" | "admin" } = {}) {
  counter += 1;
  const member = await createTestUser({ username: `zephyrine${counter}q${Date.now().toString(36)}`, role: options.role });
  const other = await createTestUser();
  const moderator = await createTestUser({ role: "moderator" });
  const verified = new Date();
  await db.user.updateMany({ where: { id: { in: [member.id, other.id] } }, data: { emailVerifiedAt: verified, emailOnWatched: true } });
  const board = await createTestBoard();
  const room = await createTestRoom();
  resetAllLimits();

  // Forum: a topic only they wrote in, a topic others replied to, a reply in someone else's topic.
  const alone = must(await createTopic(member, board.id, { title: "Quiet thoughts on lighthouses", body: "Lighthouse keepers kept logbooks." }), "topic");
  const busy = must(await createTopic(member, board.id, { title: "Favourite harbour walks", body: "The breakwater at dawn is lovely." }), "topic");
  resetAllLimits();
  const othersTopic = must(await createTopic(other, board.id, { title: "Tide tables explained", body: "Tides follow the moon." }), "topic");
  const otherReply = must(await createReply(other, busy.topicId, { body: "I walk the pier every Sunday.", replyTo: 1 }, { canBypassLock: false }), "reply");
  resetAllLimits();
  // Their reply to the other member queues "<name> replied to your post" mail to that member.
  const reply = must(await createReply(member, othersTopic.topicId, { body: "Spring tides surprised me once.", replyTo: 1 }, { canBypassLock: false }), "reply");
  const postId = async (topicId: number, number: number) => (await db.post.findUniqueOrThrow({ where: { topicId_number: { topicId, number } }, select: { id: true } })).id;
  const replyPostId = await postId(othersTopic.topicId, reply.number);
  const alonePostId = await postId(alone.topicId, 1);
  const busyPostId = await postId(busy.topicId, 1);
  const otherPostId = await postId(othersTopic.topicId, 1);

  // Chat.
  const chat = must(await sendMessage(member, room, { body: "Morning, harbour folk!" }), "chat");
  resetAllLimits();
  must(await sendMessage(other, room, { body: `Morning to you, @${member.username}`, replyToId: chat.id }), "chat");

  // Others quote and mention them: in a post, its edit history, a chat message and a draft.
  resetAllLimits();
  const quoting = must(
    await createReply(other, busy.topicId, { body: `@${member.username} wrote in #1:\n\n> The breakwater at dawn is lovely.\n\nAgreed, @${member.username.toUpperCase()}!`, replyTo: 1 }, { canBypassLock: false }),
    "quote",
  );
  await db.draft.create({ data: { userId: other.id, key: `topic:${busy.topicId}`, raw: `Still thinking about what @${member.username} said` } });

  // Their own records.
  await setBookmark(member.id, otherPostId, true);
  await setWatch(member.id, "topic", othersTopic.topicId, true);
  await setWatch(member.id, "board", board.id, true);
  await markRead(member.id, othersTopic.topicId, 2);
  await db.draft.create({ data: { userId: member.id, key: `board:${board.id}`, title: "Unsent musings", raw: "Half a thought about buoys." } });
  await createSession(member.id, "Firefox on Linux", { idleDays: 30, maxDays: 90 });
  must(await reportPost(member.id, otherPostId, "This looks like an advert to me"), "report");

  // What others hold about them.
  must(await reportPost(other.id, busyPostId, "Off topic"), "report");
  must(await reportChatMessage(other.id, chat.id, "Too chirpy"), "chat report");
  must(await warnUser(moderator, member.id, "Please keep replies on topic"), "warning");
  await addStaffNote(moderator, member.id, "Talked to them about staying on topic.");
  await muteMember(moderator, room.id, member.id, 60, "Cooling off");
  await setPostHidden(moderator, replyPostId, true, "Needs a source");
  must(await fileAppeal(member, replyPostId, "I can add a source, please restore it."), "appeal");

  // Email links and mail to every address the account used.
  const change = await requestEmailChange(member.id, `${member.username}-new@example.net`, member.password);
  if (!change.ok) throw new Error("email change failed");
  await requestPasswordReset(member.email, null, 0);

  const lists = await subscribedEverywhere(member, moderator.id);
  const policy = await answeredPolicy(member, moderator.id);

  return {
    member,
    other,
    moderator,
    board,
    room,
    topics: { alone: alone.topicId, busy: busy.topicId, others: othersTopic.topicId },
    posts: { alone: alonePostId, busy: busyPostId, reply: replyPostId, other: otherPostId, otherReply: await postId(busy.topicId, otherReply.number) },
    chatId: chat.id,
    quotingPostId: await postId(busy.topicId, quoting.number),
    lists,
    policy,
  };
}

const ORIGIN = "http://threadline.test";

/** The address as a visitor might type it on the public form: same mailbox, other letters' case. */
export function shouted(email: string): string {
  return email.replace(/^./, (first) => first.toUpperCase()).replace(/@.*$/, (domain) => domain.toUpperCase());
}

/**
 * Announcement lists: confirmed on one list under a differently cased
 * address (and sent an announcement there), waiting for confirmation on
 * another, and the pending new address waiting on the first.
 */
async function subscribedEverywhere(member: { email: string; username: string }, adminId: number) {
  const made = async (name: string) => {
    const result = must(await createAnnouncementList(adminId, { slug: `${name.toLowerCase().replace(/\W+/g, "-")}-${counter}-${Date.now().toString(36)}`, name, description: "" }), "list");
    return db.announcementList.findUniqueOrThrow({ where: { slug: result.slug }, select: { id: true, slug: true, name: true, description: true } });
  };
  const news = await made("Harbour news");
  const tides = await made("Tide alerts");
  resetAllLimits();
  await subscribeAddress(news, shouted(member.email), ORIGIN);
  const welcome = await db.outgoingMail.findFirstOrThrow({ where: { kind: "announcement-welcome", toAddress: shouted(member.email) }, orderBy: { id: "desc" } });
  const token = /\/announcements\/confirm\?token=([A-Za-z0-9_-]+)/.exec(welcome.text)?.[1];
  if (!(await confirmSubscription(token))) throw new Error("confirming the subscription failed");
  await subscribeAddress(tides, member.email, ORIGIN);
  await subscribeAddress(news, `${member.username}-new@example.net`, ORIGIN);
  const draft = must(await createAnnouncementDraft(adminId, news.id, { subject: "Harbour reopens", markdown: "The harbour reopens on Monday." }), "announcement");
  await startAnnouncementSend(adminId, draft.id, ORIGIN);
  await fanOutAnnouncements();
  return { news, tides, announcementId: draft.id };
}

/**
 * The privacy policy: a version that changes how data is used (whose notice
 * email reaches the member), accepted; a privacy question while logged in,
 * and one from the public form under the other spelling of the address.
 */
async function answeredPolicy(member: { id: number; email: string; username: string }, adminId: number) {
  const published = must(
    await publishPolicy(adminId, { body: `## Digest ${counter} ${Date.now()}\n\nWe would like to email a weekly digest.`, summary: "A weekly digest of watched boards", changesDataUse: "on" }),
    "policy",
  );
  await queuePolicyNotices({ origin: ORIGIN });
  must(await recordConsent(member.id, published.number, "accepted"), "consent");
  await markPolicySeen(member.id, published.number);
  await sendFeedback({ name: "Zeph", email: member.email, message: "Do you keep the addresses of lists I left?" }, { username: member.username });
  await sendFeedback({ email: shouted(member.email), message: "How long do you keep my questions?" }, null);
  return { version: published.number };
}
