import { beforeEach, describe, expect, it } from "vitest";
import { groupByDayAndAuthor } from "~/chat/grouping";
import { roomHistory } from "~/chat/history.server";
import { CHAT_MESSAGE_MAX } from "~/chat/limits";
import { sendMessage } from "~/chat/send.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { action as roomAction, loader as roomLoader } from "~/routes/chat.$slug._index";
import { loader as notificationsLoader } from "~/routes/notifications";
import { callRoute } from "../archive-read/call-route";
import { createTestRoom, insertMessages } from "../support/chat-factories";
import { createTestUser } from "../support/factories";

beforeEach(() => resetAllLimits());

const at = (iso: string) => new Date(iso);

describe("sending messages", () => {
  it("stores sanitized HTML once, keeps the room's counters and links a reply to its message", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const first = await sendMessage(author, room, { body: "**hi** <script>alert(1)</script> `code` ![x](https://evil.example/p.png)" });
    if (!first.ok) throw new Error(first.message);
    const reply = await sendMessage(author, room, { body: "answering", replyToId: first.id });
    if (!reply.ok) throw new Error(reply.message);
    const row = await db.chatMessage.findUniqueOrThrow({ where: { id: first.id } });
    expect(row.html).toContain("<strong>hi</strong>");
    expect(row.html).toContain("<code>code</code>");
    expect(row.html).not.toContain("<script");
    // Remote images are never embedded.
    expect(row.html).not.toMatch(/<img[^>]+evil\.example/);
    expect((await db.chatMessage.findUniqueOrThrow({ where: { id: reply.id } })).replyToId).toBe(first.id);
    expect(await db.chatRoom.findUniqueOrThrow({ where: { id: room.id } })).toMatchObject({ messageCount: 2, lastMessageId: reply.id });
  });

  it("renders the chat subset of Markdown: code, links and emphasis, but no headings or tables", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const sent = await sendMessage(author, room, { body: "# not a heading\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n*em* [site](https://example.org) ```x```" });
    if (!sent.ok) throw new Error(sent.message);
    const { html } = await db.chatMessage.findUniqueOrThrow({ where: { id: sent.id } });
    expect(html).not.toMatch(/<h\d|<table/);
    expect(html).toContain("# not a heading");
    expect(html).toContain("<em>em</em>");
    expect(html).toMatch(/<a href="https:\/\/example.org" rel="nofollow ugc noopener">site/);
  });

  it("refuses a message over the length limit with a clear error and writes nothing", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    await db.user.update({ where: { id: author.id }, data: { publicPostingAckAt: new Date() } });
    const form = new URLSearchParams({ body: "x".repeat(CHAT_MESSAGE_MAX + 1), submissionId: "long-message-1" });
    const result = await callRoute(roomAction, `/chat/${room.slug}`, { slug: room.slug }, { ...author, role: "member" }, { method: "POST", body: form });
    expect(result.status).toBe(400);
    expect(JSON.stringify(result.data)).toContain("too long: at most 4,000 characters");
    const direct = await sendMessage(author, room, { body: "y".repeat(CHAT_MESSAGE_MAX + 1) });
    expect(direct).toMatchObject({ ok: false, status: 400, field: "body" });
    expect(await db.chatMessage.count({ where: { roomId: room.id } })).toBe(0);
  });

  it("creates one message for identical rapid resubmits", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const input = { body: "only once", submissionId: "chat-submit-0001" };
    const [a, b] = await Promise.all([sendMessage(author, room, input), sendMessage(author, room, input)]);
    const c = await sendMessage(author, room, input);
    expect(a.ok && b.ok && c.ok).toBe(true);
    if (!a.ok || !b.ok || !c.ok) return;
    expect(new Set([a.id, b.id, c.id]).size).toBe(1);
    expect([a.duplicate, b.duplicate, c.duplicate].filter(Boolean)).toHaveLength(2);
    expect(await db.chatMessage.count({ where: { roomId: room.id } })).toBe(1);
    expect((await db.chatRoom.findUniqueOrThrow({ where: { id: room.id } })).messageCount).toBe(1);
  });

  it("rate limits a flood with a wait in seconds", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const now = new Date();
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await sendMessage(author, room, { body: `flood ${i}` }, now));
    expect(results.slice(0, 5).every((r) => r.ok)).toBe(true);
    expect(results[5]).toMatchObject({ ok: false, status: 429 });
    expect(!results[5]!.ok && results[5]!.message).toMatch(/wait \d+ seconds/);
    expect(await db.chatMessage.count({ where: { roomId: room.id } })).toBe(5);
  });

  it("notifies mentioned members once, never the author, and not for unknown names", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const mentioned = await createTestUser();
    const sent = await sendMessage(author, room, { body: `hey @${mentioned.username} and @${mentioned.username}, and @${author.username} and @nobody-here-xyz` });
    if (!sent.ok) throw new Error(sent.message);
    const notes = await db.notification.findMany({ where: { chatMessageId: sent.id } });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ userId: mentioned.id, kind: "chat-mention", actorId: author.id });
    expect((await db.chatMessage.findUniqueOrThrow({ where: { id: sent.id } })).html).toContain(`href="/u/${mentioned.username.toLowerCase()}"`);
    const page = await callRoute(notificationsLoader, "/notifications", {}, { ...mentioned, role: "member" });
    const [note] = (page.data as { notifications: { actor: string; text: string; topicTitle: string; href: string; unread: boolean }[] }).notifications;
    expect(note).toMatchObject({ actor: author.username, text: "mentioned you in the chat room", topicTitle: room.name, href: `/chat/${room.slug}/m/${sent.id}`, unread: true });
  });

  it("asks for the public-posting acknowledgement and confirmation of personal data before sending", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const user = { ...author, role: "member" };
    const post = (fields: Record<string, string>) =>
      callRoute(roomAction, `/chat/${room.slug}`, { slug: room.slug }, user, { method: "POST", body: new URLSearchParams(fields) });
    const unacknowledged = await post({ body: "hello", live: "1" });
    expect(JSON.stringify(unacknowledged.data)).toContain("acknowledge");
    const warned = await post({ body: "mail me at jane.roe@gmail.com", acknowledgePublic: "yes", live: "1" });
    const safeguard = (warned.data as { safeguard?: { kind: string; fingerprint: string } }).safeguard;
    expect(safeguard?.kind).toBe("personal-data");
    expect(await db.chatMessage.count({ where: { roomId: room.id } })).toBe(0);
    const sent = await post({ body: "mail me at jane.roe@gmail.com", acknowledgePublic: "yes", confirmPersonalData: safeguard!.fingerprint, live: "1" });
    expect(sent.data).toMatchObject({ ok: true });
    expect(await db.chatMessage.count({ where: { roomId: room.id } })).toBe(1);
  });
});

