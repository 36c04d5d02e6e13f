import { afterEach, expect, it, vi } from "vitest";
import { installEventBus } from "~/events/bus.server";
import { createMemoryBus } from "~/events/memory-bus.server";
import { liveStreamStats } from "~/events/sse.server";
import { defineBusSuite } from "./bus-suite";
import { openClient, waitFor } from "./helpers";
import { defineStreamSuite } from "./stream-suite";

// The in-process bus (the default): the shared suites, always run.
defineBusSuite("in-process", createMemoryBus);
defineStreamSuite("in-process", createMemoryBus);

afterEach(() => {
  vi.useRealTimers();
});

it("sends a keep-alive comment every 25 s from one shared timer, stopped with the last stream", async () => {
  vi.useFakeTimers({ toFake: ["setInterval", "clearInterval"] });
  const restore = installEventBus(createMemoryBus());
  const clients = [openClient("topic:1"), openClient("topic:2")];
  expect(vi.getTimerCount()).toBe(1);
  vi.advanceTimersByTime(25_000);
  await waitFor(() => clients.every((client) => client.frames.some((frame) => frame.comment === "keep-alive")), "keep-alive on both");
  for (const client of clients) client.abort();
  expect(liveStreamStats()).toEqual({ open: 0, heartbeatTimer: false });
  expect(vi.getTimerCount()).toBe(0);
  restore();
});
