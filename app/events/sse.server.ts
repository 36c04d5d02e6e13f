import { logger } from "~/utils/logger.server";
import { eventBusReady, subscribe, type LiveEvent } from "./bus.server";
import { parseEventSettings } from "./settings.server";

export type EventStreamOptions = {
  /**
   * Events the client missed, read from the database: called with the id of
   * the last event the client saw (the Last-Event-ID header, or the
   * `lastEventId` query parameter on a first connect), or null.
   */
  replay?: (lastEventId: string | null) => Promise<LiveEvent[]>;
  /** Bytes a client may have waiting before it is closed; default EVENTS_CLIENT_BACKLOG_KB. */
  backlogBytes?: number;
  /** Aborted when the client's connection closes (context.connectionClosed); ends the stream. */
  signal?: AbortSignal;
};

const RETRY_MS = 3_000;
const HEARTBEAT_MS = 25_000;

const encoder = new TextEncoder();
const RETRY = encoder.encode(`retry: ${RETRY_MS}\n\n`);
const HEARTBEAT = encoder.encode(": keep-alive\n\n");

// Every stream of a channel receives the same event object from the bus:
// serialize it once, not once per client.
const encodedEvents = new WeakMap<LiveEvent, Uint8Array>();

function encode(event: LiveEvent): Uint8Array {
  let bytes = encodedEvents.get(event);
  if (!bytes) {
    const line = (text: string) => text.replace(/[\r\n]/g, " ");
    const id = event.id !== undefined ? `id: ${line(String(event.id))}\n` : "";
    bytes = encoder.encode(`${id}event: ${line(event.type)}\ndata: ${JSON.stringify(event.data ?? null)}\n\n`);
    encodedEvents.set(event, bytes);
  }
  return bytes;
}

/** Event ids are decimal strings of increasing integers; anything else is never compared. */
function idValue(id: string | null | undefined): bigint | null {
  return typeof id === "string" && /^\d{1,30}$/.test(id) ? BigInt(id) : null;
}

function lastEventIdOf(request: Request): string | null {
  const header = request.headers.get("Last-Event-ID")?.trim();
  if (header) return header;
  const query = new URL(request.url).searchParams.get("lastEventId")?.trim();
  return query ? query : null;
}

// One heartbeat timer for all open streams, stopped when the last one closes.
type OpenStream = { heartbeat: () => void };
const openStreams = new Set<OpenStream>();
let heartbeatTimer: ReturnType<typeof setInterval> | null = null;

function track(stream: OpenStream) {
  openStreams.add(stream);
  if (!heartbeatTimer) {
    heartbeatTimer = setInterval(() => {
      for (const open of [...openStreams]) open.heartbeat();
    }, HEARTBEAT_MS);
    heartbeatTimer.unref?.();
  }
}

function untrack(stream: OpenStream) {
  openStreams.delete(stream);
  if (openStreams.size === 0 && heartbeatTimer) {
    clearInterval(heartbeatTimer);
    heartbeatTimer = null;
  }
}

/** Open streams and whether the shared heartbeat timer runs (for tests and diagnostics). */
export function liveStreamStats(): { open: number; heartbeatTimer: boolean } {
  return { open: openStreams.size, heartbeatTimer: heartbeatTimer !== null };
}

let defaultBacklog: number | undefined;

/**
 * A Server-Sent Events response for one channel.
 *
 * With `replay`, the stream subscribes first and holds live events back,
 * sends what the client missed, then the held events it has not sent yet
 * (by id), then live events: no gap and no duplicate. A client that does not
 * read is closed once EVENTS_CLIENT_BACKLOG_KB are waiting for it; it
 * reconnects and resumes from its last id. Publishing never waits for a
 * client. The subscription and heartbeat end as soon as the client goes.
 */
