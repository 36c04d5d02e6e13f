// Claiming queue items, and bulk decisions: hiding a selection, and clearing
// a 50-post spam flood and suspending its author in one action.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { claimItem, claimsFor } from "~/moderation/claims.server";
import { loadQueue, parseQueueFilters } from "~/moderation/queue.server";
import { action as queueAction } from "~/routes/mod.queue._index";
import { createSession } from "~/utils/auth/session.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { reportPost } from "~/forums/report.server";
import { createTestUser } from "../support/factories";
import { auditOf, call, detailsOf, postsBy, reportedPost, type User } from "./mod-support";

let grace: User;
let ada: User;

beforeAll(async () => {
  grace = await createTestUser({ role: "moderator" });
  ada = await createTestUser({ role: "admin" });
});
beforeEach(() => resetAllLimits());

describe("claims", () => {
  it("shows who claimed an item, refuses a silent second claim, allows an explicit takeover, and expires after 15 minutes", async () => {
    const { postId } = await reportedPost();
    const key = `post:${postId}`;
    expect((await call(queueAction, "/mod/queue", {}, grace, { intent: "claim", itemKey: key })).data).toMatchObject({ ok: true });
    const seen = (await loadQueue(parseQueueFilters(new URLSearchParams("type=post")), ada)).items.find((i) => i.key === key)!;
    expect(seen.claim).toMatchObject({ username: grace.username, mine: false });

    const second = await call(queueAction, "/mod/queue", {}, ada, { intent: "claim", itemKey: key });
    expect(second.status).toBe(409);
    expect((second.data as { formErrors: string[] }).formErrors[0]).toContain(grace.username);
    expect((await call(queueAction, "/mod/queue", {}, ada, { intent: "takeover", itemKey: key })).data).toMatchObject({ ok: true });
    expect((await claimsFor([key], grace.id)).get(key)).toMatchObject({ username: ada.username, mine: false });

    const later = new Date(Date.now() + 16 * 60_000);
    expect((await claimItem(grace, key, {}, later)).ok).toBe(true);
  });

  it("drops the claim once the item is decided", async () => {
    const { postId } = await reportedPost();
    await claimItem(grace, `post:${postId}`);
    await call(queueAction, "/mod/queue", {}, grace, { intent: "hide", itemKey: `post:${postId}`, reason: "spam" });
    expect(await db.moderationClaim.count({ where: { itemKey: `post:${postId}` } })).toBe(0);
  });
});

describe("bulk", () => {
  it("hides the selected posts in one step: an audit entry per post plus one for the bulk action", async () => {
    const a = await reportedPost(["spam"]);
    const b = await reportedPost(["spam"]);
    const result = await call(queueAction, "/mod/queue", {}, grace, { intent: "bulk-hide", items: [`post:${a.postId}`, `post:${b.postId}`], reason: "spam wave", rule: "spam" });
    expect(result.data).toMatchObject({ ok: true, message: "Hid 2 posts." });
    for (const id of [a.postId, b.postId]) {
      expect((await db.post.findUniqueOrThrow({ where: { id } })).hiddenReason).toBe("spam wave");
      expect((await db.report.findFirstOrThrow({ where: { targetType: "post", targetId: id } })).state).toBe("actioned");
    }
    const bulk = await db.auditEntry.findFirstOrThrow({ where: { action: "post.bulk-hide", targetId: String(a.postId) }, orderBy: { id: "desc" } });
    expect(detailsOf(bulk)).toMatchObject({ count: 2, postIds: [a.postId, b.postId], rule: "spam" });
    expect((await auditOf("post", b.postId)).map((e) => e.action)).toEqual(["post.hide"]);

    const none = await call(queueAction, "/mod/queue", {}, grace, { intent: "bulk-hide", reason: "spam wave" });
    expect(none.status).toBe(400);
  });

  it("clears a 50-post flood and suspends its author in one action, leaving older posts alone", async () => {
    const spammer = await createTestUser();
    const old = await postsBy(spammer, 1);
    await db.post.update({ where: { id: old.postIds[0] }, data: { createdAt: new Date(Date.now() - 3 * 86_400_000) } });
    const flood = await postsBy(spammer, 50);
    const reporter = await createTestUser();
    await reportPost(reporter.id, flood.postIds[7]!, "spam flood");
    await createSession(spammer.id, "Spam bot", { idleDays: 30, maxDays: 90 });
    const auditBefore = await db.auditEntry.count();

    const started = Date.now();
    const result = await call(queueAction, "/mod/queue", {}, grace, {
      intent: "flood", userId: String(spammer.id), hours: "24", duration: "30", reason: "spam flood", rule: "spam",
    });
    const elapsed = Date.now() - started;
    expect(result.data).toMatchObject({ ok: true });
    expect((result.data as { message: string }).message).toContain("Hid 50 posts");
    expect(await db.post.count({ where: { id: { in: flood.postIds }, hiddenAt: { not: null } } })).toBe(50);
    expect((await db.post.findUniqueOrThrow({ where: { id: old.postIds[0] } })).hiddenAt).toBeNull();
    const user = await db.user.findUniqueOrThrow({ where: { id: spammer.id } });
    expect(user.suspendedUntil!.getTime()).toBeGreaterThan(Date.now() + 29 * 86_400_000);
    expect(await db.session.count({ where: { userId: spammer.id } })).toBe(0);
    expect((await db.report.findFirstOrThrow({ where: { targetId: flood.postIds[7]! } })).state).toBe("actioned");
    // 50 post.hide + user.suspend + one post.bulk-hide.
    expect(await db.auditEntry.count()).toBe(auditBefore + 52);
    const bulk = await db.auditEntry.findFirstOrThrow({ where: { action: "post.bulk-hide", targetType: "user", targetId: String(spammer.id) } });
    expect(detailsOf(bulk)).toMatchObject({ count: 50, hours: 24, suspendedDays: 30 });
    expect(elapsed).toBeLessThan(10_000);
  });

  it("refuses to flood-clear a moderator", async () => {
    const other = await createTestUser();
    const flood = await postsBy(other, 3);
    await db.user.update({ where: { id: other.id }, data: { role: "moderator" } });
    const result = await call(queueAction, "/mod/queue", {}, grace, { intent: "flood", userId: String(other.id), hours: "24", duration: "1", reason: "spam" });
    expect(result.status).toBe(403);
    expect(await db.post.count({ where: { id: { in: flood.postIds }, hiddenAt: { not: null } } })).toBe(0);
  });

  it("writes nothing when the bulk action fails half-way", async () => {
    const spammer = await createTestUser();
    const flood = await postsBy(spammer, 5);
    const auditBefore = await db.auditEntry.count();
    // The fourth post refuses to be hidden, after three already were inside the transaction.
    await db.$executeRawUnsafe(`CREATE TRIGGER refuse_hide BEFORE UPDATE OF hiddenAt ON Post WHEN NEW.id = ${flood.postIds[3]} BEGIN SELECT RAISE(ABORT, 'refused'); END`);
    try {
      await expect(call(queueAction, "/mod/queue", {}, grace, { intent: "flood", userId: String(spammer.id), hours: "24", duration: "1", reason: "spam" })).rejects.toThrow();
    } finally {
      await db.$executeRawUnsafe("DROP TRIGGER refuse_hide");
    }
    expect(await db.post.count({ where: { id: { in: flood.postIds }, hiddenAt: { not: null } } })).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: spammer.id } })).suspendedUntil).toBeNull();
    expect(await db.auditEntry.count()).toBe(auditBefore);
  });
});
