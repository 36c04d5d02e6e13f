// Posting limits that tighten for new accounts, and the honeypot field on the
// sign-up, new-topic, reply and chat forms.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { honeypotDrops } from "~/antispam/honeypot.server";
import { consumePostingLimit } from "~/antispam/rate-tiers.server";
import { sendMessage } from "~/chat/send.server";
import { createReply, createTopic } from "~/forums/posting.server";
import { action as newTopicAction } from "~/routes/b.$slug.new";
import { action as chatAction } from "~/routes/chat.$slug._index";
import { action as signupAction } from "~/routes/signup";
import { action as replyAction } from "~/routes/t.$id.$slug._index";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestRoom } from "../support/chat-factories";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";
import { call, type User } from "./mod-support";

beforeEach(() => resetAllLimits());
afterEach(() => vi.restoreAllMocks());

const DAY = 86_400_000;

/** A member with a two-day-old account and one approved post: the established tier. */
async function establishedMember() {
  const member = await createTestUser();
  await db.user.update({ where: { id: member.id }, data: { createdAt: new Date(Date.now() - 2 * DAY) } });
  const board = await createTestBoard();
  const first = await createTopic(member, board.id, { title: "My first topic", body: "hello" });
  if (!first.ok || first.held) throw new Error("first post not published");
  resetAllLimits();
  return member;
}

describe("posting limits by account age", () => {
  it("gives a new account two topics a minute, saying when it can post again; an established one gets three", async () => {
    const board = await createTestBoard();
    const fresh = await createTestUser();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await createTopic(fresh, board.id, { title: `New account topic ${i}`, body: "text" }));
    expect(results.slice(0, 2).every((r) => r.ok)).toBe(true);
    const refused = results[2]!;
    expect(refused).toMatchObject({ ok: false, status: 429 });
    expect(!refused.ok && refused.message).toMatch(/^New accounts can post 2 topics in a minute\. Please wait \d+ seconds and try again: you can post again at \d\d:\d\d UTC\.$/);
    expect(!refused.ok && refused.retryAfterSeconds).toBeGreaterThan(0);

    const veteran = await establishedMember();
    for (let i = 0; i < 3; i++) expect(await createTopic(veteran, board.id, { title: `Veteran topic ${i}`, body: "text" })).toMatchObject({ ok: true });
    expect(await createTopic(veteran, board.id, { title: "Veteran topic 4", body: "text" })).toMatchObject({ ok: false, status: 429 });
  });

  it("counts an account with no approved post as new even when it is old", async () => {
    const old = await createTestUser();
    await db.user.update({ where: { id: old.id }, data: { createdAt: new Date(Date.now() - 30 * DAY) } });
    const board = await createTestBoard();
    await createTopic(old, board.id, { title: "First topic, held", body: "see https://example.org" });
    await createTopic(old, board.id, { title: "Second topic, held", body: "see https://example.org" });
    const third = await createTopic(old, board.id, { title: "Third topic", body: "text" });
    expect(!third.ok && third.message).toMatch(/^New accounts can post 2 topics/);
  });

  it("limits a new account's replies per hour, naming the wait in minutes", async () => {
    const board = await createTestBoard();
    const starter = await createTestUser({ role: "moderator" });
    const topic = await createTopic(starter, board.id, { title: "Busy topic", body: "reply away" });
    if (!topic.ok) throw new Error(topic.message);
    const fresh: User = await createTestUser();
    const start = Date.now();
    // 20 replies spread over the hour stay under the per-minute limit; the 21st hits the hourly one.
    for (let i = 0; i < 20; i++) expect(await consumePostingLimit(fresh, "reply", start + i * 60_000)).toBeNull();
    const refused = await consumePostingLimit(fresh, "reply", start + 20 * 60_000);
    expect(refused?.message).toMatch(/^New accounts can post 20 replies in an hour\. Please wait 40 minutes/);
    // The real composer path shares the same counters: nothing is written.
    expect(await createReply(fresh, topic.topicId, { body: "one more" }, { canBypassLock: false })).toMatchObject({ ok: false, status: 429 });
    expect(await db.post.count({ where: { topicId: topic.topicId } })).toBe(1);
    const veteran = await establishedMember();
    for (let i = 0; i < 21; i++) expect(await consumePostingLimit(veteran, "reply", start + i * 60_000)).toBeNull();
  });

  it("gives a new account ten chat messages a minute and an established one more", async () => {
    const room = await createTestRoom();
    const fresh = await createTestUser();
    const start = Date.now();
    const at = (i: number) => new Date(start + Math.floor(i / 5) * 11_000 + (i % 5));
    for (let i = 0; i < 10; i++) expect(await sendMessage(fresh, room, { body: `message ${i}` }, at(i))).toMatchObject({ ok: true });
    const refused = await sendMessage(fresh, room, { body: "one too many" }, at(10));
    expect(refused).toMatchObject({ ok: false, status: 429 });
    expect(!refused.ok && refused.message).toMatch(/^New accounts can send 10 messages in a minute\. Please wait \d+ seconds/);
    expect(await db.chatMessage.count({ where: { roomId: room.id, authorId: fresh.id } })).toBe(10);

    const veteran = await establishedMember();
    for (let i = 0; i < 11; i++) expect(await sendMessage(veteran, room, { body: `veteran ${i}` }, at(i))).toMatchObject({ ok: true });
  });
});

