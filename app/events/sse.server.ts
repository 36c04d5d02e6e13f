import type { LiveEvent } from "./bus.server";
import { defaultBacklogBytes, EVENT_STREAM_HEADERS, lastEventIdFrom, runLiveStream, type LiveStreamControl, type LiveStreamOptions } from "./live-stream.server";

export { liveStreamStats } from "./live-stream.server";

export type EventStreamOptions = LiveStreamOptions & {
  /** Aborted when the client's connection closes (context.connectionClosed); ends the stream. */
  signal?: AbortSignal;
};

/**
 * A Server-Sent Events response for one channel, as a Web stream (what a
 * Remix loader returns). The production server writes the same streams
 * straight to the socket instead (node-sse.server.ts); the protocol, replay
 * and slow-client rules are shared (live-stream.server.ts). Here a client is
 * too slow once more than the backlog is queued in the stream.
 */
export function eventStream(request: Request, channel: string, initial: LiveEvent[] = [], options: EventStreamOptions = {}): Response {
  const backlogBytes = options.backlogBytes ?? defaultBacklogBytes();
  // The connection's own close (from the load context) as well as the request's abort.
  const aborted = options.signal ? AbortSignal.any([request.signal, options.signal]) : request.signal;
  let control: LiveStreamControl | null = null;

  const stream = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (aborted.aborted) {
          controller.close();
          options.onClose?.();
          return;
        }
        const onAbort = () => control?.finish("close");
        aborted.addEventListener("abort", onAbort, { once: true });
        control = runLiveStream(
          {
            write(bytes) {
              try {
                controller.enqueue(bytes);
              } catch {
                return true; // already closed or cancelled: finish follows
              }
              // desiredSize is the backlog allowance minus the bytes still queued.
              return (controller.desiredSize ?? 0) >= 0;
            },
            hasRoom: () => (controller.desiredSize ?? 0) > 0,
            end(how) {
              aborted.removeEventListener("abort", onAbort);
              try {
                if (how === "error") controller.error(new Error("live-update client fell too far behind"));
                else controller.close();
              } catch {
                // already closed or cancelled
              }
            },
          },
          channel,
          lastEventIdFrom(request.headers.get("Last-Event-ID"), request.url),
          initial,
          { ...options, backlogBytes },
        );
      },
      pull() {
        control?.resume();
      },
      cancel() {
        control?.finish("close");
      },
    },
    { highWaterMark: backlogBytes, size: (chunk) => chunk.byteLength },
  );

  return new Response(stream, { headers: EVENT_STREAM_HEADERS });
}
