// Watched words (block, hold, flag) on topic titles, posts, edits and chat
// messages; the /mod/watched-words page and its audit trail; reported chat
// messages in the review queue; silence stopping edits too.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { clearWatchedWordCache } from "~/antispam/watched-words.server";
import { editMessage } from "~/chat/edit.server";
import { reportChatMessage } from "~/chat/report.server";
import { sendMessage } from "~/chat/send.server";
import { editPost } from "~/forums/edit-post.server";
import { acknowledgePublicPosting, createReply, createTopic } from "~/forums/posting.server";
import { listTopicPosts } from "~/forums/read.server";
import { loadQueue, parseQueueFilters } from "~/moderation/queue.server";
import { liftSanction, sanctionUser } from "~/moderation/sanctions.server";
import { action as newTopicAction } from "~/routes/b.$slug.new";
import { action as chatEditAction } from "~/routes/chat.$slug.m.$id.edit";
import { action as queueAction } from "~/routes/mod.queue._index";
import { action as wordsAction, loader as wordsLoader } from "~/routes/mod.watched-words";
import { action as editAction } from "~/routes/p.$id.edit";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestRoom } from "../support/chat-factories";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";
import { auditOf, call, detailsOf, type User } from "./mod-support";

let moderator: User;
let board: { id: number; slug: string };

beforeAll(async () => {
  moderator = await createTestUser({ role: "moderator" });
  board = await createTestBoard();
  for (const [pattern, kind, wordAction] of [
    ["forbiddenword", "word", "block"],
    ["c[a4]sino", "regex", "hold"],
    ["crypto", "word", "flag"],
  ] as const) {
    const added = await call(wordsAction, "/mod/watched-words", {}, moderator, { intent: "add", pattern, kind, wordAction });
    if (!added.data?.ok) throw new Error(JSON.stringify(added.data));
  }
});
beforeEach(() => resetAllLimits());

const filters = (query = "") => parseQueueFilters(new URLSearchParams(query));
const keysOf = async (query: string) => (await loadQueue(filters(query), moderator)).items.map((i) => i.key);

async function topicBy(author: User, body = "An ordinary first post") {
  const topic = await createTopic(author, board.id, { title: "An ordinary topic", body });
  if (!topic.ok) throw new Error(topic.message);
  return { ...topic, post: await db.post.findFirstOrThrow({ where: { topicId: topic.topicId, number: 1 } }) };
}

describe("/mod/watched-words", () => {
  it("lists words, refuses unsafe patterns and duplicates with field errors, and audits add, change and remove", async () => {
    const list = await call(wordsLoader, "/mod/watched-words", {}, moderator);
    expect((list.data as { words: { pattern: string }[] }).words.map((w) => w.pattern).sort()).toEqual(["c[a4]sino", "crypto", "forbiddenword"]);

    const unsafe = await call(wordsAction, "/mod/watched-words", {}, moderator, { intent: "add", pattern: "(a+)+b", kind: "regex", wordAction: "block" });
    expect(unsafe.status).toBe(400);
    expect((unsafe.data as { fieldErrors: Record<string, string[]> }).fieldErrors.pattern?.[0]).toMatch(/Repeating a group/);
    const duplicate = await call(wordsAction, "/mod/watched-words", {}, moderator, { intent: "add", pattern: "crypto", kind: "word", wordAction: "block" });
    expect(duplicate.status).toBe(409);

    const added = await call(wordsAction, "/mod/watched-words", {}, moderator, { intent: "add", pattern: "temporary", kind: "word", wordAction: "flag" });
    expect(added.data).toMatchObject({ ok: true });
    const row = await db.watchedWord.findFirstOrThrow({ where: { pattern: "temporary" } });
    await call(wordsAction, "/mod/watched-words", {}, moderator, { intent: "change", id: String(row.id), wordAction: "block" });
    await call(wordsAction, "/mod/watched-words", {}, moderator, { intent: "remove", id: String(row.id) });
    expect(await db.watchedWord.count({ where: { id: row.id } })).toBe(0);
    const entries = await auditOf("watched-word", row.id);
    expect(entries.map((e) => e.action)).toEqual(["watched-word.add", "watched-word.change", "watched-word.remove"]);
    expect(detailsOf(entries[1]!)).toMatchObject({ pattern: "temporary", before: "flag", after: "block" });
    expect(entries.every((e) => e.actorId === moderator.id)).toBe(true);
  });

  it("is for moderators only", async () => {
    const member = await createTestUser();
    expect((await call(wordsLoader, "/mod/watched-words", {}, member)).status).toBe(403);
    expect((await call(wordsAction, "/mod/watched-words", {}, member, { intent: "add", pattern: "sneaky", kind: "word", wordAction: "block" })).status).toBe(403);
    expect(await db.watchedWord.count({ where: { pattern: "sneaky" } })).toBe(0);
  });
});

