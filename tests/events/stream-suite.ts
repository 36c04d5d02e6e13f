import v8 from "node:v8";
import vm from "node:vm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { installEventBus, listenerCount, publish } from "~/events/bus.server";
import { liveStreamStats } from "~/events/sse.server";
import type { EventBus, LiveEvent } from "~/events/types";
import { openClient, sleep, waitFor } from "./helpers";

// A real garbage collector call for the heap check, without a command-line flag.
v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;

/** A channel's messages as a database would keep them, for replay. */
function messageStore(channel: string) {
  const rows: LiveEvent[] = [];
  return {
    rows,
    add(count: number) {
      for (let index = 0; index < count; index++) {
        const event: LiveEvent = { type: "message", id: String(rows.length + 1), data: { n: rows.length + 1 } };
        rows.push(event);
        publish(channel, event);
      }
    },
    after(lastEventId: string | null) {
      const last = lastEventId === null ? 0 : Number(lastEventId);
      return rows.filter((row) => Number(row.id) > last);
    },
  };
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => String(from + index));

/** eventStream() over a given bus: resume, cleanup and slow clients. */
export function defineStreamSuite(name: string, makeBus: () => EventBus) {
  describe(`live-update streams over the ${name} bus`, () => {
    let bus: EventBus;
    let restore: () => void;
    beforeEach(async () => {
      bus = makeBus();
      await bus.ready();
      restore = installEventBus(bus);
    });
    afterEach(async () => {
      restore();
      await bus.close();
    });

    it("sends the replay, then live events, with no gap when events arrive during a slow replay", async () => {
      const store = messageStore("room:1");
      store.add(5);
      const client = openClient("room:1", {
        lastEventId: "2",
        options: {
          replay: async (lastEventId) => {
            const snapshot = store.after(lastEventId); // read before the events below are published
            store.add(5);
            await sleep(80);
            return snapshot;
          },
        },
      });
      await waitFor(() => client.ids().length === 8, "ids 3 to 10");
      store.add(2);
      await waitFor(() => client.ids().length === 10, "ids 3 to 12");
      expect(client.ids()).toEqual(range(3, 12));
      client.abort();
    });

    it("sends no duplicate when the replay already holds events that also arrived live", async () => {
      const store = messageStore("room:2");
      store.add(3);
      const client = openClient("room:2", {
        lastEventId: "1",
        options: {
          replay: async (lastEventId) => {
            store.add(4);
            await sleep(80);
            return store.after(lastEventId); // read after: overlaps the held live events
          },
        },
      });
      await waitFor(() => client.ids().length >= 6, "ids 2 to 7");
      store.add(1);
      await waitFor(() => client.ids().includes("8"), "id 8");
      expect(client.ids()).toEqual(range(2, 8));
      client.abort();
    });

    it("paces a long replay by the reader instead of closing the client as slow", async () => {
      const rows: LiveEvent[] = Array.from({ length: 300 }, (_, index) => ({ type: "message", id: String(index + 1), data: { text: "r".repeat(1_000) } }));
      const client = openClient("room:long", { lastEventId: "0", options: { backlogBytes: 32 * 1024, replay: async () => rows } });
      await waitFor(() => client.ids().length === 300, "300 replayed events", 10_000);
      publish("room:long", { type: "message", id: "301", data: null });
      await waitFor(() => client.ids().length === 301, "the live event after the replay");
      expect(client.ids()).toEqual(range(1, 301));
      expect(client.state.error).toBeNull();
      client.abort();
    });

    it("reads Last-Event-ID from the header, or from the lastEventId query parameter on a first connect", async () => {
      const asked: (string | null)[] = [];
      const replay = async (lastEventId: string | null) => {
        asked.push(lastEventId);
        return [];
      };
      const clients = [
        openClient("room:3", { lastEventId: "41", options: { replay } }),
        openClient("room:3", { url: "http://localhost/events.stream?lastEventId=17", options: { replay } }),
        openClient("room:3", { url: "http://localhost/events.stream?lastEventId=17", lastEventId: "40", options: { replay } }),
        openClient("room:3", { options: { replay } }),
      ];
      await waitFor(() => asked.length === 4, "four replays");
      expect(asked).toEqual(["41", "17", "40", null]);
      for (const client of clients) client.abort();
    });

    it("keeps today's behaviour without replay: retry hint, initial events, then live ones", async () => {
      const client = openClient("topic:5", { initial: [{ type: "hello", data: { n: 0 } }] });
      await waitFor(() => bus.listenerCount("topic:5") === 1, "subscription");
      publish("topic:5", { type: "post", id: "3", data: { number: 3 } });
      await waitFor(() => client.events().length === 2, "two events");
      expect(client.frames[0]).toEqual({ retry: 3000 });
      expect(client.events()).toEqual([
        { event: "hello", data: { n: 0 } },
        { id: "3", event: "post", data: { number: 3 } },
      ]);
      client.abort();
      await waitFor(() => client.state.done, "stream end");
      expect(bus.listenerCount("topic:5")).toBe(0);
    });

    it("closes the stream when the replay fails, so the client retries", async () => {
      const client = openClient("room:6", {
        options: {
          replay: async () => {
            throw new Error("database unavailable");
          },
        },
      });
      await waitFor(() => client.state.done, "stream end");
      expect(bus.listenerCount("room:6")).toBe(0);
    });

    it("returns listeners, timers and memory to baseline after 1,000 clients connect and leave", async () => {
      const channel = "room:crowd";
      const warmup = openClient(channel);
      warmup.abort();
      await waitFor(() => warmup.state.done, "warm-up stream end");
      gc();
      const baseline = process.memoryUsage().heapUsed;

      let clients = Array.from({ length: 1_000 }, () => openClient(channel));
      expect(listenerCount(channel)).toBe(1_000);
      expect(liveStreamStats()).toEqual({ open: 1_000, heartbeatTimer: true });
      publish(channel, { type: "message", id: "1", data: { text: "to everyone" } });
      await waitFor(() => clients.every((client) => client.events().length === 1), "delivery to 1,000 clients");
      clients.forEach((client, index) => (index % 2 ? client.abort() : void client.cancel()));
      await waitFor(() => clients.every((client) => client.state.done), "1,000 stream ends");
      expect(listenerCount(channel)).toBe(0);
      expect(liveStreamStats()).toEqual({ open: 0, heartbeatTimer: false });

      clients = [];
      await sleep(10);
      gc();
      const grown = process.memoryUsage().heapUsed - baseline;
      expect(grown).toBeLessThan(3 * 1024 * 1024);
    });

    it("closes a client that stops reading without delaying one that reads", async () => {
      const channel = "room:slow";
      const backlogBytes = 32 * 1024;
      const slow = openClient(channel, { read: false, options: { backlogBytes } });
      const fast = openClient(channel);
      expect(listenerCount(channel)).toBe(2);
      const text = "y".repeat(1_000);
      const started = Date.now();
      // A busy room: bursts of ten messages, with the event loop turning in between.
      for (let id = 1; id <= 200; id++) {
        publish(channel, { type: "message", id: String(id), data: { text } });
        if (id % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      await waitFor(() => fast.events().length === 200, "200 events on the fast client");
      const elapsed = Date.now() - started;
      expect(fast.ids()).toEqual(range(1, 200));
      expect(elapsed).toBeLessThan(2_000);
      await waitFor(() => listenerCount(channel) === 1, "the slow client's removal");
      // The slow client's stream was ended with an error; its queue is discarded.
      await expect(slow.reader.read()).rejects.toThrow(/behind/);
      fast.abort();
      expect(listenerCount(channel)).toBe(0);
    });
  });
}