describe("history", () => {
  it("pages back with a cursor to the room's first message, oldest first within a page", async () => {
    const room = await createTestRoom();
    const a = await createTestUser();
    const start = Date.parse("2026-11-01T10:00:00Z");
    const ids = await insertMessages(room.id, [a.id], Array.from({ length: 120 }, (_, i) => new Date(start + i * 60_000)));
    const latest = await roomHistory(room.id);
    expect(latest.messages.map((m) => m.id)).toEqual(ids.slice(70));
    expect(latest.earlierCursor).toBe(ids[70]);
    const middle = await roomHistory(room.id, { before: latest.earlierCursor });
    expect(middle.messages.map((m) => m.id)).toEqual(ids.slice(20, 70));
    const first = await roomHistory(room.id, { before: middle.earlierCursor });
    expect(first.messages.map((m) => m.id)).toEqual(ids.slice(0, 20));
    expect(first.earlierCursor).toBeNull();

    // The page reads the same cursor from ?before= and says so (no live stream there).
    const page = await callRoute(roomLoader, `/chat/${room.slug}?before=${ids[70]}`, { slug: room.slug });
    const data = page.data as { messages: { id: number }[]; earlierCursor: number; viewingEarlier: boolean };
    expect(data.messages.map((m) => m.id)).toEqual(ids.slice(20, 70));
    expect(data.viewingEarlier).toBe(true);
  });

  it("splits history into UTC days and groups an author's consecutive messages a few minutes apart", async () => {
    const room = await createTestRoom();
    const [a, b] = [await createTestUser(), await createTestUser()];
    await insertMessages(room.id, [a.id, a.id, a.id, b.id, a.id, a.id], [
      at("2026-11-01T23:50:00Z"), at("2026-11-01T23:52:00Z"),
      // After midnight UTC: a new day, so a new group even from the same author.
      at("2026-11-02T00:01:00Z"),
      at("2026-11-02T00:02:00Z"),
      at("2026-11-02T00:03:00Z"),
      // Twenty minutes later: a new group.
      at("2026-11-02T00:23:00Z"),
    ]);
    const { messages } = await roomHistory(room.id);
    const days = groupByDayAndAuthor(messages);
    expect(days.map((d) => d.day)).toEqual(["2026-11-01", "2026-11-02"]);
    expect(days.map((d) => d.groups.map((g) => [g.author.id, g.messages.length]))).toEqual([
      [[a.id, 2]],
      [[a.id, 1], [b.id, 1], [a.id, 1], [a.id, 1]],
    ]);
  });

  it("lets anonymous readers load a room, and 404s an unknown one", async () => {
    const room = await createTestRoom();
    const a = await createTestUser();
    await insertMessages(room.id, [a.id], [new Date()]);
    const page = await callRoute(roomLoader, `/chat/${room.slug}`, { slug: room.slug }, null);
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ viewer: null, room: { slug: room.slug } });
    expect((await callRoute(roomLoader, "/chat/no-such-room", { slug: "no-such-room" })).status).toBe(404);
    const refused = await callRoute(roomAction, `/chat/${room.slug}`, { slug: room.slug }, null, { method: "POST", body: new URLSearchParams({ body: "hi" }) });
    expect(refused.status).toBe(302);
    expect(refused.response?.headers.get("Location")).toMatch(/^\/login\?/);
  });
});
