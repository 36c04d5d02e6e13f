import { afterEach, describe, expect, it } from "vitest";
import { MAX_EVENT_BYTES, TRIMMED_DATA } from "~/events/payload.server";
import type { EventBus } from "~/events/types";
import { collect, waitFor } from "./helpers";

/** The behaviour every event bus must have; run once per backend. */
export function defineBusSuite(name: string, makeBus: () => EventBus) {
  describe(`${name} bus`, () => {
    const open: EventBus[] = [];
    const create = async () => {
      const bus = makeBus();
      open.push(bus);
      await bus.ready();
      return bus;
    };
    afterEach(async () => {
      await Promise.all(open.splice(0).map((bus) => bus.close()));
    });

    it("delivers to the subscribers of the channel and no other", async () => {
      const bus = await create();
      const first = collect(bus, "room:1");
      const second = collect(bus, "room:1");
      const other = collect(bus, "room:2");
      bus.publish("room:1", { type: "message", id: "1", data: { text: "hello" } });
      bus.publish("room:2", { type: "fence", data: null });
      await waitFor(() => other.events.length === 1 && first.events.length === 1 && second.events.length === 1, "delivery");
      expect(first.events).toEqual([{ type: "message", id: "1", data: { text: "hello" } }]);
      expect(second.events).toEqual(first.events);
      expect(other.events.map((event) => event.type)).toEqual(["fence"]);
    });

    it("keeps the order events were published in", async () => {
      const bus = await create();
      const seen = collect(bus, "topic:7");
      const ids = Array.from({ length: 300 }, (_, index) => String(index + 1));
      for (const id of ids) bus.publish("topic:7", { type: "post", id, data: { number: Number(id) } });
      await waitFor(() => seen.events.length === ids.length, "300 events");
      expect(seen.ids()).toEqual(ids);
    });

    it("stops delivering after unsubscribe and counts listeners back to zero", async () => {
      const bus = await create();
      expect(bus.listenerCount("board:3")).toBe(0);
      const kept = collect(bus, "board:3");
      const dropped = collect(bus, "board:3");
      expect(bus.listenerCount("board:3")).toBe(2);
      dropped.unsubscribe();
      dropped.unsubscribe(); // twice is harmless
      expect(bus.listenerCount("board:3")).toBe(1);
      bus.publish("board:3", { type: "topic", data: { topicId: 1 } });
      await waitFor(() => kept.events.length === 1, "delivery to the remaining listener");
      expect(dropped.events).toEqual([]);
      kept.unsubscribe();
      expect(bus.listenerCount("board:3")).toBe(0);
    });

    it("isolates a throwing listener from the publisher and the other listeners", async () => {
      const bus = await create();
      bus.subscribe("room:9", () => {
        throw new Error("listener bug");
      });
      const healthy = collect(bus, "room:9");
      expect(() => bus.publish("room:9", { type: "message", id: "1", data: null })).not.toThrow();
      bus.publish("room:9", { type: "message", id: "2", data: null });
      await waitFor(() => healthy.events.length === 2, "both events");
      expect(healthy.ids()).toEqual(["1", "2"]);
    });

    it("delivers JSON copies: what crosses the database is what arrives in-process too", async () => {
      const bus = await create();
      const seen = collect(bus, "room:4");
      const data = { at: new Date("2026-01-02T03:04:05Z"), nested: { n: 1 }, missing: undefined };
      bus.publish("room:4", { type: "message", id: "5", data });
      await waitFor(() => seen.events.length === 1, "delivery");
      expect(seen.events[0]).toEqual({ type: "message", id: "5", data: { at: "2026-01-02T03:04:05.000Z", nested: { n: 1 } } });
      expect(seen.events[0]!.data).not.toBe(data);
    });

    it("trims the data of an event over the NOTIFY size limit and keeps its type and id", async () => {
      const bus = await create();
      const seen = collect(bus, "room:5");
      const fits = "x".repeat(MAX_EVENT_BYTES - 200);
      bus.publish("room:5", { type: "message", id: "1", data: { text: fits } });
      bus.publish("room:5", { type: "message", id: "2", data: { text: "é".repeat(MAX_EVENT_BYTES) } });
      const circular: Record<string, unknown> = {};
      circular.self = circular;
      expect(() => bus.publish("room:5", { type: "message", id: "3", data: circular })).not.toThrow();
      bus.publish("room:5", { type: "message", id: "4", data: { text: "after" } });
      await waitFor(() => seen.events.length === 3, "three deliverable events");
      expect(seen.events[0]).toEqual({ type: "message", id: "1", data: { text: fits } });
      expect(seen.events[1]).toEqual({ type: "message", id: "2", data: TRIMMED_DATA });
      expect(seen.events[2]).toEqual({ type: "message", id: "4", data: { text: "after" } });
    });
  });
}
