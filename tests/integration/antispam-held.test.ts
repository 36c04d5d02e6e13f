// New members' posts held for approval: the thresholds (env defaults, then
// /mod/settings), who sees a held post, and the queue's approve and reject.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { approvedPostCount } from "~/antispam/hold.server";
import { createReply, createTopic } from "~/forums/posting.server";
import { listBoardTopics, listTopicPosts } from "~/forums/read.server";
import { setWatch } from "~/forums/reading.server";
import { loadQueue, openQueueCount, parseQueueFilters } from "~/moderation/queue.server";
import { reportPost } from "~/forums/report.server";
import { loader as revisionsLoader } from "~/routes/p.$id.revisions";
import { action as settingsAction, loader as settingsLoader } from "~/routes/mod.settings";
import { action as queueAction } from "~/routes/mod.queue._index";
import { loader as topicLoader } from "~/routes/t.$id.$slug._index";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";
import { auditOf, call, detailsOf, type User } from "./mod-support";

let moderator: User;
beforeAll(async () => {
  moderator = await createTestUser({ role: "moderator" });
});
beforeEach(async () => {
  resetAllLimits();
  // Start every test from the env defaults: links held below 1 approved post, other posts never.
  await db.antispamSettings.deleteMany();
});

const filters = (query = "") => parseQueueFilters(new URLSearchParams(query));
const LINK_BODY = "Have a look at https://example.org/cheap-watches for more";

async function queueKeys() {
  return (await loadQueue(filters("type=held"), moderator)).items.map((i) => i.key);
}

