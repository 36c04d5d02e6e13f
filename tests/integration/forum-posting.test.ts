import { beforeEach, describe, expect, it } from "vitest";
import { subscribe } from "~/events/bus.server";
import { deleteOwnPost, editPost } from "~/forums/edit-post.server";
import { createReply, createTopic } from "~/forums/posting.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";

beforeEach(() => resetAllLimits());

describe("creating topics and replies", () => {
  it("numbers posts 1, 2, 3 and keeps topic and board counters in step", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    const replier = await createTestUser();
    const topic = await createTopic(author, board.id, { title: "Counting posts properly", body: "First!" });
    expect(topic.ok).toBe(true);
    if (!topic.ok) return;
    const second = await createReply(replier, topic.topicId, { body: "Second" }, { canBypassLock: false });
    const third = await createReply(author, topic.topicId, { body: "Third", replyTo: 2 }, { canBypassLock: false });
    expect([topic.number, second.ok && second.number, third.ok && third.number]).toEqual([1, 2, 3]);
    const row = await db.topic.findUniqueOrThrow({ where: { id: topic.topicId } });
    expect(row).toMatchObject({ postCount: 3, lastPostNumber: 3, lastPosterId: author.id });
    expect(await db.board.findUniqueOrThrow({ where: { id: board.id } })).toMatchObject({ topicCount: 1, postCount: 3 });
    const reply = await db.post.findUniqueOrThrow({ where: { topicId_number: { topicId: topic.topicId, number: 3 } } });
    expect(reply.replyToNumber).toBe(2);
  });

  it("stores rendered HTML once, with raw HTML escaped", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    const topic = await createTopic(author, board.id, { title: "Markdown is rendered", body: "**bold** <script>alert(1)</script>" });
    if (!topic.ok) throw new Error("topic not created");
    const post = await db.post.findUniqueOrThrow({ where: { topicId_number: { topicId: topic.topicId, number: 1 } } });
    expect(post.raw).toContain("<script>");
    expect(post.cooked).toContain("<strong>bold</strong>");
    expect(post.cooked).not.toContain("<script");
  });

  it("creates one post for a double submit", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    const topic = await createTopic(author, board.id, { title: "Double submit test", body: "x", submissionId: "submission-0001" });
    if (!topic.ok) throw new Error("topic not created");
    const [a, b] = await Promise.all([
      createReply(author, topic.topicId, { body: "same reply", submissionId: "submission-0002" }, { canBypassLock: false }),
      createReply(author, topic.topicId, { body: "same reply", submissionId: "submission-0002" }, { canBypassLock: false }),
    ]);
    expect(a.ok && b.ok && a.number === b.number).toBe(true);
    expect(await db.post.count({ where: { topicId: topic.topicId } })).toBe(2);
  });

  it("refuses replies to a locked topic except from moderators, and topics on a hidden board", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    const topic = await createTopic(author, board.id, { title: "Soon to be locked", body: "x" });
    if (!topic.ok) throw new Error("topic not created");
    await db.topic.update({ where: { id: topic.topicId }, data: { locked: true, lockedReason: "resolved" } });
    const refused = await createReply(author, topic.topicId, { body: "more" }, { canBypassLock: false });
    expect(refused).toMatchObject({ ok: false, status: 403 });
    expect(!refused.ok && refused.message).toContain("resolved");
    expect((await createReply(author, topic.topicId, { body: "mod note" }, { canBypassLock: true })).ok).toBe(true);

    const hidden = await createTestBoard({ hidden: true });
    expect(await createTopic(author, hidden.id, { title: "Nobody should see", body: "x" })).toMatchObject({ ok: false, status: 403 });
  });

  it("rate limits a flood with a clear wait", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await createTopic(author, board.id, { title: `Flood topic ${i}`, body: "x" }));
    const last = results[3]!;
    expect(last.ok).toBe(false);
    expect(!last.ok && last.status).toBe(429);
    expect(!last.ok && last.message).toMatch(/wait \d+ seconds/);
    // A fresh account has the new-account limit: two topics a minute.
    expect(await db.topic.count({ where: { boardId: board.id } })).toBe(2);
  });

  it("notifies the answered author, mentioned members and watchers once each, never the poster", async () => {
    const board = await createTestBoard();
    const alice = await createTestUser({ username: `alice${Date.now().toString(36)}` });
    const bob = await createTestUser({ username: `bob${Date.now().toString(36)}` });
    const watcher = await createTestUser();
    const topic = await createTopic(alice, board.id, { title: "Notifications", body: "hello" });
    if (!topic.ok) throw new Error("topic not created");
    await db.watch.create({ data: { userId: watcher.id, targetType: "board", targetId: board.id } });
    await db.watch.create({ data: { userId: alice.id, targetType: "topic", targetId: topic.topicId } });
    await createReply(bob, topic.topicId, { body: `thanks @${alice.username} and @${bob.username} and @nobody_here`, replyTo: 1 }, { canBypassLock: false });
    const notes = await db.notification.findMany({ where: { topicId: topic.topicId }, orderBy: { userId: "asc" } });
    expect(notes.map((n) => [n.userId, n.kind])).toEqual([
      [alice.id, "reply"],
      [watcher.id, "watched"],
    ]);
  });

  it("announces a new reply to live listeners of the topic", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    const topic = await createTopic(author, board.id, { title: "Live replies", body: "x" });
    if (!topic.ok) throw new Error("topic not created");
    const events: unknown[] = [];
    const stop = subscribe(`topic:${topic.topicId}`, (event) => events.push(event));
    await createReply(author, topic.topicId, { body: "live" }, { canBypassLock: false });
    stop();
    expect(events).toEqual([{ type: "post", id: "2", data: { number: 2 } }]);
  });
});

