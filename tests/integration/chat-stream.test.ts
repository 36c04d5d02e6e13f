import { beforeEach, describe, expect, it } from "vitest";
import { editMessage, deleteOwnMessage } from "~/chat/edit.server";
import { REPLAY_MAX } from "~/chat/replay.server";
import { sendMessage } from "~/chat/send.server";
import { viewerCount } from "~/chat/presence.server";
import { loader as streamLoader } from "~/routes/chat.$slug.events[.]stream";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestRoom, insertMessages } from "../support/chat-factories";
import { createTestUser } from "../support/factories";

beforeEach(() => resetAllLimits());

type SseEvent = { id: string | null; event: string; data: { id?: number; html?: string | null; deleted?: string | null; count?: number } };

/** Opens a room's stream the way a browser would, and reads its events. */
async function openStream(slug: string, init: { lastEventId?: string; query?: string } = {}) {
  const abort = new AbortController();
  const headers = new Headers(init.lastEventId ? { "Last-Event-ID": init.lastEventId } : {});
  const request = new Request(`http://chat.test/chat/${slug}/events.stream${init.query ?? ""}`, { headers, signal: abort.signal });
  const response = (await streamLoader({ request, params: { slug }, context: {} } as never)) as Response;
  expect(response.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: SseEvent[] = [];
  let buffer = "";
  let pending: Promise<ReadableStreamReadResult<Uint8Array>> | null = null;
  /** Reads until `done(events)` holds, or fails after a while. */
  const readUntil = async (done: (events: SseEvent[]) => boolean, timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (!done(events)) {
      if (Date.now() > deadline) throw new Error(`stream timed out with ${JSON.stringify(events.map((e) => [e.event, e.id]))}`);
      // One read at a time: a read abandoned by the timeout would swallow the next chunk.
      pending ??= reader.read();
      const chunk = await Promise.race([pending, new Promise<null>((resolve) => setTimeout(() => resolve(null), 200))]);
      if (!chunk) continue;
      pending = null;
      if (chunk.done) throw new Error("stream ended");
      buffer += decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = Object.fromEntries(block.split("\n").filter((l) => !l.startsWith(":") && l.includes(":")).map((l) => [l.slice(0, l.indexOf(":")), l.slice(l.indexOf(":") + 1).trim()]));
        if (fields.event) events.push({ id: fields.id ?? null, event: fields.event, data: JSON.parse(fields.data ?? "null") as SseEvent["data"] });
      }
    }
    return events;
  };
  return { events, readUntil, close: () => abort.abort() };
}

const messageIds = (events: SseEvent[]) => events.filter((e) => e.event === "message").map((e) => Number(e.id));

describe("the room stream", () => {
  it("replays every missed message after Last-Event-ID in order, with changes since, then live ones, none twice", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const t = Date.now();
    const send = async (body: string, offset: number) => {
      const result = await sendMessage(author, room, { body }, new Date(t + offset * 1000));
      if (!result.ok) throw new Error(result.message);
      return result.id;
    };
    const m1 = await send("one", 0);
    const m2 = await send("two", 3);
    await editMessage(author, m1, "one, edited before the client left"); // the client saw this
    const m3 = await send("three", 6);
    // The client's connection drops here, after it received m3.
    const m4 = await send("four", 9);
    await editMessage(author, m2, "two, edited while the client was away");
    const m5 = await send("five", 12);
    await deleteOwnMessage(author, m3);

    const stream = await openStream(room.slug, { lastEventId: String(m3) });
    // A message sent while the stream is replaying must arrive exactly once.
    const during = send("six, sent during the replay", 15);
    const m6 = await during;
    await stream.readUntil((events) => messageIds(events).includes(m6));
    const m7 = await send("seven, live", 18);
    const events = await stream.readUntil((all) => messageIds(all).includes(m7));
    stream.close();

    expect(messageIds(events)).toEqual([m4, m5, m6, m7]);
    const updates = events.filter((e) => e.event === "update").map((e) => e.data);
    expect(updates.map((u) => u.id).sort()).toEqual([m2, m3].sort());
    expect(updates.find((u) => u.id === m2)?.html).toContain("edited while the client was away");
    expect(updates.find((u) => u.id === m3)).toMatchObject({ deleted: "author", html: null });
    // Updates carry no id, so the browser's Last-Event-ID only moves over messages.
    expect(events.filter((e) => e.event !== "message").every((e) => e.id === null)).toBe(true);
    expect(events.some((e) => e.event === "update" && e.data.id === m1)).toBe(false);
  });

  it("starts a first connection after ?lastEventId= (the newest message the page showed), and replays nothing without one", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const ids = await insertMessages(room.id, [author.id], [1, 2, 3].map((i) => new Date(Date.now() - (10 - i) * 1000)));
    const resumed = await openStream(room.slug, { query: `?lastEventId=${ids[0]}` });
    const events = await resumed.readUntil((all) => messageIds(all).length === 2);
    resumed.close();
    expect(messageIds(events)).toEqual(ids.slice(1));

    const fresh = await openStream(room.slug);
    await fresh.readUntil((all) => all.some((e) => e.event === "presence"));
    const live = await sendMessage(author, room, { body: "hello" });
    if (!live.ok) throw new Error(live.message);
    const freshEvents = await fresh.readUntil((all) => messageIds(all).includes(live.id));
    fresh.close();
    expect(messageIds(freshEvents)).toEqual([live.id]);
  });

  it("asks the client to reload instead of replaying an enormous gap", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const ids = await insertMessages(room.id, [author.id], Array.from({ length: REPLAY_MAX + 2 }, (_, i) => new Date(Date.now() - 100_000 + i)));
    const stream = await openStream(room.slug, { lastEventId: String(ids[0]) });
    const events = await stream.readUntil((all) => all.some((e) => e.event === "reload"));
    stream.close();
    expect(messageIds(events)).toEqual([]);
  });

  it("counts connected viewers as presence and tells everyone when it changes", async () => {
    const room = await createTestRoom();
    const first = await openStream(room.slug);
    await first.readUntil((all) => all.some((e) => e.event === "presence" && e.data.count === 1));
    const second = await openStream(room.slug);
    await second.readUntil((all) => all.some((e) => e.event === "presence" && e.data.count === 2));
    await first.readUntil((all) => all.some((e) => e.event === "presence" && e.data.count === 2));
    expect(viewerCount(room.id)).toBe(2);
    second.close();
    await first.readUntil((all) => all.filter((e) => e.event === "presence").at(-1)?.data.count === 1);
    expect(viewerCount(room.id)).toBe(1);
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(viewerCount(room.id)).toBe(0);
  });
});

describe("a closed connection ends the stream", () => {
  it("unsubscribes when the connection closes, even if the request copy's signal never aborts", async () => {
    const room = await createTestRoom();
    const closed = new AbortController();
    // No signal on the request: what a loader sees when the copy Remix hands it misses the abort.
    const request = new Request(`http://chat.test/chat/${room.slug}/events.stream`);
    const response = (await streamLoader({ request, params: { slug: room.slug }, context: { connectionClosed: closed.signal } } as never)) as Response;
    const reader = response.body!.getReader();
    await reader.read();
    await expect.poll(() => viewerCount(room.id)).toBe(1);
    closed.abort();
    await expect.poll(() => viewerCount(room.id)).toBe(0);
    const rest = await Promise.race([
      (async () => {
        for (;;) if ((await reader.read()).done) return "ended";
      })(),
      new Promise((resolve) => setTimeout(() => resolve("still open"), 3000)),
    ]);
    expect(rest).toBe("ended");
  });
});