export function eventStream(
  request: Request,
  channel: string,
  initial: LiveEvent[] = [],
  options: EventStreamOptions = {},
): Response {
  const backlog = options.backlogBytes ?? (defaultBacklog ??= parseEventSettings(process.env).clientBacklogBytes);
  // The connection's own close (from the load context) as well as the request's abort.
  const aborted = options.signal ? AbortSignal.any([request.signal, options.signal]) : request.signal;
  let finish: (how: "close" | "error") => void = () => {};
  let onRead = () => {};

  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        let done = false;
        let unsubscribe = () => {};
        const lastEventId = lastEventIdOf(request);
        let highestSent = idValue(lastEventId);
        // Until the initial and replayed events are out, live ones wait here.
        let catchingUp = initial.length > 0 || Boolean(options.replay);
        const held: LiveEvent[] = [];
        let heldBytes = 0;
        let waitingForRoom: (() => void) | null = null;

        const write = (bytes: Uint8Array) => {
          if (done) return;
          try {
            controller.enqueue(bytes);
          } catch {
            finish("close");
            return;
          }
          // desiredSize is the backlog allowance minus the bytes still queued.
          if ((controller.desiredSize ?? 0) < 0) {
            logger.info({ channel, backlogBytes: backlog }, "live-update client too slow: stream closed");
            finish("error");
          }
        };
        const deliver = (event: LiveEvent) => {
          const id = idValue(event.id);
          if (id !== null) {
            if (highestSent !== null && id <= highestSent) return;
            highestSent = id;
          }
          write(encode(event));
        };
        // Catch-up is paced by the reader, so a long replay is not mistaken for a slow client.
        const room = () =>
          done || (controller.desiredSize ?? 0) > 0 ? Promise.resolve() : new Promise<void>((resolve) => (waitingForRoom = resolve));
        onRead = () => {
          const resolve = waitingForRoom;
          waitingForRoom = null;
          resolve?.();
        };
        const opened: OpenStream = { heartbeat: () => write(HEARTBEAT) };
        const onAbort = () => finish("close");

        finish = (how) => {
          if (done) return;
          done = true;
          unsubscribe();
          untrack(opened);
          aborted.removeEventListener("abort", onAbort);
          held.length = 0;
          onRead();
          try {
            if (how === "error") controller.error(new Error("live-update client fell too far behind"));
            else controller.close();
          } catch {
            // already closed or cancelled
          }
        };

        if (aborted.aborted) {
          done = true;
          controller.close();
          return;
        }
        aborted.addEventListener("abort", onAbort, { once: true });
        track(opened);
        unsubscribe = subscribe(
          channel,
          (event) => {
            if (!catchingUp) return deliver(event);
            held.push(event);
            heldBytes += encode(event).byteLength;
            if (heldBytes > backlog) {
              logger.info({ channel }, "too many live events during catch-up: stream closed for the client to resume");
              finish("close");
            }
          },
          // Events may have been missed: end the stream; the client comes back with its last id.
          { onInterruption: () => finish("close") },
        );
        write(RETRY);
        if (!catchingUp) return;

        const replay = options.replay;
        void (async () => {
          for (const event of initial) {
            await room();
            deliver(event);
          }
          if (replay) {
            let missed: LiveEvent[];
            try {
              // Replay only once live events flow (the LISTEN connection is up),
              // or an event sent in between would be neither replayed nor live.
              await eventBusReady();
              missed = await replay(lastEventId);
            } catch (error) {
              logger.warn({ err: error, channel }, "live-update replay failed: stream closed for the client to retry");
              finish("close");
              return;
            }
            for (const event of missed) {
              await room();
              deliver(event);
            }
          }
          // Live events that arrived meanwhile (more may arrive while these go out).
          for (let next = 0; next < held.length; next++) {
            await room();
            const event = held[next]!;
            heldBytes -= encode(event).byteLength;
            deliver(event);
          }
          held.length = 0;
          catchingUp = false;
        })();
      },
      pull() {
        onRead();
      },
      cancel() {
        finish("close");
      },
    },
    { highWaterMark: backlog, size: (chunk) => chunk.byteLength },
  );

  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
