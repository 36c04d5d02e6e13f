import { randomBytes } from "node:crypto";
import type { Client, Pool } from "pg";
import { logger } from "~/utils/logger.server";
import { prepareEvent } from "./payload.server";
import { DEFAULT_EVENTS_CHANNEL } from "./settings.server";
import { Subscribers } from "./subscribers.server";
import type { EventBus, LiveEvent } from "./types";

/**
 * Events shared by several app instances through PostgreSQL LISTEN/NOTIFY.
 *
 * - One LISTEN connection per process, on one PostgreSQL channel
 *   (EVENTS_CHANNEL, default threadline_events); each process hands an event
 *   to its own subscribers of the event's channel.
 * - Publishing queues the event and returns; a single pooled connection sends
 *   the queue in order, in batches, with `SELECT pg_notify(...)`. The payload
 *   is JSON {c: channel, e: event, o: origin, s: sequence}; origin and
 *   sequence keep identical events in one batch from being merged by
 *   PostgreSQL.
 * - A process's own events come back through the database like everyone
 *   else's, so every instance sees the same order: the database's.
 * - When the LISTEN connection drops, it is reopened with growing, jittered
 *   delays. Events sent meanwhile are not delivered to this process, so once
 *   it is back every subscriber's onInterruption is called: live streams then
 *   close, and clients reconnect with Last-Event-ID and replay from the
 *   database. Nothing is lost for subscribers that resume that way.
 */
export type PostgresBusOptions = {
  databaseUrl: string;
  channel?: string;
  /** First and largest delay between attempts to reopen the LISTEN connection. */
  reconnectDelayMs?: { first: number; max: number };
};

const BATCH = 50;
const MAX_QUEUED = 10_000;
const CLOSE_FLUSH_MS = 2_000;
// A connection that silently died (no FIN, no RST) is noticed by a periodic query.
const HEALTH_CHECK_MS = 30_000;
const HEALTH_TIMEOUT_MS = 10_000;

type Envelope = { c: string; e: LiveEvent; o: string; s: number };

type PgModule = typeof import("pg");
let pgModule: Promise<PgModule> | undefined;

// Loaded on first use, so the in-process default never needs the driver.
function loadPg(): Promise<PgModule> {
  pgModule ??= import("pg").then((module) => ((module as unknown as { default?: PgModule }).default ?? module));
  return pgModule;
}

function notifySql(count: number): string {
  const calls = Array.from({ length: count }, (_, index) => `pg_notify($1, $${index + 2})`);
  return `SELECT ${calls.join(", ")}`;
}

function isEnvelope(value: unknown): value is Envelope {
  const envelope = value as Envelope;
  return Boolean(envelope) && typeof envelope.c === "string" && Boolean(envelope.e) && typeof envelope.e.type === "string";
}

