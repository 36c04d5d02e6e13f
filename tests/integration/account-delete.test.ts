// Deleting an account, on this file's own database and a real embedded
// search index: nothing personal is left in any table (found generically,
// so tables added later are covered), search forgets the name, both choices
// for posts behave as promised, the member cannot log in, and the last admin
// cannot leave the portal without one.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { DELETED_MEMBER_NAME } from "~/account/deleted-member";
import { subscribeAddress } from "~/announcements/subscriptions.server";
import { deleteAccount, LAST_ADMIN_MESSAGE, REMOVED_TOPIC_TITLE } from "~/account/delete-account.server";
import { REMOVED_TEXT } from "~/account/scrub-records.server";
import { action as dataAction } from "~/routes/settings.data";
import { ANONYMOUS } from "~/archive/read.server";
import { listAuditEntries, parseAuditFilters } from "~/moderation/audit-log.server";
import { queuePolicyNotices } from "~/privacy/notices.server";
import { publishPolicy } from "~/privacy/versions.server";
import { authenticate } from "~/utils/auth/accounts.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createEmbeddedEngine } from "../../search/embedded/engine.ts";
import { drainSearchOutbox } from "../../search/indexer.server.ts";
import { searchPortal } from "../../search/portal.server.ts";
import type { SearchEngine } from "../../search/types.ts";
import { call } from "./mod-support";
import { createTestUser } from "../support/factories";
import { busyMember, shouted } from "../support/member-data-factories";
import { findStrings, tableNames } from "../support/personal-data-scan";

const indexDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-delete-it-"));
const indexFile = path.join(indexDir, "search.sqlite");
let engine: SearchEngine;
const databaseFile = () => process.env.DATABASE_URL!.replace(/^file:/, "");

async function drain() {
  const result = await drainSearchOutbox(engine);
  expect(result.error).toBeNull();
}

async function searchTotal(q: string) {
  const outcome = await searchPortal({ q, sort: "relevance", page: 1 }, ANONYMOUS, async () => engine);
  if (outcome.status !== "ok") throw new Error(`search ${q}: ${outcome.status}`);
  return outcome;
}

beforeAll(async () => {
  engine = createEmbeddedEngine({ file: indexFile });
  await engine.init();
});
beforeEach(async () => {
  resetAllLimits();
  await db.workerLease.deleteMany();
});
afterAll(async () => {
  await engine.close?.();
  fs.rmSync(indexDir, { recursive: true, force: true });
});

function identifiers(member: { username: string; email: string }) {
  return [member.username, member.email, `${member.username}-new@example.net`];
}

