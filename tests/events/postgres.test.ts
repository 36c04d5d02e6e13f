import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installEventBus } from "~/events/bus.server";
import { createPostgresBus } from "~/events/pg-bus.server";
import type { EventBus } from "~/events/types";
import { findPostgres, startPostgres, type PostgresServer } from "../support/postgres";
import { defineBusSuite } from "./bus-suite";
import { collect, openClient, waitFor } from "./helpers";
import { defineStreamSuite } from "./stream-suite";

// The PostgreSQL LISTEN/NOTIFY bus: the same suites as the in-process bus,
// plus what only several instances and a real connection can show. Runs
// against a throwaway cluster; skipped, and said so, where PostgreSQL is not
// installed (CI installs it: .ci/run).
const installed = findPostgres() !== null;
if (!installed) {
  console.warn("PostgreSQL is not installed: the PostgreSQL event bus tests are SKIPPED (apt-get install -y postgresql).");
}

describe.skipIf(!installed)("PostgreSQL events", () => {
  let server: PostgresServer;
  const fastReconnect = { first: 20, max: 200 };
  const makeBus = () => createPostgresBus({ databaseUrl: server.url, reconnectDelayMs: fastReconnect });

  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  defineBusSuite("PostgreSQL", makeBus);
  defineStreamSuite("PostgreSQL", makeBus);

  describe("across instances", () => {
    const open: EventBus[] = [];
    const instance = async () => {
      const bus = makeBus();
      open.push(bus);
      await bus.ready();
      return bus;
    };
    afterAll(async () => {
      await Promise.all(open.map((bus) => bus.close()));
    });

    it("delivers each instance's events to the other, in one order for everyone", async () => {
      const [first, second] = [await instance(), await instance()];
      const onFirst = collect(first, "room:1");
      const onSecond = collect(second, "room:1");
      for (let n = 1; n <= 50; n++) (n % 2 ? first : second).publish("room:1", { type: "message", data: { n } });
      await waitFor(() => onFirst.events.length === 50 && onSecond.events.length === 50, "50 events on both instances");
      expect(onSecond.events).toEqual(onFirst.events);
      // Each instance's own events keep their relative order.
      const odd = onFirst.events.map((event) => (event.data as { n: number }).n).filter((n) => n % 2);
      expect(odd).toEqual([...odd].sort((a, b) => a - b));
    });

    it("keeps identical events apart (PostgreSQL merges identical notifications of one transaction)", async () => {
      const [first, second] = [await instance(), await instance()];
      const seen = collect(second, "topic:2");
      for (let n = 0; n < 5; n++) first.publish("topic:2", { type: "edit", data: { number: 1 } });
      await waitFor(() => seen.events.length === 5, "five identical events");
    });

    it("sends what is queued before closing", async () => {
      const [first, second] = [await instance(), await instance()];
      const seen = collect(second, "room:3");
      for (let id = 1; id <= 20; id++) first.publish("room:3", { type: "message", id: String(id), data: null });
      await first.close();
      await waitFor(() => seen.events.length === 20, "20 events sent before close");
    });

    it("reconnects after its LISTEN connection is killed and tells subscribers to resume", async () => {
      const [bus, other] = [await instance(), await instance()];
      let interruptions = 0;
      const seen: string[] = [];
      bus.subscribe("room:4", (event) => seen.push(event.id!), { onInterruption: () => interruptions++ });
      const restore = installEventBus(bus);
      const client = openClient("room:4");
      try {
        await waitFor(() => bus.listenerCount("room:4") === 2, "two subscribers");
        const killed = await server.query<{ pid: number }>(
          "SELECT pid FROM pg_stat_activity WHERE application_name = 'threadline-events-listen' AND pid <> pg_backend_pid()",
        );
        expect(killed.length).toBeGreaterThanOrEqual(2);
        // Kill every listener: this instance's and the other one's.
        await server.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'threadline-events-listen'");
        await waitFor(() => interruptions === 1, "interruption after reconnect");
        // The live stream ended so that its client reconnects and replays.
        await waitFor(() => client.state.done, "stream end");
        other.publish("room:4", { type: "message", id: "1", data: null });
        await waitFor(() => seen.includes("1"), "delivery after reconnect");
        expect(bus.listenerCount("room:4")).toBe(1);
      } finally {
        restore();
      }
    });

    it("replays only once its LISTEN connection is up, on a bus started by the stream itself", async () => {
      const other = await instance();
      const fresh = makeBus(); // not started: the stream's subscription starts it
      open.push(fresh);
      const restore = installEventBus(fresh);
      try {
        const client = openClient("room:6", {
          lastEventId: "1",
          options: {
            replay: async () => {
              // Sent after the replay's read: only the live path can bring it.
              other.publish("room:6", { type: "message", id: "2", data: null });
              return [];
            },
          },
        });
        await waitFor(() => client.ids().includes("2"), "the event sent during replay");
        client.abort();
      } finally {
        restore();
      }
    });

    it("rejects ready() when the database cannot be reached, and stops retrying once closed", async () => {
      const unreachable = createPostgresBus({ databaseUrl: `postgres://postgres@127.0.0.1:1/postgres`, reconnectDelayMs: fastReconnect });
      await expect(unreachable.ready()).rejects.toThrow();
      expect(() => unreachable.publish("room:5", { type: "message", data: null })).not.toThrow();
      await unreachable.close();
    });
  });
});
