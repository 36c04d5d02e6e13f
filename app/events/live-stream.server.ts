import { logger } from "~/utils/logger.server";
import { eventBusReady, subscribe, type LiveEvent } from "./bus.server";
import { parseEventSettings } from "./settings.server";

/**
 * The protocol of one live-update stream, independent of what carries the
 * bytes: a Web ReadableStream (eventStream(), for Remix loaders) or a Node
 * response written directly (serveEventStream(), the production fast path).
 *
 * With `replay`, the stream subscribes first and holds live events back,
 * sends what the client missed, then the held events it has not sent yet (by
 * id), then live events: no gap and no duplicate. Publishing never waits for
 * a client; a client that falls too far behind is closed by its sink and
 * resumes from its last id.
 */
export type LiveStreamOptions = {
  /**
   * Events the client missed, read from the database: called with the id of
   * the last event the client saw (the Last-Event-ID header, or the
   * `lastEventId` query parameter on a first connect), or null.
   */
  replay?: (lastEventId: string | null) => Promise<LiveEvent[]>;
  /** Bytes a client may have waiting before it is closed; default EVENTS_CLIENT_BACKLOG_KB. */
  backlogBytes?: number;
  /** Called once when the stream ends, for any reason (after it has unsubscribed). */
  onClose?: () => void;
};

/** Where a stream's bytes go. */
export interface StreamSink {
  /** Queues bytes for the client. Returns false when the client must be dropped as too slow. */
  write(bytes: Uint8Array): boolean;
  /** Whether the client can take more now (used to pace a long catch-up). */
  hasRoom(): boolean;
  /** Ends the response: "error" for a client that fell behind. */
  end(how: "close" | "error"): void;
}

export type LiveStreamControl = {
  /** The sink has room again (the client read): continue a paced catch-up. */
  resume(): void;
  /** Ends the stream: the client left, or the sink failed. */
  finish(how: "close" | "error"): void;
};

let defaultBacklog: number | undefined;

/** EVENTS_CLIENT_BACKLOG_KB in bytes: what either sink allows a client to have waiting. */
export function defaultBacklogBytes(): number {
  return (defaultBacklog ??= parseEventSettings(process.env).clientBacklogBytes);
}

const RETRY_MS = 3_000;
const HEARTBEAT_MS = 25_000;

const encoder = new TextEncoder();
const RETRY = encoder.encode(`retry: ${RETRY_MS}\n\n`);
const HEARTBEAT = encoder.encode(": keep-alive\n\n");

// Every stream of a channel receives the same event object from the bus:
// serialize it once, not once per client.
const encodedEvents = new WeakMap<LiveEvent, Uint8Array>();

export function encodeEvent(event: LiveEvent): Uint8Array {
  let bytes = encodedEvents.get(event);
  if (!bytes) {
    const line = (text: string) => text.replace(/[\r\n]/g, " ");
    const id = event.id !== undefined ? `id: ${line(String(event.id))}\n` : "";
    bytes = Buffer.from(`${id}event: ${line(event.type)}\ndata: ${JSON.stringify(event.data ?? null)}\n\n`);
    encodedEvents.set(event, bytes);
  }
  return bytes;
}

/** Event ids are decimal strings of increasing integers; anything else is never compared. */
function idValue(id: string | null | undefined): bigint | null {
  return typeof id === "string" && /^\d{1,30}$/.test(id) ? BigInt(id) : null;
}

/** The Last-Event-ID header, or on a first connect the `lastEventId` query parameter. */
export function lastEventIdFrom(header: string | null | undefined, url: string): string | null {
  const fromHeader = header?.trim();
  if (fromHeader) return fromHeader;
  const query = new URL(url, "http://localhost").searchParams.get("lastEventId")?.trim();
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

/** Starts a stream of `channel` into `sink`. The caller wires the sink's reads and closes to the returned control. */
export function runLiveStream(
  sink: StreamSink,
  channel: string,
  lastEventId: string | null,
  initial: LiveEvent[],
  options: LiveStreamOptions & { backlogBytes: number },
): LiveStreamControl {
  let done = false;
  let unsubscribe = () => {};
  let highestSent = idValue(lastEventId);
  // Until the initial and replayed events are out, live ones wait here.
  let catchingUp = initial.length > 0 || Boolean(options.replay);
  const held: LiveEvent[] = [];
  let heldBytes = 0;
  let waitingForRoom: (() => void) | null = null;

  const write = (bytes: Uint8Array) => {
    if (done) return;
    if (!sink.write(bytes)) {
      logger.info({ channel, backlogBytes: options.backlogBytes }, "live-update client too slow: stream closed");
      finish("error");
    }
  };
  const deliver = (event: LiveEvent) => {
    const id = idValue(event.id);
    if (id !== null) {
      if (highestSent !== null && id <= highestSent) return;
      highestSent = id;
    }
    write(encodeEvent(event));
  };
  // Catch-up is paced by the reader, so a long replay is not mistaken for a slow client.
  const room = () => (done || sink.hasRoom() ? Promise.resolve() : new Promise<void>((resolve) => (waitingForRoom = resolve)));
  const resume = () => {
    const resolve = waitingForRoom;
    waitingForRoom = null;
    resolve?.();
  };
  const opened: OpenStream = { heartbeat: () => write(HEARTBEAT) };

  function finish(how: "close" | "error") {
    if (done) return;
    done = true;
    unsubscribe();
    untrack(opened);
    held.length = 0;
    resume();
    sink.end(how);
    try {
      options.onClose?.();
    } catch (error) {
      logger.error({ err: error, channel }, "live-update close handler failed");
    }
  }

  track(opened);
  unsubscribe = subscribe(
    channel,
    (event) => {
      if (!catchingUp) return deliver(event);
      held.push(event);
      heldBytes += encodeEvent(event).byteLength;
      if (heldBytes > options.backlogBytes) {
        logger.info({ channel }, "too many live events during catch-up: stream closed for the client to resume");
        finish("close");
      }
    },
    // Events may have been missed: end the stream; the client comes back with its last id.
    { onInterruption: () => finish("close") },
  );
  write(RETRY);
  if (catchingUp) void catchUp();
  return { resume, finish };

  async function catchUp() {
    for (const event of initial) {
      await room();
      deliver(event);
    }
    if (options.replay) {
      let missed: LiveEvent[];
      try {
        // Replay only once live events flow (the LISTEN connection is up),
        // or an event sent in between would be neither replayed nor live.
        await eventBusReady();
        missed = await options.replay(lastEventId);
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
      heldBytes -= encodeEvent(event).byteLength;
      deliver(event);
    }
    held.length = 0;
    catchingUp = false;
  }
}

/** Response headers of every live-update stream. */
export const EVENT_STREAM_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
} as const;
