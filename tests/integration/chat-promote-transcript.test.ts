import { beforeEach, describe, expect, it } from "vitest";
import { promoteMessages } from "~/chat/promote.server";
import { sendMessage } from "~/chat/send.server";
import { loadViews } from "~/chat/view.server";
import { loader as transcriptLoader } from "~/routes/chat.$slug.$day";
import { loader as permalinkLoader } from "~/routes/chat.$slug.m.$id._index";
import { action as promoteAction } from "~/routes/chat.$slug.promote";
import { loader as roomsLoader } from "~/routes/chat._index";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { callRoute } from "../archive-read/call-route";
import { createTestRoom, insertMessages } from "../support/chat-factories";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";

beforeEach(() => resetAllLimits());

describe("promoting a conversation to a forum topic", () => {
  it("creates the topic with the quoted messages linking back, and marks the messages as promoted", async () => {
    const room = await createTestRoom();
    const board = await createTestBoard();
    const [asker, helper] = [await createTestUser(), await createTestUser()];
    const t = Date.now();
    const ids: number[] = [];
    for (const [i, [who, body]] of ([[asker, "How do I read stdin line by line?"], [helper, "`for line in sys.stdin:`"], [asker, "unrelated chatter"]] as const).entries()) {
      const r = await sendMessage(who, room, { body }, new Date(t + i * 5000));
      if (!r.ok) throw new Error(r.message);
      ids.push(r.id);
    }
    const outsider = await createTestUser();
    expect(await promoteMessages(outsider, room.id, ids.slice(0, 2), { boardId: board.id, title: "Reading stdin" })).toMatchObject({ ok: false, status: 403 });

    const result = await callRoute(promoteAction, `/chat/${room.slug}/promote`, { slug: room.slug }, { ...asker, role: "member" }, {
      method: "POST",
      body: new URLSearchParams([["title", "Reading stdin line by line"], ["boardId", String(board.id)], ["message", String(ids[0])], ["message", String(ids[1])]]),
    });
    expect(result.status).toBe(302);
    const topic = await db.topic.findFirstOrThrow({ where: { boardId: board.id }, include: { posts: true } });
    expect(result.response?.headers.get("Location")).toBe(`/t/${topic.id}/${topic.slug}`);
    expect(topic).toMatchObject({ title: "Reading stdin line by line", authorId: asker.id, postCount: 1 });
    const post = topic.posts[0]!;
    expect(post.cooked).toContain(`href="/chat/${room.slug}/m/${ids[0]}"`);
    expect(post.cooked).toContain(`href="/chat/${room.slug}/m/${ids[1]}"`);
    expect(post.cooked).toContain("<code>for line in sys.stdin:</code>");
    expect(post.cooked).not.toContain("unrelated chatter");
    expect((await db.board.findUniqueOrThrow({ where: { id: board.id } })).topicCount).toBe(1);

    const views = await loadViews({ id: { in: ids } });
    expect(views.map((v) => v.promoted?.href ?? null)).toEqual([`/t/${topic.id}/${topic.slug}/1`, `/t/${topic.id}/${topic.slug}/1`, null]);
    expect(views[0]!.promoted?.title).toBe("Reading stdin line by line");
    // Promoting the same message twice is refused, and nothing is half-written.
    expect(await promoteMessages(asker, room.id, [ids[1]!, ids[2]!], { boardId: board.id, title: "Again" })).toMatchObject({ ok: false, status: 409 });
    expect(await db.topic.count({ where: { boardId: board.id } })).toBe(1);
    expect((await db.auditEntry.findFirstOrThrow({ where: { action: "chat.promote" } })).details).toContain(String(ids[0]));
  });

  it("refuses bad input with field errors and writes nothing", async () => {
    const room = await createTestRoom();
    const member = await createTestUser();
    const topicsBefore = await db.topic.count();
    const bad = await callRoute(promoteAction, `/chat/${room.slug}/promote`, { slug: room.slug }, { ...member, role: "member" }, {
      method: "POST", body: new URLSearchParams({ title: "abc", boardId: "x" }),
    });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.data as { fieldErrors: Record<string, unknown> }).fieldErrors).sort()).toEqual(["boardId", "title"]);
    expect(await db.topic.count()).toBe(topicsBefore);
  });
});