describe("watched words on posts", () => {
  it("blocks a topic title with a field error naming the word, and stores nothing", async () => {
    const member = await createTestUser();
    const before = await db.topic.count();
    const result = await call(newTopicAction, `/b/${board.slug}/new`, { slug: board.slug }, member, {
      title: "Try the ForbiddenWord today", body: "Nothing wrong here", acknowledgePublic: "yes",
    });
    expect(result.status).toBe(400);
    const failure = result.data as { fieldErrors: Record<string, string[]>; values: Record<string, string> };
    expect(failure.fieldErrors.title?.[0]).toContain("ForbiddenWord");
    expect(failure.values.body).toBe("Nothing wrong here");
    expect(await db.topic.count()).toBe(before);
  });

  it("blocks a reply body, holds a post with a hold word, and flags one with a flag word (published, reported)", async () => {
    const member = await createTestUser();
    const { topicId } = await topicBy(moderator);
    const blocked = await createReply(member, topicId, { body: "a forbiddenword." }, { canBypassLock: false });
    expect(blocked).toMatchObject({ ok: false, status: 400, field: "body" });

    const held = await createReply(member, topicId, { body: "Visit my C4SINO" }, { canBypassLock: false });
    expect(held).toMatchObject({ ok: true, held: true });
    const heldPost = await db.post.findFirstOrThrow({ where: { topicId, number: held.ok ? held.number : 0 } });
    expect(heldPost.heldReason).toBe("Watched word: c[a4]sino");
    expect(await keysOf("type=held")).toContain(`held:${heldPost.id}`);

    const flagged = await createReply(member, topicId, { body: "What about crypto?" }, { canBypassLock: false });
    expect(flagged).toMatchObject({ ok: true, held: false });
    const flaggedPost = await db.post.findFirstOrThrow({ where: { topicId, number: flagged.ok ? flagged.number : 0 } });
    expect((await listTopicPosts(topicId, 1, null)).map((p) => p.id)).toContain(flaggedPost.id);
    const item = (await loadQueue(filters("type=post"), moderator)).items.find((i) => i.key === `post:${flaggedPost.id}`);
    expect(item?.reports[0]).toMatchObject({ reporter: "Watched words (automatic)", reason: expect.stringContaining("crypto") as string });
    expect(item?.snapshot?.text).toBe("What about crypto?");
  });

  it("applies to edits: block refuses, hold takes the post out of view until approved, flag files a report", async () => {
    const member = await createTestUser();
    const { topicId, post } = await topicBy(moderator);
    const reply = await createReply(member, topicId, { body: "A harmless reply" }, { canBypassLock: false });
    if (!reply.ok) throw new Error(reply.message);
    const mine = await db.post.findFirstOrThrow({ where: { topicId, number: reply.number } });
    const countBefore = (await db.topic.findUniqueOrThrow({ where: { id: topicId } })).postCount;
    await acknowledgePublicPosting(member.id);

    const blocked = await call(editAction, `/p/${mine.id}/edit`, { id: String(mine.id) }, member, { body: "now with forbiddenword" });
    expect(blocked.status).toBe(400);
    expect((blocked.data as { fieldErrors: Record<string, string[]> }).fieldErrors.body?.[0]).toContain("forbiddenword");
    expect((await db.post.findUniqueOrThrow({ where: { id: mine.id } })).raw).toBe("A harmless reply");

    expect(await editPost(member, mine.id, "now about casino nights")).toMatchObject({ ok: true, held: true });
    const held = await db.post.findUniqueOrThrow({ where: { id: mine.id } });
    expect(held).toMatchObject({ heldOnEdit: true, heldReason: "Watched word: c[a4]sino" });
    expect((await listTopicPosts(topicId, 1, null)).map((p) => p.id)).not.toContain(mine.id);
    const approved = await call(queueAction, "/mod/queue", {}, moderator, { intent: "approve", itemKey: `held:${mine.id}`, reason: "" });
    expect(approved.data).toMatchObject({ ok: true });
    expect((await listTopicPosts(topicId, 1, null)).map((p) => p.id)).toContain(mine.id);
    // An approved edit is not a new post: counters stay.
    expect((await db.topic.findUniqueOrThrow({ where: { id: topicId } })).postCount).toBe(countBefore);

    const other = await createTestUser();
    const second = await createReply(other, topicId, { body: "Another harmless reply" }, { canBypassLock: false });
    const secondPost = await db.post.findFirstOrThrow({ where: { topicId, number: second.ok ? second.number : 0 } });
    expect(await editPost(other, secondPost.id, "edited to mention crypto")).toMatchObject({ ok: true, held: false });
    expect(await db.report.count({ where: { targetType: "post", targetId: secondPost.id, reporterId: 0, state: "open" } })).toBe(1);
    expect(post.id).toBeGreaterThan(0);
  });

  it("does not screen moderators correcting someone else's post", async () => {
    const member = await createTestUser();
    const { post } = await topicBy(member);
    expect(await editPost(moderator, post.id, "moderator note: crypto scams removed")).toMatchObject({ ok: true });
    expect(await db.report.count({ where: { targetType: "post", targetId: post.id } })).toBe(0);
  });
});

