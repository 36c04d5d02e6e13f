import { beforeEach, describe, expect, it } from "vitest";
import { mergeTopics, splitTopic } from "~/forums/merge-split.server";
import { redactRevision, setPostHidden } from "~/forums/moderate-post.server";
import { moveTopic, setTopicLocked, setTopicPinned } from "~/forums/moderate-topic.server";
import { createReply, createTopic } from "~/forums/posting.server";
import { reportPost } from "~/forums/report.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";

beforeEach(() => resetAllLimits());

async function topicWithReplies(replies: number) {
  const board = await createTestBoard();
  const author = await createTestUser();
  const topic = await createTopic(author, board.id, { title: `Topic with ${replies} replies`, body: "first" });
  if (!topic.ok) throw new Error("topic not created");
  for (let i = 2; i <= replies + 1; i++) {
    resetAllLimits();
    await createReply(author, topic.topicId, { body: `reply ${i}`, replyTo: i - 1 }, { canBypassLock: false });
  }
  return { board, author, topicId: topic.topicId };
}

async function auditActions(targetId: number) {
  return (await db.auditEntry.findMany({ where: { targetId: String(targetId) }, orderBy: { id: "asc" } })).map((e) => e.action);
}

describe("moderating topics", () => {
  it("pins, locks with a reason and records both", async () => {
    const moderator = await createTestUser({ role: "moderator" });
    const { topicId } = await topicWithReplies(0);
    await setTopicPinned(moderator, topicId, true);
    await setTopicLocked(moderator, topicId, true, "off topic");
    expect(await db.topic.findUniqueOrThrow({ where: { id: topicId } })).toMatchObject({ pinned: true, locked: true, lockedReason: "off topic" });
    expect(await auditActions(topicId)).toEqual(["topic.pin", "topic.lock"]);
  });

  it("moves a topic and its counts to another board", async () => {
    const moderator = await createTestUser({ role: "moderator" });
    const { board, topicId } = await topicWithReplies(2);
    const target = await createTestBoard();
    expect(await moveTopic(moderator, topicId, target.id, "better fit")).toBe(true);
    expect(await db.board.findUniqueOrThrow({ where: { id: board.id } })).toMatchObject({ topicCount: 0, postCount: 0 });
    expect(await db.board.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ topicCount: 1, postCount: 3 });
  });

  it("merges one topic after another's posts and redirects the old permalinks", async () => {
    const moderator = await createTestUser({ role: "moderator" });
    const a = await topicWithReplies(1);
    const b = await topicWithReplies(2);
    expect((await mergeTopics(moderator, a.topicId, b.topicId, "duplicate")).ok).toBe(true);
    const posts = await db.post.findMany({ where: { topicId: b.topicId }, orderBy: { number: "asc" } });
    expect(posts.map((p) => [p.number, p.raw])).toEqual([[1, "first"], [2, "reply 2"], [3, "reply 3"], [4, "first"], [5, "reply 2"]]);
    // The merged reply still answers the post it answered, under its new number.
    expect(posts[4]!.replyToNumber).toBe(4);
    const redirect = await db.postRedirect.findUniqueOrThrow({ where: { fromTopicId_fromNumber: { fromTopicId: a.topicId, fromNumber: 2 } } });
    expect(redirect.postId).toBe(posts[4]!.id);
    expect((await db.topic.findUniqueOrThrow({ where: { id: a.topicId } })).mergedIntoId).toBe(b.topicId);
    expect(await db.topic.findUniqueOrThrow({ where: { id: b.topicId } })).toMatchObject({ postCount: 5, lastPostNumber: 5 });
    expect(await mergeTopics(moderator, b.topicId, b.topicId, "x")).toMatchObject({ ok: false });
  });

  it("splits replies into a new topic, keeping the first post and leaving redirects", async () => {
    const moderator = await createTestUser({ role: "moderator" });
    const { topicId } = await topicWithReplies(3);
    const result = await splitTopic(moderator, topicId, [1, 3, 4], "A tangent worth its own topic", "tangent");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const moved = await db.post.findMany({ where: { topicId: result.topicId }, orderBy: { number: "asc" } });
    expect(moved.map((p) => [p.number, p.raw, p.replyToNumber])).toEqual([[1, "reply 3", null], [2, "reply 4", 1]]);
    expect((await db.post.findMany({ where: { topicId } })).map((p) => p.number).sort()).toEqual([1, 2]);
    expect(await db.postRedirect.count({ where: { fromTopicId: topicId } })).toBe(2);
    expect(await auditActions(topicId)).toEqual(["topic.split"]);
  });
});

describe("moderating posts", () => {
  it("hides with a reason, unhides, and redacts a revision with a marker", async () => {
    const moderator = await createTestUser({ role: "moderator" });
    const { topicId } = await topicWithReplies(0);
    const post = await db.post.findUniqueOrThrow({ where: { topicId_number: { topicId, number: 1 } } });
    await setPostHidden(moderator, post.id, true, "spam");
    expect(await db.post.findUniqueOrThrow({ where: { id: post.id } })).toMatchObject({ hiddenReason: "spam", hiddenById: moderator.id });
    await setPostHidden(moderator, post.id, false, "was not spam");
    expect((await db.post.findUniqueOrThrow({ where: { id: post.id } })).hiddenAt).toBeNull();
    const revision = await db.postRevision.findFirstOrThrow({ where: { postId: post.id } });
    await redactRevision(moderator, revision.id, "personal data");
    expect(await db.postRevision.findUniqueOrThrow({ where: { id: revision.id } })).toMatchObject({ raw: "", redactionReason: "personal data" });
    expect(await auditActions(post.id)).toEqual(["post.hide", "post.unhide", "revision.redact"]);
  });

  it("accepts one report per member per post, with a snapshot", async () => {
    const { topicId, author } = await topicWithReplies(0);
    const reporter = await createTestUser();
    const post = await db.post.findUniqueOrThrow({ where: { topicId_number: { topicId, number: 1 } } });
    expect((await reportPost(reporter.id, post.id, "rude")).ok).toBe(true);
    expect(await reportPost(reporter.id, post.id, "still rude")).toMatchObject({ ok: false, status: 409 });
    expect(await reportPost(author.id, post.id, "my own")).toMatchObject({ ok: false, status: 400 });
    const report = await db.report.findFirstOrThrow({ where: { targetId: post.id } });
    expect(JSON.parse(report.snapshot)).toMatchObject({ raw: "first", number: 1 });
  });
});