describe("transcripts and permalinks", () => {
  it("renders one UTC day with links to the previous and next days that have messages", async () => {
    const room = await createTestRoom();
    const a = await createTestUser();
    const ids = await insertMessages(room.id, [a.id], [
      new Date("2026-10-03T12:00:00Z"),
      new Date("2026-10-05T00:00:00Z"), new Date("2026-10-05T23:59:59Z"),
      new Date("2026-10-09T08:00:00Z"),
    ]);
    const day = await callRoute(transcriptLoader, `/chat/${room.slug}/2026-10-05`, { slug: room.slug, day: "2026-10-05" });
    expect(day.status).toBe(200);
    const data = day.data as { messages: { id: number }[]; previousDay: string; nextDay: string; dayLabel: string };
    expect(data.messages.map((m) => m.id)).toEqual([ids[1], ids[2]]);
    expect(data).toMatchObject({ previousDay: "2026-10-03", nextDay: "2026-10-09", dayLabel: "Monday, October 5, 2026" });
    const first = await callRoute(transcriptLoader, `/chat/${room.slug}/2026-10-03`, { slug: room.slug, day: "2026-10-03" });
    expect(first.data).toMatchObject({ previousDay: null, nextDay: "2026-10-05" });
    for (const bad of ["2026-02-30", "2026-1-05", "today"]) {
      expect((await callRoute(transcriptLoader, `/chat/${room.slug}/${bad}`, { slug: room.slug, day: bad })).status).toBe(404);
    }
  });

  it("redirects a message permalink to its day's transcript anchor, only under its own room", async () => {
    const room = await createTestRoom();
    const other = await createTestRoom();
    const a = await createTestUser();
    const [id] = await insertMessages(room.id, [a.id], [new Date("2026-10-05T10:00:00Z")]);
    const found = await callRoute(permalinkLoader, `/chat/${room.slug}/m/${id}`, { slug: room.slug, id: String(id) });
    expect(found.status).toBe(302);
    expect(found.response?.headers.get("Location")).toBe(`/chat/${room.slug}/2026-10-05#m-${id}`);
    expect((await callRoute(permalinkLoader, `/chat/${other.slug}/m/${id}`, { slug: other.slug, id: String(id) })).status).toBe(404);
  });

  it("splits a busy day into pages of 500, and sends a permalink to the page holding its message", async () => {
    const room = await createTestRoom();
    const a = await createTestUser();
    const start = new Date("2026-10-07T00:00:00Z").getTime();
    await db.chatMessage.createMany({
      data: Array.from({ length: 1_201 }, (_, i) => ({ roomId: room.id, authorId: a.id, body: `busy ${i + 1}`, html: `<p>busy ${i + 1}</p>`, createdAt: new Date(start + i * 60_000) })),
    });
    const ids = (await db.chatMessage.findMany({ where: { roomId: room.id }, orderBy: { id: "asc" }, select: { id: true } })).map((m) => m.id);
    const pageOf = async (query: string) => {
      const result = await callRoute(transcriptLoader, `/chat/${room.slug}/2026-10-07${query}`, { slug: room.slug, day: "2026-10-07" });
      return result.data as { messages: { id: number }[]; page: number; pageCount: number; total: number };
    };
    const first = await pageOf("");
    expect([first.page, first.pageCount, first.total, first.messages.length, first.messages[0]!.id]).toEqual([1, 3, 1_201, 500, ids[0]]);
    const last = await pageOf("?page=3");
    expect([last.messages.length, last.messages[0]!.id, last.messages.at(-1)!.id]).toEqual([201, ids[1_000], ids[1_200]]);
    // Out-of-range and malformed pages show the nearest real page.
    expect((await pageOf("?page=99")).page).toBe(3);
    expect((await pageOf("?page=-4")).page).toBe(1);
    expect((await pageOf("?page=abc")).page).toBe(1);

    const link = async (index: number) =>
      (await callRoute(permalinkLoader, `/chat/${room.slug}/m/${ids[index]}`, { slug: room.slug, id: String(ids[index]) })).response?.headers.get("Location");
    expect(await link(499)).toBe(`/chat/${room.slug}/2026-10-07#m-${ids[499]}`);
    expect(await link(500)).toBe(`/chat/${room.slug}/2026-10-07?page=2#m-${ids[500]}`);
    expect(await link(1_100)).toBe(`/chat/${room.slug}/2026-10-07?page=3#m-${ids[1_100]}`);
  });

  it("lists rooms with their counts and last activity, archived ones last and marked", async () => {
    const open = await createTestRoom();
    const archived = await createTestRoom({ archived: true });
    const a = await createTestUser();
    await insertMessages(open.id, [a.id], [new Date("2026-10-05T10:00:00Z"), new Date("2026-10-05T10:01:00Z")]);
    const list = await callRoute(roomsLoader, "/chat", {});
    const rooms = (list.data as { rooms: { slug: string; messageCount: number; archived: boolean; lastMessageAt: string | null }[] }).rooms;
    const slugs = rooms.map((r) => r.slug);
    expect(slugs.indexOf(open.slug)).toBeLessThan(slugs.indexOf(archived.slug));
    expect(rooms.find((r) => r.slug === open.slug)).toMatchObject({ messageCount: 2, archived: false, lastMessageAt: "2026-10-05T10:01:00.000Z" });
    expect(rooms.find((r) => r.slug === archived.slug)).toMatchObject({ archived: true, messageCount: 0 });
  });
});
