// Many Server-Sent Events subscribers in one process, over raw node:http, for
// the chat fan-out benchmark. The parser is deliberately small: it splits the
// stream into frames on blank lines (the app writes "\n" line endings), reads
// the `id:` and `event:` fields from the start of a frame and looks for the
// benchmark's marker in the data with indexOf, without JSON.parse, so that a
// thousand subscribers cost the load generator as little CPU as possible.
import http from "node:http";

export type SubscriberStats = {
  /** Frames with `event: message` (new chat messages). */
  messages: number;
  /** Message frames that carried a benchmark marker. */
  marked: number;
  presence: number;
  /** The count in the last presence event, or null before the first. */
  lastPresence: number | null;
  heartbeats: number;
  /** Bytes of body received. */
  bytes: number;
};

/** `eventId` is the frame's SSE id (the chat message id), or -1 without one. */
export type MarkerReceipt = (subscriber: number, sequence: number, receivedAt: number, eventId: number) => void;

export type Subscriber = {
  index: number;
  stats: SubscriberStats;
  /** HTTP status of the stream's response, once answered. */
  status: number | null;
  /** True once the response began (headers and the first frame). */
  open: boolean;
  /** Set when the connection ended or failed before `close()` was called. */
  ended: string | null;
  close: () => void;
};

export type SubscriberPoolOptions = {
  url: string;
  count: number;
  /** Text that precedes a message's sequence number in its body, e.g. "chatbench-1a2b-m". */
  markerPrefix: string;
  onMarker: MarkerReceipt;
  /** Streams opened at once while connecting; the next batch waits for these to be answered. */
  batchSize?: number;
  /** Extra request headers (a session cookie...). */
  headers?: Record<string, string>;
  signal: AbortSignal;
};

export type SubscriberPool = {
  subscribers: Subscriber[];
  /** Opens every stream in batches; resolves once all answered 200, rejects if any failed. */
  connect: (onProgress?: (open: number) => void) => Promise<void>;
  /** Closes every stream (destroys the sockets) and resolves once the sockets are gone. */
  closeAll: () => Promise<void>;
  agent: http.Agent;
};

const MESSAGE_EVENT = "event: message\n";
const PRESENCE_EVENT = "event: presence\n";
const COUNT_FIELD = '"count":';

function assertLoopback(url: URL) {
  if (!["127.0.0.1", "localhost", "[::1]", "::1"].includes(url.hostname)) {
    throw new Error(`Refusing to open subscribers to a non-loopback address: ${url.href}`);
  }
}

