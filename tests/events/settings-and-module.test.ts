import { afterEach, describe, expect, it } from "vitest";
import { closeEventBus, listenerCount, publish, startEventBus, subscribe } from "~/events/bus.server";
import { parseEventSettings } from "~/events/settings.server";

describe("EVENTS_* settings", () => {
  it("defaults to the in-process bus with a 256 KB client backlog", () => {
    expect(parseEventSettings({})).toEqual({ backend: "memory", clientBacklogBytes: 256 * 1024 });
  });

  it("reads the PostgreSQL backend, its URL and channel", () => {
    expect(
      parseEventSettings({ EVENTS_BACKEND: "postgres", EVENTS_DATABASE_URL: "postgres://u:p@db:5432/tl", EVENTS_CLIENT_BACKLOG_KB: "64" }),
    ).toEqual({ backend: "postgres", databaseUrl: "postgres://u:p@db:5432/tl", channel: "threadline_events", clientBacklogBytes: 64 * 1024 });
  });

  it("names the setting that is wrong", () => {
    expect(() => parseEventSettings({ EVENTS_BACKEND: "redis" })).toThrow(/EVENTS_BACKEND/);
    expect(() => parseEventSettings({ EVENTS_BACKEND: "postgres" })).toThrow(/EVENTS_DATABASE_URL/);
    expect(() => parseEventSettings({ EVENTS_BACKEND: "postgres", EVENTS_DATABASE_URL: "postgres://db/tl", EVENTS_CHANNEL: "Bad-Name" })).toThrow(
      /EVENTS_CHANNEL/,
    );
    expect(() => parseEventSettings({ EVENTS_CLIENT_BACKLOG_KB: "lots" })).toThrow(/EVENTS_CLIENT_BACKLOG_KB/);
  });
});

describe("the process-wide bus", () => {
  afterEach(async () => {
    delete process.env.EVENTS_BACKEND;
    await closeEventBus();
  });

  it("starts in-process by default, and a closed bus is replaced on next use", async () => {
    await startEventBus();
    const seen: unknown[] = [];
    const stop = subscribe("topic:1", (event) => seen.push(event.id));
    publish("topic:1", { type: "post", id: "1", data: null });
    expect(seen).toEqual(["1"]);
    expect(listenerCount("topic:1")).toBe(1);
    await closeEventBus();
    expect(listenerCount("topic:1")).toBe(0);
    stop();
    const again = subscribe("topic:1", (event) => seen.push(event.id));
    publish("topic:1", { type: "post", id: "2", data: null });
    expect(seen).toEqual(["1", "2"]);
    again();
  });

  it("never throws into the publisher, even when the bus cannot be created", async () => {
    await closeEventBus();
    process.env.EVENTS_BACKEND = "nonsense";
    expect(() => publish("topic:1", { type: "post", data: null })).not.toThrow();
    await expect(startEventBus()).rejects.toThrow(/EVENTS_BACKEND/);
  });
});