export function createPostgresBus(options: PostgresBusOptions): EventBus {
  const channel = options.channel ?? DEFAULT_EVENTS_CHANNEL;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`Invalid events channel name: ${channel}`);
  const delays = options.reconnectDelayMs ?? { first: 100, max: 10_000 };
  const subscribers = new Subscribers();
  const origin = randomBytes(6).toString("hex");
  let sequence = 0;

  let closed = false;
  let listener: Client | null = null;
  let everConnected = false;
  let attempts = 0;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  let healthTimer: ReturnType<typeof setInterval> | null = null;
  let pool: Pool | null = null;

  const queue: string[] = [];
  let flushing: Promise<void> | null = null;

  const connectionConfig = (purpose: string) => ({
    connectionString: options.databaseUrl,
    application_name: `threadline-events-${purpose}`,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    connectionTimeoutMillis: 5_000,
  });

  function receive(payload: string | undefined) {
    if (!payload) return;
    let envelope: unknown;
    try {
      envelope = JSON.parse(payload);
    } catch {
      logger.warn("live event ignored: payload is not JSON");
      return;
    }
    if (!isEnvelope(envelope)) return;
    subscribers.deliver(envelope.c, envelope.e);
  }

  function lost(client: Client, error?: Error) {
    if (client !== listener) return;
    listener = null;
    if (healthTimer) clearInterval(healthTimer);
    healthTimer = null;
    client.removeAllListeners("notification");
    client.end().catch(() => {});
    if (closed) return;
    logger.warn({ err: error }, "live events: LISTEN connection lost, reconnecting");
    scheduleReconnect();
  }

  async function connectListener(): Promise<void> {
    const pg = await loadPg();
    const client = new pg.Client(connectionConfig("listen"));
    // Errors before LISTEN succeeds reject the attempt below; afterwards they mean a lost connection.
    client.on("error", (error) => lost(client, error));
    client.on("end", () => lost(client));
    client.on("notification", (message) => {
      if (message.channel === channel) receive(message.payload);
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
    } catch (error) {
      client.removeAllListeners("notification");
      await client.end().catch(() => {});
      throw error;
    }
    if (closed) {
      await client.end().catch(() => {});
      return;
    }
    listener = client;
    attempts = 0;
    healthTimer = setInterval(() => checkHealth(client), HEALTH_CHECK_MS);
    healthTimer.unref?.();
    const reconnected = everConnected;
    everConnected = true;
    if (reconnected) {
      logger.info("live events: LISTEN connection restored");
      subscribers.interruptAll();
    }
    if (queue.length) void flush();
  }

  function checkHealth(client: Client) {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`PostgreSQL did not answer within ${HEALTH_TIMEOUT_MS} ms`)), HEALTH_TIMEOUT_MS);
    });
    Promise.race([client.query("SELECT 1"), timeout])
      .catch((error: Error) => lost(client, error))
      .finally(() => clearTimeout(timer));
  }

  function scheduleReconnect() {
    if (closed || reconnectTimer) return;
    const ceiling = Math.min(delays.max, delays.first * 2 ** attempts);
    const delay = Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
    attempts += 1;
    reconnectTimer = setTimeout(() => {
      reconnectTimer = null;
      connectListener().catch((error) => {
        logger.warn({ err: error, attempt: attempts }, "live events: reconnect failed");
        scheduleReconnect();
      });
    }, delay);
    reconnectTimer.unref?.();
  }

  let firstConnect: Promise<void> | null = null;
  function start(): Promise<void> {
    firstConnect ??= connectListener().catch((error) => {
      logger.error({ err: error }, "live events: cannot LISTEN on PostgreSQL, retrying");
      scheduleReconnect();
      throw error;
    });
    return firstConnect;
  }

  async function getPool(): Promise<Pool> {
    if (pool) return pool;
    const pg = await loadPg();
    if (pool) return pool;
    // One connection: the queue is sent in order, one batch at a time.
    pool = new pg.Pool({ ...connectionConfig("notify"), max: 1, idleTimeoutMillis: 30_000 });
    pool.on("error", (error) => logger.warn({ err: error }, "live events: idle NOTIFY connection failed"));
    return pool;
  }

  async function send(batch: string[]) {
    const sql = notifySql(batch.length);
    const target = await getPool();
    try {
      await target.query(sql, [channel, ...batch]);
    } catch (error) {
      // A broken pooled connection is replaced on the next query: try once more.
      logger.warn({ err: error }, "live events: NOTIFY failed, retrying once");
      await new Promise((resolve) => setTimeout(resolve, 50));
      await target.query(sql, [channel, ...batch]);
    }
  }

  function flush(): Promise<void> {
    // Until this process listens, its own events would not come back to it.
    if (!listener && !everConnected) {
      start().catch(() => {});
      return Promise.resolve();
    }
    flushing ??= (async () => {
      try {
        while (queue.length) {
          const batch = queue.splice(0, BATCH);
          try {
            await send(batch);
          } catch (error) {
            logger.error({ err: error, events: batch.length }, "live events not published");
          }
        }
      } finally {
        flushing = null;
      }
    })();
    return flushing;
  }

  return {
    publish(eventChannel, event) {
      if (closed) {
        logger.warn({ channel: eventChannel, type: event?.type }, "live event dropped: the event bus is closed");
        return;
      }
      const prepared = prepareEvent(eventChannel, event);
      if (!prepared) return;
      if (queue.length >= MAX_QUEUED) {
        logger.error({ channel: eventChannel, queued: queue.length }, "live event dropped: too many waiting to be sent");
        return;
      }
      sequence += 1;
      queue.push(`{"c":${JSON.stringify(eventChannel)},"o":"${origin}","s":${sequence},"e":${prepared.json}}`);
      void flush();
    },
    subscribe(eventChannel, listenerFn, subscribeOptions) {
      if (!closed) start().catch(() => {});
      return subscribers.add(eventChannel, listenerFn, subscribeOptions);
    },
    listenerCount: (eventChannel) => subscribers.count(eventChannel),
    // Once connected, ready for good: later drops are repaired in the background.
    ready: () => (everConnected ? Promise.resolve() : start()),
    async close() {
      if (closed) return;
      if ((queue.length || flushing) && listener) {
        let timer: ReturnType<typeof setTimeout> | undefined;
        await Promise.race([flush(), new Promise((resolve) => (timer = setTimeout(resolve, CLOSE_FLUSH_MS)))]);
        clearTimeout(timer);
      }
      closed = true;
      if (reconnectTimer) clearTimeout(reconnectTimer);
      if (healthTimer) clearInterval(healthTimer);
      reconnectTimer = healthTimer = null;
      const client = listener;
      listener = null;
      subscribers.clear();
      await Promise.all([client?.end().catch(() => {}), pool?.end().catch(() => {})]);
      pool = null;
    },
  };
}
