import { prepareEvent } from "./payload.server";
import { Subscribers } from "./subscribers.server";
import type { EventBus, LiveEvent } from "./types";

/**
 * Events inside one process: the default, for a single machine. Delivery is
 * synchronous and in publish order. Subscribers receive the same JSON copy
 * the PostgreSQL bus would deliver, so both behave alike (dates become
 * strings, oversized data is trimmed).
 */
export function createMemoryBus(): EventBus {
  const subscribers = new Subscribers();
  return {
    publish(channel, event) {
      const prepared = prepareEvent(channel, event);
      if (prepared && subscribers.has(channel)) subscribers.deliver(channel, JSON.parse(prepared.json) as LiveEvent);
    },
    subscribe: (channel, listener, options) => subscribers.add(channel, listener, options),
    listenerCount: (channel) => subscribers.count(channel),
    ready: () => Promise.resolve(),
    async close() {
      subscribers.clear();
    },
  };
}