export function createSubscriberPool(options: SubscriberPoolOptions): SubscriberPool {
  const target = new URL(options.url);
  assertLoopback(target);
  // One socket per stream, never reused, no limit on how many.
  const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity, maxTotalSockets: Infinity });
  const subscribers: Subscriber[] = [];
  const requests: http.ClientRequest[] = [];
  const { markerPrefix, onMarker } = options;
  const prefixLength = markerPrefix.length;

  const open = (index: number): Promise<Subscriber> =>
    new Promise((resolve, reject) => {
      const stats: SubscriberStats = { messages: 0, marked: 0, presence: 0, lastPresence: null, heartbeats: 0, bytes: 0 };
      let closedByUs = false;
      let settled = false;
      const subscriber: Subscriber = {
        index,
        stats,
        status: null,
        open: false,
        ended: null,
        close: () => {
          closedByUs = true;
          request.destroy();
        },
      };
      subscribers[index] = subscriber;
      let buffer = "";

      const frame = (text: string, start: number, end: number, receivedAt: number) => {
        // Frames: "id: N\nevent: message\ndata: {...}", "event: presence\ndata: {...}", "retry: ...", ": keep-alive".
        let cursor = start;
        let eventId = -1;
        if (text.startsWith("id: ", cursor)) {
          const lineEnd = text.indexOf("\n", cursor);
          if (lineEnd === -1 || lineEnd > end) return;
          eventId = Number(text.slice(cursor + 4, lineEnd));
          cursor = lineEnd + 1;
        }
        if (text.startsWith(MESSAGE_EVENT, cursor)) {
          stats.messages += 1;
          const at = text.indexOf(markerPrefix, cursor);
          if (at === -1 || at >= end) return;
          let sequence = 0;
          let digits = 0;
          for (let i = at + prefixLength; i < end; i += 1) {
            const code = text.charCodeAt(i);
            if (code < 48 || code > 57) break;
            sequence = sequence * 10 + (code - 48);
            digits += 1;
          }
          if (!digits) return;
          stats.marked += 1;
          onMarker(index, sequence, receivedAt, eventId);
        } else if (text.startsWith(PRESENCE_EVENT, cursor)) {
          stats.presence += 1;
          const at = text.indexOf(COUNT_FIELD, cursor);
          if (at !== -1 && at < end) stats.lastPresence = Number.parseInt(text.slice(at + COUNT_FIELD.length, end), 10);
        } else if (text.startsWith(":", cursor)) {
          stats.heartbeats += 1;
        }
      };

      const request = http.get(
        {
          host: target.hostname.replace(/^\[|\]$/g, ""),
          port: target.port,
          path: `${target.pathname}${target.search}`,
          agent,
          headers: { accept: "text/event-stream", "cache-control": "no-cache", ...options.headers },
        },
        (response) => {
          subscriber.status = response.statusCode ?? 0;
          if (response.statusCode !== 200) {
            settled = true;
            response.resume();
            reject(new Error(`subscriber ${index}: the stream answered ${response.statusCode}`));
            return;
          }
          response.setEncoding("utf8");
          response.on("data", (chunk: string) => {
            const receivedAt = performance.now();
            stats.bytes += chunk.length;
            const text = buffer ? buffer + chunk : chunk;
            let start = 0;
            for (;;) {
              const end = text.indexOf("\n\n", start);
              if (end === -1) break;
              frame(text, start, end, receivedAt);
              start = end + 2;
            }
            buffer = start < text.length ? text.slice(start) : "";
            if (!settled) {
              // The first frame (the stream's "retry:" line) has arrived: the stream is open.
              settled = true;
              subscriber.open = true;
              resolve(subscriber);
            }
          });
          response.on("end", () => {
            if (!closedByUs) subscriber.ended ??= "the server ended the stream";
          });
          response.on("error", () => {});
        },
      );
      requests[index] = request;
      request.setTimeout(0);
      request.on("error", (error) => {
        if (!closedByUs) subscriber.ended ??= `connection error: ${error.message}`;
        if (!settled) {
          settled = true;
          reject(new Error(`subscriber ${index}: ${error.message}`));
        }
      });
      request.on("close", () => {
        if (!closedByUs && !subscriber.ended) subscriber.ended = "connection closed";
      });
    });

  const connect = async (onProgress?: (open: number) => void) => {
    const batchSize = options.batchSize ?? 50;
    for (let first = 0; first < options.count; first += batchSize) {
      options.signal.throwIfAborted();
      const batch: Promise<Subscriber>[] = [];
      for (let index = first; index < Math.min(options.count, first + batchSize); index += 1) batch.push(open(index));
      await Promise.all(batch);
      onProgress?.(Math.min(options.count, first + batchSize));
    }
  };

  const closeAll = async () => {
    const closing = requests.filter(Boolean).map(
      (request) =>
        new Promise<void>((resolve) => {
          if (request.destroyed && (!request.socket || request.socket.destroyed)) return resolve();
          request.once("close", () => resolve());
          setTimeout(resolve, 5_000).unref();
        }),
    );
    for (const subscriber of subscribers) subscriber?.close();
    await Promise.all(closing);
    agent.destroy();
  };

  return { subscribers, connect, closeAll, agent };
}

/** Opens one stream, waits for its first presence event and returns the count it carries (then closes it). */
export function probePresence(url: string, timeoutMs = 10_000): Promise<number | null> {
  const target = new URL(url);
  assertLoopback(target);
  return new Promise((resolve) => {
    let text = "";
    const request = http.get(
      { host: target.hostname, port: target.port, path: `${target.pathname}${target.search}`, agent: false, headers: { accept: "text/event-stream" } },
      (response) => {
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          text += chunk;
          const at = text.indexOf(PRESENCE_EVENT);
          if (at === -1) return;
          const count = text.indexOf(COUNT_FIELD, at);
          const end = text.indexOf("\n\n", at);
          if (count === -1 || end === -1) return;
          clearTimeout(timer);
          request.destroy();
          resolve(Number.parseInt(text.slice(count + COUNT_FIELD.length, end), 10));
        });
        response.on("error", () => {});
      },
    );
    request.on("error", () => resolve(null));
    const timer = setTimeout(() => {
      request.destroy();
      resolve(null);
    }, timeoutMs);
  });
}