describe("holding new members' posts", () => {
  it("holds a first topic with a link: invisible to others, shown to its author as awaiting approval, queued as held", async () => {
    const board = await createTestBoard();
    const member = await createTestUser();
    const stranger = await createTestUser();
    const before = await openQueueCount();
    const result = await createTopic(member, board.id, { title: "Watches for sale", body: LINK_BODY });
    expect(result).toMatchObject({ ok: true, held: true });
    if (!result.ok) return;
    const post = await db.post.findFirstOrThrow({ where: { topicId: result.topicId } });
    expect(post.heldReason).toBe("New member: post with a link");

    // Not on the board, not counted, not reachable by others.
    expect((await listBoardTopics(board.id, 1)).map((t) => t.id)).not.toContain(result.topicId);
    expect((await db.board.findUniqueOrThrow({ where: { id: board.id } })).topicCount).toBe(0);
    const url = `/t/${result.topicId}/${result.slug}`;
    expect((await call(topicLoader, url, { id: String(result.topicId), slug: result.slug }, null)).status).toBe(404);
    expect((await call(topicLoader, url, { id: String(result.topicId), slug: result.slug }, stranger)).status).toBe(404);

    // Its author sees it, marked.
    const own = await call(topicLoader, url, { id: String(result.topicId), slug: result.slug }, member);
    const page = own.data as { topic: { awaitingApproval: boolean }; posts: { awaitingApproval: boolean; cooked: string | null }[] };
    expect(page.topic.awaitingApproval).toBe(true);
    expect(page.posts[0]).toMatchObject({ awaitingApproval: true });
    expect(page.posts[0]!.cooked).toContain("example.org");

    expect(await queueKeys()).toContain(`held:${post.id}`);
    expect(await openQueueCount()).toBe(before + 1);
    // Its history and its report form are not public either.
    expect((await call(revisionsLoader, `/p/${post.id}/revisions`, { id: String(post.id) }, stranger)).status).toBe(404);
    expect(await reportPost(stranger.id, post.id, "looks like spam")).toMatchObject({ ok: false, status: 404 });
    // Nobody replies to it before it is approved, not even its author.
    expect(await createReply(member, result.topicId, { body: "bump" }, { canBypassLock: false })).toMatchObject({ ok: false, status: 403 });
  });

  it("does not hold a new member's post without a link, nor moderators' link posts", async () => {
    const board = await createTestBoard();
    const member = await createTestUser();
    expect(await createTopic(member, board.id, { title: "Hello everyone", body: "Just saying hello, no links." })).toMatchObject({ ok: true, held: false });
    expect(await createTopic(moderator, board.id, { title: "Useful links", body: LINK_BODY })).toMatchObject({ ok: true, held: false });
  });

  it("approves a held reply from the queue: published, counted, bumped, watchers notified, audited; it then counts toward the threshold", async () => {
    const board = await createTestBoard();
    const starter = await createTestUser();
    const watcher = await createTestUser();
    const topic = await createTopic(starter, board.id, { title: "A question about builds", body: "How do I build it?" });
    if (!topic.ok) throw new Error(topic.message);
    await setWatch(watcher.id, "topic", topic.topicId, true);
    const member = await createTestUser();
    const reply = await createReply(member, topic.topicId, { body: `See ${LINK_BODY}` }, { canBypassLock: false });
    expect(reply).toMatchObject({ ok: true, held: true, number: 2 });
    const held = await db.post.findFirstOrThrow({ where: { topicId: topic.topicId, number: 2 } });
    const topicBefore = await db.topic.findUniqueOrThrow({ where: { id: topic.topicId } });
    expect(topicBefore.postCount).toBe(1);
    expect(await db.notification.count({ where: { userId: watcher.id, topicId: topic.topicId } })).toBe(0);
    expect((await listTopicPosts(topic.topicId, 1, { id: watcher.id, seesHeld: false })).map((p) => p.number)).toEqual([1]);
    expect((await listTopicPosts(topic.topicId, 1, { id: member.id, seesHeld: false })).map((p) => p.number)).toEqual([1, 2]);
    expect(await approvedPostCount(member.id)).toBe(0);

    const approved = await call(queueAction, "/mod/queue", {}, moderator, { intent: "approve", itemKey: `held:${held.id}`, reason: "" });
    expect(approved.status).toBe(200);
    expect(approved.data).toMatchObject({ ok: true });

    const after = await db.post.findUniqueOrThrow({ where: { id: held.id } });
    expect(after.heldAt).toBeNull();
    const topicAfter = await db.topic.findUniqueOrThrow({ where: { id: topic.topicId } });
    expect(topicAfter.postCount).toBe(2);
    expect(topicAfter.lastPosterId).toBe(member.id);
    expect(await db.notification.count({ where: { userId: watcher.id, topicId: topic.topicId, postNumber: 2 } })).toBe(1);
    expect(await db.searchOutbox.count({ where: { kind: "post", targetId: held.id } })).toBeGreaterThan(0);
    expect((await listTopicPosts(topic.topicId, 1, null)).map((p) => p.number)).toEqual([1, 2]);
    expect(await queueKeys()).not.toContain(`held:${held.id}`);
    const [entry] = (await auditOf("post", held.id)).filter((e) => e.action === "post.approve");
    expect(entry?.actorId).toBe(moderator.id);
    expect(detailsOf(entry!)).toMatchObject({ topicId: topic.topicId, number: 2, heldReason: "New member: post with a link" });

    // One approved post: the next link post goes straight up.
    expect(await approvedPostCount(member.id)).toBe(1);
    resetAllLimits();
    expect(await createReply(member, topic.topicId, { body: LINK_BODY }, { canBypassLock: false })).toMatchObject({ ok: true, held: false });
    // Approving twice is refused.
    const again = await call(queueAction, "/mod/queue", {}, moderator, { intent: "approve", itemKey: `held:${held.id}`, reason: "" });
    expect(again.status).toBe(409);
  });

  it("approves a held topic: it appears on its board and is counted", async () => {
    const board = await createTestBoard();
    const member = await createTestUser();
    const topic = await createTopic(member, board.id, { title: "My project site", body: LINK_BODY });
    if (!topic.ok) throw new Error(topic.message);
    const post = await db.post.findFirstOrThrow({ where: { topicId: topic.topicId } });
    const result = await call(queueAction, "/mod/queue", {}, moderator, { intent: "approve", itemKey: `held:${post.id}`, reason: "looks fine" });
    expect(result.data).toMatchObject({ ok: true });
    expect((await listBoardTopics(board.id, 1)).map((t) => t.id)).toContain(topic.topicId);
    const after = await db.board.findUniqueOrThrow({ where: { id: board.id } });
    expect([after.topicCount, after.postCount]).toEqual([1, 1]);
    expect((await db.topic.findUniqueOrThrow({ where: { id: topic.topicId } })).heldAt).toBeNull();
  });

  it("rejects a held post: it stays out of view, the author is told why, and the decision is audited", async () => {
    const board = await createTestBoard();
    const member = await createTestUser();
    const topic = await createTopic(member, board.id, { title: "Buy cheap watches", body: LINK_BODY });
    if (!topic.ok) throw new Error(topic.message);
    const post = await db.post.findFirstOrThrow({ where: { topicId: topic.topicId } });
    const missing = await call(queueAction, "/mod/queue", {}, moderator, { intent: "reject", itemKey: `held:${post.id}`, reason: "" });
    expect(missing.status).toBe(400);
    expect((missing.data as { fieldErrors: Record<string, string[]> }).fieldErrors.reason).toBeTruthy();

    const rejected = await call(queueAction, "/mod/queue", {}, moderator, { intent: "reject", itemKey: `held:${post.id}`, reason: "Advertising is not allowed", rule: "spam" });
    expect(rejected.data).toMatchObject({ ok: true });
    const after = await db.post.findUniqueOrThrow({ where: { id: post.id } });
    expect(after.heldAt).not.toBeNull();
    expect(after.hiddenReason).toBe("Advertising is not allowed");
    expect((await listBoardTopics(board.id, 1)).map((t) => t.id)).not.toContain(topic.topicId);
    const notice = await db.notification.findFirstOrThrow({ where: { userId: member.id, kind: "post-rejected" } });
    expect(notice.text).toBe("Advertising is not allowed");
    expect(await queueKeys()).not.toContain(`held:${post.id}`);
    expect((await loadQueue(filters("type=held&state=resolved"), moderator)).items.map((i) => i.key)).toContain(`held:${post.id}`);
    const entry = (await auditOf("post", post.id)).find((e) => e.action === "post.reject");
    expect(entry?.reason).toBe("Advertising is not allowed");
    expect(detailsOf(entry!)).toMatchObject({ rule: "spam" });
    expect(await approvedPostCount(member.id)).toBe(0);
  });

  it("is not approvable by members", async () => {
    const board = await createTestBoard();
    const member = await createTestUser();
    const topic = await createTopic(member, board.id, { title: "Self approval", body: LINK_BODY });
    if (!topic.ok) throw new Error(topic.message);
    const post = await db.post.findFirstOrThrow({ where: { topicId: topic.topicId } });
    const result = await call(queueAction, "/mod/queue", {}, member, { intent: "approve", itemKey: `held:${post.id}`, reason: "" });
    expect(result.status).toBe(403);
    expect((await db.post.findUniqueOrThrow({ where: { id: post.id } })).heldAt).not.toBeNull();
  });
});

