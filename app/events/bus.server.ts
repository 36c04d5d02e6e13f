import { logger } from "~/utils/logger.server";
import { createMemoryBus } from "./memory-bus.server";
import { createPostgresBus } from "./pg-bus.server";
import { parseEventSettings } from "./settings.server";
import type { EventBus, LiveEvent, Listener, SubscribeOptions } from "./types";

/**
 * Live updates: forum replies and edits, chat messages. One process uses the
 * in-process bus (the default); several app instances behind one load
 * balancer share events through PostgreSQL LISTEN/NOTIFY
 * (EVENTS_BACKEND=postgres, see pg-bus.server.ts). Callers only see the
 * functions below.
 */
export type { EventBus, LiveEvent, Listener, SubscribeOptions } from "./types";

// One bus per process, kept across dev-server reloads and shared by every
// copy of this module (the server build and server.ts may load their own).
const globalForBus = globalThis as unknown as { threadlineEventBus?: EventBus };

function createFromSettings(): EventBus {
  const settings = parseEventSettings(process.env);
  if (settings.backend === "postgres") {
    return createPostgresBus({ databaseUrl: settings.databaseUrl, channel: settings.channel });
  }
  return createMemoryBus();
}

function bus(): EventBus {
  return (globalForBus.threadlineEventBus ??= createFromSettings());
}

/** Sends an event to every subscriber of the channel, on every instance. Never throws into the caller. */
export function publish(channel: string, event: LiveEvent): void {
  try {
    bus().publish(channel, event);
  } catch (error) {
    logger.error({ err: error, channel, type: event?.type }, "live event not published");
  }
}

/** Calls the listener for each event on the channel until the returned function is called. */
export function subscribe(channel: string, listener: Listener, options?: SubscribeOptions): () => void {
  return bus().subscribe(channel, listener, options);
}

/** Subscribers of the channel in this process. */
export function listenerCount(channel: string): number {
  return globalForBus.threadlineEventBus?.listenerCount(channel) ?? 0;
}

/**
 * Creates the configured bus and waits until events can flow, so a wrong
 * EVENTS_DATABASE_URL stops the server at start rather than at the first
 * post. Optional: the bus also starts on first use.
 */
export async function startEventBus(): Promise<void> {
  await eventBusReady();
}

/** Resolves once events published from now on reach this process's subscribers. */
export function eventBusReady(): Promise<void> {
  return bus().ready();
}

/** Sends what is still queued and releases the bus; the next use creates a fresh one. */
export async function closeEventBus(): Promise<void> {
  const current = globalForBus.threadlineEventBus;
  globalForBus.threadlineEventBus = undefined;
  await current?.close();
}

/**
 * Uses the given bus from now on (tests run the same suites against each
 * backend this way). Returns a function that puts the previous one back.
 */
export function installEventBus(next: EventBus): () => void {
  const previous = globalForBus.threadlineEventBus;
  globalForBus.threadlineEventBus = next;
  return () => {
    if (globalForBus.threadlineEventBus === next) globalForBus.threadlineEventBus = previous;
  };
}