describe("bad input", () => {
  it("gives a clear 'too long' for a 100 KB body and a short title", async () => {
    const { NewTopicSchema } = await import("~/forums/compose-schema");
    const result = NewTopicSchema.safeParse({ title: "Hi", body: "x".repeat(100_000) });
    expect(result.success).toBe(false);
    const errors = result.success ? {} : result.error.flatten().fieldErrors;
    expect(errors.body?.[0]).toMatch(/too long: at most 50,000 characters/);
    expect(errors.title?.[0]).toMatch(/at least 5 characters/);
  });
});

describe("editing and deleting", () => {
  it("keeps every version as a revision and marks the post edited", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    const topic = await createTopic(author, board.id, { title: "Edit history", body: "version one" });
    if (!topic.ok) throw new Error("topic not created");
    const post = await db.post.findUniqueOrThrow({ where: { topicId_number: { topicId: topic.topicId, number: 1 } } });
    expect((await editPost(author, post.id, "version two")).ok).toBe(true);
    const revisions = await db.postRevision.findMany({ where: { postId: post.id }, orderBy: { version: "asc" } });
    expect(revisions.map((r) => [r.version, r.raw])).toEqual([[1, "version one"], [2, "version two"]]);
    const edited = await db.post.findUniqueOrThrow({ where: { id: post.id } });
    expect(edited.editCount).toBe(1);
    expect(edited.editedAt).not.toBeNull();
  });

  it("lets only the author edit and delete, and moderators edit with an audit entry", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    const other = await createTestUser();
    const moderator = await createTestUser({ role: "moderator" });
    const topic = await createTopic(author, board.id, { title: "Permissions check", body: "mine" });
    if (!topic.ok) throw new Error("topic not created");
    const post = await db.post.findUniqueOrThrow({ where: { topicId_number: { topicId: topic.topicId, number: 1 } } });
    expect(await editPost(other, post.id, "hijack")).toMatchObject({ ok: false, status: 403 });
    expect(await deleteOwnPost(other, post.id)).toMatchObject({ ok: false, status: 403 });
    expect((await editPost(moderator, post.id, "fixed a typo")).ok).toBe(true);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "post.edit", targetId: String(post.id) } });
    expect(audit.actorId).toBe(moderator.id);
    expect((await deleteOwnPost(author, post.id)).ok).toBe(true);
    expect((await db.post.findUniqueOrThrow({ where: { id: post.id } })).deletedAt).not.toBeNull();
    expect(await editPost(author, post.id, "too late")).toMatchObject({ ok: false, status: 403 });
  });
});