describe("/mod/settings", () => {
  it("shows the env defaults, saves new thresholds with an audit entry, and then holds every first post", async () => {
    const loaded = await call(settingsLoader, "/mod/settings", {}, moderator);
    expect(loaded.data).toMatchObject({ holdLinksBelow: 1, holdAllBelow: 0, savedAt: null });

    const bad = await call(settingsAction, "/mod/settings", {}, moderator, { holdLinksBelow: "-1", holdAllBelow: "two" });
    expect(bad.status).toBe(400);
    const errors = (bad.data as { fieldErrors: Record<string, string[]> }).fieldErrors;
    expect(Object.keys(errors).sort()).toEqual(["holdAllBelow", "holdLinksBelow"]);

    const saved = await call(settingsAction, "/mod/settings", {}, moderator, { holdLinksBelow: "3", holdAllBelow: "1" });
    expect(saved.data).toMatchObject({ ok: true });
    const entry = (await auditOf("settings", "antispam")).at(-1)!;
    expect(entry.action).toBe("settings.antispam");
    expect(detailsOf(entry)).toEqual({ before: { holdLinksBelow: 1, holdAllBelow: 0 }, after: { holdLinksBelow: 3, holdAllBelow: 1 } });

    const board = await createTestBoard();
    const member = await createTestUser();
    const plain = await createTopic(member, board.id, { title: "Plain hello", body: "Nothing to see" });
    expect(plain).toMatchObject({ ok: true, held: true });
    const post = await db.post.findFirstOrThrow({ where: { topicId: plain.ok ? plain.topicId : 0 } });
    expect(post.heldReason).toBe("New member: posts wait for approval");
  });

  it("is for moderators only", async () => {
    const member = await createTestUser();
    expect((await call(settingsLoader, "/mod/settings", {}, member)).status).toBe(403);
    expect((await call(settingsAction, "/mod/settings", {}, member, { holdLinksBelow: "0", holdAllBelow: "0" })).status).toBe(403);
    expect(await db.antispamSettings.count()).toBe(0);
  });
});