describe("watched words in chat", () => {
  it("blocks and (chat cannot wait) refuses hold words with a field error; flags are sent and reported", async () => {
    const room = await createTestRoom();
    const member = await createTestUser();
    const blocked = await sendMessage(member, room, { body: "forbiddenword!" });
    expect(blocked).toMatchObject({ ok: false, status: 400, field: "body" });
    expect(!blocked.ok && blocked.message).toContain("forbiddenword");
    expect(await sendMessage(member, room, { body: "casino time" })).toMatchObject({ ok: false, status: 400, field: "body" });
    expect(await db.chatMessage.count({ where: { roomId: room.id } })).toBe(0);

    const flagged = await sendMessage(member, room, { body: "anyone into crypto" });
    expect(flagged).toMatchObject({ ok: true });
    const id = flagged.ok ? flagged.id : 0;
    const item = (await loadQueue(filters("type=chat"), moderator)).items.find((i) => i.key === `chat:${id}`);
    expect(item?.reports[0]?.reporter).toBe("Watched words (automatic)");
  });

  it("applies to chat edits", async () => {
    const room = await createTestRoom();
    const member = await createTestUser();
    const sent = await sendMessage(member, room, { body: "hello room" });
    const id = sent.ok ? sent.id : 0;
    const refused = await call(chatEditAction, `/chat/${room.slug}/m/${id}/edit`, { slug: room.slug, id: String(id) }, member, { body: "hello forbiddenword" });
    expect(refused.status).toBe(400);
    expect((refused.data as { fieldErrors: Record<string, string[]> }).fieldErrors.body?.[0]).toContain("forbiddenword");
    expect(await editMessage(member, id, "hello crypto")).toMatchObject({ ok: true });
    expect(await db.report.count({ where: { targetType: "chat", targetId: id, reporterId: 0 } })).toBe(1);
  });

  it("picks up a removed word at once", async () => {
    const room = await createTestRoom();
    const member = await createTestUser();
    const row = await db.watchedWord.create({ data: { pattern: "ephemeral", action: "block" } });
    clearWatchedWordCache();
    expect(await sendMessage(member, room, { body: "ephemeral" })).toMatchObject({ ok: false });
    await call(wordsAction, "/mod/watched-words", {}, moderator, { intent: "remove", id: String(row.id) });
    expect(await sendMessage(member, room, { body: "ephemeral" })).toMatchObject({ ok: true });
  });
});