describe("the honeypot", () => {
  function watchLog() {
    return vi.spyOn(logger, "info");
  }
  function expectCountedWithoutPersonalData(spy: ReturnType<typeof watchLog>, form: string) {
    const call = spy.mock.calls.find(([fields]) => (fields as { event?: string }).event === "honeypot.drop");
    expect(call?.[0]).toEqual({ event: "honeypot.drop", form, count: honeypotDrops(form as never) });
  }

  it("drops a filled sign-up silently: the bot is sent on, no account is made, the drop is counted", async () => {
    const spy = watchLog();
    const before = honeypotDrops("signup");
    const result = await call(signupAction, "/signup", {}, null, { username: "botuser1", email: "bot@example.org", password: "a long and unusual passphrase", website: "http://spam.example" });
    expect(result.status).toBe(302);
    expect(result.response?.headers.get("Location")).toBe("/");
    expect(result.response?.headers.get("Set-Cookie")).toBeNull();
    expect(await db.user.count({ where: { usernameKey: "botuser1" } })).toBe(0);
    expect(honeypotDrops("signup")).toBe(before + 1);
    expectCountedWithoutPersonalData(spy, "signup");
  });

  it("drops a filled new topic: redirected to the board as if posted, nothing stored", async () => {
    const board = await createTestBoard();
    const member = await createTestUser();
    const spy = watchLog();
    const before = honeypotDrops("topic");
    const result = await call(newTopicAction, `/b/${board.slug}/new`, { slug: board.slug }, member, { title: "Great offer here", body: "text", acknowledgePublic: "yes", website: "x" });
    expect(result.status).toBe(302);
    expect(result.response?.headers.get("Location")).toBe(`/b/${board.slug}`);
    expect(await db.topic.count({ where: { boardId: board.id } })).toBe(0);
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).publicPostingAckAt).toBeNull();
    expect(honeypotDrops("topic")).toBe(before + 1);
    expectCountedWithoutPersonalData(spy, "topic");
  });

  it("drops a filled reply: back to the topic, no post", async () => {
    const board = await createTestBoard();
    const member = await createTestUser();
    const topic = await createTopic(member, board.id, { title: "Real topic", body: "text" });
    if (!topic.ok) throw new Error(topic.message);
    const before = honeypotDrops("reply");
    const result = await call(replyAction, `/t/${topic.topicId}/${topic.slug}`, { id: String(topic.topicId), slug: topic.slug }, member, { body: "bot reply", acknowledgePublic: "yes", website: "filled" });
    expect(result.status).toBe(302);
    expect(result.response?.headers.get("Location")).toBe(`/t/${topic.topicId}/${topic.slug}`);
    expect(await db.post.count({ where: { topicId: topic.topicId } })).toBe(1);
    expect(honeypotDrops("reply")).toBe(before + 1);
  });

  it("drops a filled chat message: the live composer gets a success, nothing is stored", async () => {
    const room = await createTestRoom();
    const member = await createTestUser();
    const before = honeypotDrops("chat");
    const result = await call(chatAction, `/chat/${room.slug}`, { slug: room.slug }, member, { body: "bot message", acknowledgePublic: "yes", live: "1", website: "filled" });
    expect(result.status).toBe(200);
    expect(result.data).toMatchObject({ ok: true });
    expect(await db.chatMessage.count({ where: { roomId: room.id } })).toBe(0);
    expect(honeypotDrops("chat")).toBe(before + 1);

    // The same form without the honeypot goes through.
    const real = await call(chatAction, `/chat/${room.slug}`, { slug: room.slug }, member, { body: "a person", acknowledgePublic: "yes", live: "1", website: "" });
    expect(real.data).toMatchObject({ ok: true });
    expect(await db.chatMessage.count({ where: { roomId: room.id } })).toBe(1);
  });
});
