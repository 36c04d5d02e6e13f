import http from "node:http";
import net from "node:net";
import { writeReadableStreamToWritable } from "@remix-run/node";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installEventBus, listenerCount, publish } from "~/events/bus.server";
import { createMemoryBus } from "~/events/memory-bus.server";
import { closeSlowEventStreams } from "~/events/slow-streams.server";
import { serveEventStream } from "~/events/node-sse.server";
import { eventStream } from "~/events/sse.server";
import { listenOnLoopback } from "../support/loopback-server";
import { waitFor } from "./helpers";

// Over real sockets, both ways the server serves a stream: "/events" as
// Remix's Express adapter does (the body is copied into the response without
// waiting for the socket to drain, so a client that stops reading is caught
// by the server-side guard), and "/direct" written straight to the response
// (serveEventStream, what server.ts uses for stream URLs).
const channel = "room:http";
const backlog = 64 * 1024; // hard limit: four times that
let port: number;
let closeServer: () => Promise<void>;
let restoreBus: () => void;

beforeAll(async () => {
  restoreBus = installEventBus(createMemoryBus());
  const app = express();
  app.use(closeSlowEventStreams({ backlogBytes: backlog, stallMs: 200 }));
  app.get("/events", async (req, res) => {
    // As @remix-run/express does: abort the request when the response closes.
    const abort = new AbortController();
    res.on("close", () => abort.abort());
    const request = new Request(`http://localhost${req.url}`, { signal: abort.signal });
    // ?replay=N: the client missed N messages of 1 KB, sent in one burst before live ones.
    const missed = Number(new URL(request.url).searchParams.get("replay") ?? 0);
    const rows = Array.from({ length: missed }, (_, index) => ({ type: "message", id: String(index + 1), data: { text: "m".repeat(1_000) } }));
    const response = eventStream(request, channel, [], missed ? { replay: async () => rows } : {});
    res.status(response.status);
    response.headers.forEach((value, name) => res.setHeader(name, value));
    res.flushHeaders();
    await writeReadableStreamToWritable(response.body!, res).catch(() => {});
  });
  app.get("/direct", (req, res) => {
    const missed = Number(new URL(req.url, "http://localhost").searchParams.get("replay") ?? 0);
    const rows = Array.from({ length: missed }, (_, index) => ({ type: "message", id: String(index + 1), data: { text: "m".repeat(1_000) } }));
    serveEventStream(req, res, channel, [], { backlogBytes: backlog, stallMs: 200, ...(missed ? { replay: async () => rows } : {}) });
  });
  ({ port, close: closeServer } = await listenOnLoopback(app));
});

afterAll(async () => {
  await closeServer();
  restoreBus();
});

describe.each(["/events", "/direct"])("a stream served at %s", (base) => {
  it("closes a stalled client's connection while a reading client gets every event", async () => {
    // The stalled client sends its request, then never reads.
    const stalled = net.connect(port, "127.0.0.1");
    stalled.write(`GET ${base} HTTP/1.1\r\nHost: localhost\r\nAccept: text/event-stream\r\n\r\n`);
    stalled.pause();
    let stalledClosed = false;
    stalled.on("close", () => (stalledClosed = true));
    stalled.on("error", () => {});

    let received = "";
    const reader = http.get({ host: "127.0.0.1", port, path: base }, (response) => {
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (received += chunk));
    });
    reader.on("error", () => {});
    await waitFor(() => listenerCount(channel) === 2, "both clients subscribed");

    const text = "z".repeat(4_000);
    let published = 0;
    while (listenerCount(channel) === 2 && published < 20_000) {
      for (let burst = 0; burst < 4; burst++) publish(channel, { type: "message", id: String(++published), data: { text } });
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(listenerCount(channel)).toBe(1);
    // Reading now drains what the kernel held, then meets the end of a closed connection.
    let stalledBytes = 0;
    stalled.on("data", (chunk: Buffer) => (stalledBytes += chunk.length));
    stalled.resume();
    await waitFor(() => stalledClosed, "the stalled connection to close");
    expect(stalledBytes).toBeLessThan(published * 4_000);
    await waitFor(() => received.includes(`id: ${published}\n`), "the reading client to get the last event");
    const ids = [...received.matchAll(/^id: (\d+)$/gm)].map((match) => Number(match[1]));
    expect(ids).toEqual(Array.from({ length: published }, (_, index) => index + 1));
    reader.destroy();
    await waitFor(() => listenerCount(channel) === 0, "no subscriber left");
    console.info(`stalled client closed after ${published} events (${((published * 4_000) / 1e6).toFixed(1)} MB)`);
  });

  it("lets a reading client take a replay burst larger than the backlog limit", async () => {
    let received = "";
    let ended = false;
    const reader = http.get({ host: "127.0.0.1", port, path: `${base}?replay=200` }, (response) => {
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (received += chunk));
      response.on("close", () => (ended = true));
    });
    reader.on("error", () => {});
    await waitFor(() => received.includes("id: 200\n"), "the 200 KB replay");
    expect(ended).toBe(false);
    expect(listenerCount(channel)).toBe(1);
    reader.destroy();
    await waitFor(() => listenerCount(channel) === 0, "no subscriber left");
  });
});