describe("reported chat messages in the review queue", () => {
  it("shows the evidence snapshot and the reports; dismiss resolves them with an audit entry", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const reporter = await createTestUser();
    const sent = await sendMessage(author, room, { body: "you are all idiots" });
    const id = sent.ok ? sent.id : 0;
    expect(await reportChatMessage(reporter.id, id, "insulting")).toMatchObject({ ok: true });
    await editMessage(author, id, "you are all lovely");

    const item = (await loadQueue(filters(""), moderator)).items.find((i) => i.key === `chat:${id}`)!;
    expect(item).toMatchObject({ type: "chat", reportCount: 1, where: `#${room.name}`, href: `/chat/${room.slug}/m/${id}` });
    expect(item.snapshot?.text).toBe("you are all idiots");
    expect(item.current).toMatchObject({ state: "visible", text: "you are all lovely", edited: true });
    expect(item.reports[0]).toMatchObject({ reporter: reporter.username, reason: "insulting" });
    expect(item.author?.username).toBe(author.username);

    const dismissed = await call(queueAction, "/mod/queue", {}, moderator, { intent: "dismiss", itemKey: `chat:${id}`, reason: "edited, fine now" });
    expect(dismissed.data).toMatchObject({ ok: true });
    expect(await db.report.count({ where: { targetType: "chat", targetId: id, state: "dismissed", resolvedById: moderator.id } })).toBe(1);
    expect(await keysOf("type=chat")).not.toContain(`chat:${id}`);
    expect((await auditOf("chat", id)).map((e) => e.action)).toContain("report.dismiss");
  });

  it("deletes a reported message from the queue: readers see the removal, reports are actioned, audited with them", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const reporter = await createTestUser();
    const sent = await sendMessage(author, room, { body: "buy followers at my shop" });
    const id = sent.ok ? sent.id : 0;
    await reportChatMessage(reporter.id, id, "spam");
    const deleted = await call(queueAction, "/mod/queue", {}, moderator, { intent: "delete-chat", itemKey: `chat:${id}`, reason: "Advertising", rule: "spam" });
    expect(deleted.data).toMatchObject({ ok: true });
    const message = await db.chatMessage.findUniqueOrThrow({ where: { id } });
    expect(message).toMatchObject({ deletedById: moderator.id, deleteReason: "Advertising" });
    const report = await db.report.findFirstOrThrow({ where: { targetType: "chat", targetId: id } });
    expect(report).toMatchObject({ state: "actioned", resolvedById: moderator.id, rule: "spam" });
    const entry = (await auditOf("chat", id)).find((e) => e.action === "chat.remove")!;
    expect(detailsOf(entry)).toMatchObject({ reportIds: [report.id], rule: "spam" });
    const resolved = (await loadQueue(filters("type=chat&state=resolved"), moderator)).items.find((i) => i.key === `chat:${id}`);
    expect(resolved?.current.state).toBe("hidden");
  });
});

describe("silenced members", () => {
  it("cannot edit their posts or chat messages until the silence is lifted", async () => {
    const member = await createTestUser();
    const { post } = await topicBy(member);
    const room = await createTestRoom();
    const sent = await sendMessage(member, room, { body: "first message" });
    const messageId = sent.ok ? sent.id : 0;
    await sanctionUser(moderator, member.id, "silence", 3, "cool down");
    await acknowledgePublicPosting(member.id);

    const postEdit = await call(editAction, `/p/${post.id}/edit`, { id: String(post.id) }, member, { body: "sneaky edit" });
    expect(postEdit.status).toBe(403);
    expect((postEdit.data as { formErrors: string[] }).formErrors[0]).toMatch(/silenced your account until .* cannot post or edit/);
    expect((await db.post.findUniqueOrThrow({ where: { id: post.id } })).raw).toBe("An ordinary first post");
    const chatEdit = await editMessage(member, messageId, "sneaky chat edit");
    expect(chatEdit).toMatchObject({ ok: false, status: 403 });
    expect((await db.chatMessage.findUniqueOrThrow({ where: { id: messageId } })).body).toBe("first message");

    await liftSanction(moderator, member.id, "silence", "served");
    expect(await editPost(member, post.id, "a fair edit")).toMatchObject({ ok: true });
    expect(await editMessage(member, messageId, "a fair chat edit")).toMatchObject({ ok: true });
  });
});
