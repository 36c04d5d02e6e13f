import http from "node:http";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { viewerCount } from "~/chat/presence.server";
import { sendMessage } from "~/chat/send.server";
import { createTopic } from "~/forums/posting.server";
import { serveLiveStream } from "~/utils/live-streams.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestRoom, insertMessages } from "../support/chat-factories";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";
import { listenOnLoopback } from "../support/loopback-server";

// The production fast path for stream URLs, over a real socket: what
// server.ts mounts ahead of the app. Anything it does not serve falls through.
let port: number;
let closeServer: () => Promise<void>;

beforeAll(async () => {
  const app = express();
  app.get(/\/events\.stream$/, (req, res, next) => {
    serveLiveStream(req, res).then((served) => (served ? undefined : next()), next);
  });
  app.use((_req, res) => res.status(404).type("text/plain").send("fell through"));
  ({ port, close: closeServer } = await listenOnLoopback(app));
});

afterAll(async () => {
  await closeServer();
});

beforeEach(() => resetAllLimits());

type Received = { status: number; headers: http.IncomingHttpHeaders; text: () => string; close: () => void; closed: () => boolean };

function get(path: string, headers: Record<string, string> = {}): Promise<Received> {
  return new Promise((resolve, reject) => {
    let body = "";
    let ended = false;
    const request = http.get({ host: "127.0.0.1", port, path, headers }, (response) => {
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("close", () => (ended = true));
      resolve({ status: response.statusCode!, headers: response.headers, text: () => body, close: () => request.destroy(), closed: () => ended });
    });
    request.on("error", (error) => (ended ? undefined : reject(error)));
  });
}

const ids = (text: string) => [...text.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));

describe("stream URLs served straight to the socket", () => {
  it("streams a room: replay after Last-Event-ID, then live messages, with presence", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const [first, second] = await insertMessages(room.id, [author.id], [new Date(Date.now() - 2_000), new Date(Date.now() - 1_000)]);
    const stream = await get(`/chat/${room.slug}/events.stream`, { "Last-Event-ID": String(first) });
    expect(stream.status).toBe(200);
    expect(stream.headers["content-type"]).toMatch(/^text\/event-stream/);
    expect(stream.headers["cache-control"]).toContain("no-transform");
    expect(stream.headers["transfer-encoding"]).toBeUndefined();
    await expect.poll(() => ids(stream.text())).toEqual([second]);
    await expect.poll(() => viewerCount(room.id)).toBe(1);
    await expect.poll(() => /event: presence\ndata: \{"count":1\}/.test(stream.text())).toBe(true);

    const sent = await sendMessage(author, room, { body: "live over the socket" });
    if (!sent.ok) throw new Error(sent.message);
    await expect.poll(() => ids(stream.text())).toEqual([second, sent.id]);
    expect(stream.text()).toContain("live over the socket");

    stream.close();
    await expect.poll(() => viewerCount(room.id)).toBe(0);
  });

  it("streams a topic, and leaves unknown rooms, topics and other URLs to the app", async () => {
    const created = await createTopic(await createTestUser(), (await createTestBoard()).id, { title: "Streams of a topic", body: "Replies arrive live." });
    if (!created.ok) throw new Error("no topic");
    const stream = await get(`/t/${created.topicId}/events.stream`);
    expect(stream.status).toBe(200);
    await expect.poll(() => stream.text()).toContain("retry: ");
    stream.close();

    for (const path of ["/chat/no-such-room/events.stream", "/t/999999999/events.stream", "/t/abc/events.stream", "/chat/%E0%A4%A/events.stream", "/x/events.stream"]) {
      const response = await get(path);
      await expect.poll(() => response.closed()).toBe(true);
      expect([path, response.status, response.text()]).toEqual([path, 404, "fell through"]);
    }
  });

  it("ends the stream and the room's presence when the client goes away", async () => {
    const room = await createTestRoom();
    const streams = await Promise.all(Array.from({ length: 20 }, () => get(`/chat/${room.slug}/events.stream`)));
    await expect.poll(() => viewerCount(room.id)).toBe(20);
    // Presence is coalesced: the last announcement carries the final count.
    await expect.poll(() => streams.every((s) => [...s.text().matchAll(/"count":(\d+)/g)].at(-1)?.[1] === "20"), { timeout: 5_000 }).toBe(true);
    // One announcement per arrival would be 20 events on the first stream (N²/2 in all).
    expect([...streams[0]!.text().matchAll(/event: presence/g)].length).toBeLessThan(5);
    for (const stream of streams) stream.close();
    await expect.poll(() => viewerCount(room.id)).toBe(0);
  });
});