describe("deleting an account", () => {
  it("leaves nothing personal in any table of the database, whichever choice", async () => {
    for (const keepPosts of [true, false]) {
      const made = await busyMember();
      // The scan would see them before: the test is not vacuous.
      const before = findStrings(databaseFile(), identifiers(made.member));
      expect(before.map((f) => f.table)).toEqual(expect.arrayContaining(["User", "OutgoingMail", "Report", "AuditEntry", "EmailToken", "AnnouncementSubscription"]));
      // Rows keyed by the member's id hold no name or address: they are checked by id below.
      expect(await db.policyConsent.count({ where: { userId: made.member.id } })).toBe(1);
      expect(await db.policySeen.count({ where: { userId: made.member.id } })).toBe(1);
      expect(await db.policyNotice.count({ where: { userId: made.member.id } })).toBe(1);

      const result = await deleteAccount(made.member.id, { keepPosts });
      expect(result).toMatchObject({ ok: true, postsKept: keepPosts, posts: 3, chatMessages: 1 });

      expect(findStrings(databaseFile(), identifiers(made.member))).toEqual([]);
      expect(tableNames(databaseFile()).length).toBeGreaterThan(30);
      for (const count of await Promise.all([
        db.policyConsent.count({ where: { userId: made.member.id } }),
        db.policySeen.count({ where: { userId: made.member.id } }),
        db.policyNotice.count({ where: { userId: made.member.id } }),
      ])) {
        expect(count).toBe(0);
      }
    }
  });

  it("erases the member's own records and keeps others' records usable without their name", async () => {
    const made = await busyMember();
    const { member } = made;
    await deleteAccount(member.id, { keepPosts: true });

    for (const count of await Promise.all([
      db.session.count({ where: { userId: member.id } }),
      db.emailToken.count({ where: { userId: member.id } }),
      db.draft.count({ where: { userId: member.id } }),
      db.bookmark.count({ where: { userId: member.id } }),
      db.watch.count({ where: { userId: member.id } }),
      db.topicRead.count({ where: { userId: member.id } }),
      db.notification.count({ where: { userId: member.id } }),
      db.chatMute.count({ where: { userId: member.id } }),
      db.staffNote.count({ where: { userId: member.id } }),
      db.appeal.count({ where: { authorId: member.id, state: "open" } }),
      db.outgoingMail.count({ where: { toAddress: { contains: member.username } } }),
    ])) {
      expect(count).toBe(0);
    }
    const row = await db.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(row).toMatchObject({ username: DELETED_MEMBER_NAME, role: "member", pendingEmail: null, unsubscribeKey: null, emailVerifiedAt: null });
    expect(row.deletedAt).not.toBeNull();

    // The report the member filed still counts, without their words; reports about them lost the name only.
    const filed = await db.report.findFirstOrThrow({ where: { reporterId: member.id } });
    expect(filed.reason).toBe(REMOVED_TEXT);
    const aboutPost = await db.report.findFirstOrThrow({ where: { targetType: "post", targetId: made.posts.busy } });
    expect(JSON.parse(aboutPost.snapshot)).toMatchObject({ author: DELETED_MEMBER_NAME, raw: "The breakwater at dawn is lovely." });
    // The other member's reply email now says who replied without naming anyone.
    const mail = await db.outgoingMail.findFirstOrThrow({ where: { toAddress: made.other.email, kind: "forum-reply" } });
    expect(mail.subject).toMatch(/^A deleted member replied to your post/);
    expect(mail.text).toContain("A deleted member replied to your post");
    // Audit details lost the name, not the entry.
    const warn = await db.auditEntry.findFirstOrThrow({ where: { action: "user.warn", targetId: String(member.id) } });
    expect(JSON.parse(warn.details)).toMatchObject({ username: null });
    expect(warn.reason).toBe("Please keep replies on topic");

    // Others' mentions and quotes no longer name them, nor link to whoever takes the name next.
    const quoting = await db.post.findUniqueOrThrow({ where: { id: made.quotingPostId }, include: { revisions: true } });
    expect(quoting.raw).toBe("@deleted member wrote in #1:\n\n> The breakwater at dawn is lovely.\n\nAgreed, @deleted member!");
    expect(quoting.cooked).toContain("@deleted member wrote in #1:");
    expect(quoting.cooked).not.toContain("/u/");
    expect(quoting.revisions.map((r) => r.raw)).toEqual([quoting.raw]);
    const greeting = await db.chatMessage.findFirstOrThrow({ where: { authorId: made.other.id, roomId: made.room.id } });
    expect(greeting.body).toBe("Morning to you, @deleted member");
    expect((await db.draft.findFirstOrThrow({ where: { userId: made.other.id } })).raw).toBe("Still thinking about what @deleted member said");

    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "user.delete", targetId: String(member.id) } });
    expect(audit.reason).toBe("account deleted (posts kept)");
    expect(JSON.parse(audit.details)).toEqual({ posts: 3, topics: 2, chatMessages: 1 });
  });

  it("erases every announcement subscription of theirs, whatever its case or status, with its deliveries", async () => {
    const made = await busyMember();
    const { member, lists } = made;
    const rows = await db.announcementSubscription.findMany({ where: { listId: { in: [lists.news.id, lists.tides.id] } }, select: { id: true, email: true, status: true } });
    expect(rows.map((row) => [row.email, row.status]).sort()).toEqual(
      [[shouted(member.email), "active"], [member.email, "pending"], [`${member.username}-new@example.net`, "pending"]].sort(),
    );
    const delivery = await db.announcementDelivery.findFirstOrThrow({ where: { announcementId: lists.announcementId }, select: { mailId: true } });
    expect(delivery.mailId).not.toBeNull();
    // Someone else on the same list keeps their subscription.
    resetAllLimits();
    await subscribeAddress(lists.news, made.other.email, "http://threadline.test");

    await deleteAccount(member.id, { keepPosts: true });
    expect(await db.announcementSubscription.count({ where: { id: { in: rows.map((row) => row.id) } } })).toBe(0);
    expect(await db.announcementDelivery.count({ where: { announcementId: lists.announcementId } })).toBe(0);
    expect(await db.outgoingMail.count({ where: { id: delivery.mailId! } })).toBe(0);
    expect(await db.outgoingMail.count({ where: { kind: "privacy-feedback" } })).toBe(0);
    expect(await db.announcementSubscription.count({ where: { listId: lists.news.id, emailKey: made.other.email.toLowerCase() } })).toBe(1);
    // The announcement itself stays, written by whoever wrote it.
    expect(await db.announcement.count({ where: { id: lists.announcementId } })).toBe(1);
  });

  it("keeps someone else's confirmed subscription of an address the member never confirmed", async () => {
    const made = await busyMember();
    const { member, lists } = made;
    // The member asked to change to the other member's address but never confirmed it.
    await db.user.update({ where: { id: member.id }, data: { pendingEmail: made.other.email } });
    resetAllLimits();
    await subscribeAddress(lists.tides, made.other.email, "http://threadline.test");
    await db.announcementSubscription.updateMany({ where: { listId: lists.tides.id, emailKey: made.other.email.toLowerCase() }, data: { status: "active", confirmedAt: new Date() } });

    await deleteAccount(member.id, { keepPosts: true });
    expect(await db.announcementSubscription.count({ where: { listId: lists.tides.id, emailKey: made.other.email.toLowerCase(), status: "active" } })).toBe(1);
  });

  it("mails a deleted member no data-use notice for later policy versions", async () => {
    const made = await busyMember();
    await deleteAccount(made.member.id, { keepPosts: true });
    const next = await publishPolicy(made.moderator.id, { body: `## Later ${Date.now()}\n\nA later change.`, summary: "A later change of data use", changesDataUse: "on" });
    expect(next.ok).toBe(true);
    await queuePolicyNotices({ origin: "http://threadline.test" });
    expect(await db.policyNotice.count({ where: { userId: made.member.id } })).toBe(0);
    expect(await db.outgoingMail.count({ where: { kind: "policy-data-use", toAddress: { startsWith: "deleted:" } } })).toBe(0);
    // Those still here were told.
    expect(await db.policyNotice.count({ where: { userId: made.other.id, version: next.ok ? next.number : 0 } })).toBe(1);
  });

  it("keeps posts and messages, attributed to a deleted member", async () => {
    const made = await busyMember();
    await deleteAccount(made.member.id, { keepPosts: true });
    const post = await db.post.findUniqueOrThrow({ where: { id: made.posts.busy }, include: { author: true, topic: true } });
    expect(post.raw).toBe("The breakwater at dawn is lovely.");
    expect(post.deletedAt).toBeNull();
    expect(post.author.username).toBe(DELETED_MEMBER_NAME);
    expect(post.topic.title).toBe("Favourite harbour walks");
    expect(await db.postRevision.count({ where: { postId: made.posts.busy } })).toBe(1);
    const chat = await db.chatMessage.findUniqueOrThrow({ where: { id: made.chatId } });
    expect(chat.body).toBe("Morning, harbour folk!");
    expect(chat.deletedAt).toBeNull();
  });

  it("removes posts and messages when asked: text erased, lonely topics hidden, others' replies kept", async () => {
    const made = await busyMember();
    await deleteAccount(made.member.id, { keepPosts: false });
    const posts = await db.post.findMany({ where: { authorId: made.member.id } });
    expect(posts).toHaveLength(3);
    for (const post of posts) expect(post).toMatchObject({ raw: "", cooked: "" });
    for (const post of posts) expect(post.deletedAt).not.toBeNull();
    expect(await db.postRevision.count({ where: { postId: { in: posts.map((p) => p.id) } } })).toBe(0);

    const alone = await db.topic.findUniqueOrThrow({ where: { id: made.topics.alone } });
    expect(alone.title).toBe(REMOVED_TOPIC_TITLE);
    expect(alone.hiddenAt).not.toBeNull();
    const busy = await db.topic.findUniqueOrThrow({ where: { id: made.topics.busy } });
    expect(busy.title).toBe(REMOVED_TOPIC_TITLE);
    expect(busy.hiddenAt).toBeNull();
    expect((await db.post.findUniqueOrThrow({ where: { id: made.posts.otherReply } })).raw).toBe("I walk the pier every Sunday.");

    const chat = await db.chatMessage.findUniqueOrThrow({ where: { id: made.chatId } });
    expect(chat).toMatchObject({ body: "", html: "", deletedById: made.member.id });
    const snapshot = await db.report.findFirstOrThrow({ where: { targetType: "chat", targetId: made.chatId } });
    expect(JSON.parse(snapshot.snapshot)).toMatchObject({ author: DELETED_MEMBER_NAME, raw: REMOVED_TEXT });
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "user.delete", targetId: String(made.member.id) } });
    expect(audit.reason).toBe("account deleted (posts removed)");
  });

  it("takes the member's name out of search, and removed posts out of results", async () => {
    await drain();
    const kept = await busyMember();
    const removed = await busyMember();
    await drain();
    expect((await searchTotal(`from:${kept.member.username}`)).total).toBeGreaterThan(0);
    expect((await searchTotal(`from:${removed.member.username}`)).total).toBeGreaterThan(0);

    await deleteAccount(kept.member.id, { keepPosts: true });
    await deleteAccount(removed.member.id, { keepPosts: false });
    await drain();

    for (const made of [kept, removed]) {
      expect((await searchTotal(`from:${made.member.username}`)).total).toBe(0);
      expect((await searchTotal(made.member.username)).total).toBe(0);
    }
    // Kept posts are still found by their words, under the new name.
    const breakwater = await searchTotal("breakwater");
    const keptPost = breakwater.items.find((r) => r.url === `/t/${kept.topics.busy}/favourite-harbour-walks/1`);
    expect(keptPost?.author).toBe(DELETED_MEMBER_NAME);
    expect(breakwater.items.some((r) => r.url.startsWith(`/t/${removed.topics.busy}/`) && r.url.endsWith("/1"))).toBe(false);
    const urls = (await searchTotal("lighthouse keepers")).items.map((r) => r.url);
    expect(urls.some((url) => url.startsWith(`/t/${kept.topics.alone}/`))).toBe(true);
    expect(urls.some((url) => url.startsWith(`/t/${removed.topics.alone}/`))).toBe(false);
    // The index's documents and keys hold no trace (its FTS segments and typo
    // vocabulary are word lists without documents; see README).
    const findings = findStrings(indexFile, [kept.member.username, removed.member.username], {
      skipTables: (name) => /fts|words/.test(name),
    });
    expect(findings).toEqual([]);
    expect(tableNames(indexFile).some((name) => name.startsWith("docs"))).toBe(true);
  });

  it("means the member can no longer log in, by name or by address", async () => {
    const member = await createTestUser();
    expect((await authenticate(member.username, member.password, "c1")).ok).toBe(true);
    await deleteAccount(member.id, { keepPosts: true });
    expect(await authenticate(member.username, member.password, "c2")).toEqual({ ok: false, reason: "invalid" });
    expect(await authenticate(member.email, member.password, "c3")).toEqual({ ok: false, reason: "invalid" });
    // The name is free again: a new account may take it, and inherits nothing.
    const again = await createTestUser({ username: member.username });
    expect(await db.post.count({ where: { authorId: again.id } })).toBe(0);
  });

  it("keeps a moderator's actions in the audit log, done by a deleted member", async () => {
    const made = await busyMember();
    expect((await deleteAccount(made.moderator.id, { keepPosts: true })).ok).toBe(true);
    const { rows } = await listAuditEntries(parseAuditFilters(new URLSearchParams({ targetType: "user", targetId: String(made.member.id) })), null);
    expect(rows.map((row) => row.action)).toEqual(expect.arrayContaining(["user.warn", "user.note", "chat.mute"]));
    for (const row of rows) expect(row.actor).toBe(DELETED_MEMBER_NAME);
    expect(findStrings(databaseFile(), [made.moderator.username, made.moderator.email])).toEqual([]);
  });

  it("refuses the last admin, and lets an admin go when another remains", async () => {
    const admins = await db.user.findMany({ where: { role: "admin" }, select: { id: true } });
    await db.user.updateMany({ where: { id: { in: admins.map((a) => a.id) } }, data: { role: "member" } });
    try {
      const only = await createTestUser({ role: "admin" });
      expect(await deleteAccount(only.id, { keepPosts: true })).toEqual({ ok: false, status: 409, message: LAST_ADMIN_MESSAGE });
      expect((await db.user.findUniqueOrThrow({ where: { id: only.id } })).deletedAt).toBeNull();
      const second = await createTestUser({ role: "admin" });
      expect((await deleteAccount(only.id, { keepPosts: true })).ok).toBe(true);
      expect(await deleteAccount(second.id, { keepPosts: true })).toMatchObject({ ok: false, status: 409 });
    } finally {
      await db.user.updateMany({ where: { id: { in: admins.map((a) => a.id) } }, data: { role: "admin" } });
    }
  });

  it("through the page: needs the password and a choice, then logs out and deletes", async () => {
    const member = await createTestUser();
    const user = { id: member.id, username: member.username, role: member.role };
    const noChoice = await call(dataAction, "/settings/data", {}, user, { deletePassword: member.password });
    expect(noChoice.status).toBe(400);
    expect(noChoice.data).toMatchObject({ fieldErrors: { posts: ["Choose what happens to your posts and messages."] } });
    const wrong = await call(dataAction, "/settings/data", {}, user, { posts: "keep", deletePassword: "not the password at all" });
    expect(wrong.status).toBe(400);
    expect(wrong.data).toMatchObject({ fieldErrors: { deletePassword: ["That is not your password."] } });
    expect(JSON.stringify(wrong.data)).not.toContain("not the password at all");
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).deletedAt).toBeNull();

    const done = await call(dataAction, "/settings/data", {}, user, { posts: "remove", deletePassword: member.password });
    expect(done.status).toBe(302);
    expect(done.response!.headers.get("Location")).toBe("/account-deleted");
    expect(done.response!.headers.get("Set-Cookie")).toMatch(/Max-Age=0|Expires=Thu, 01 Jan 1970/);
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).deletedAt).not.toBeNull();
  });

  it("limits password attempts", async () => {
    const member = await createTestUser();
    const user = { id: member.id, username: member.username, role: member.role };
    for (let i = 0; i < 5; i++) await call(dataAction, "/settings/data", {}, user, { posts: "keep", deletePassword: `wrong guess ${i}` });
    const limited = await call(dataAction, "/settings/data", {}, user, { posts: "keep", deletePassword: member.password });
    expect(limited.status).toBe(429);
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).deletedAt).toBeNull();
  });
});
