import type { IncomingMessage, ServerResponse } from "node:http";
import type { LiveEvent } from "./bus.server";
import { defaultBacklogBytes, EVENT_STREAM_HEADERS, lastEventIdFrom, runLiveStream, type LiveStreamOptions } from "./live-stream.server";
import { DEFAULT_STALL_MS } from "./slow-streams.server";
import { StallGuard } from "./stall-guard";

/**
 * A live-update stream written straight to the Node response: each event is
 * serialized once for all clients and handed to every socket as the same
 * buffer. This is the production path (server.ts routes stream URLs here):
 * going through a Web ReadableStream and Remix's copy loop cost several
 * times more CPU per delivery, which decided how many viewers one process
 * can serve live (docs/BENCHMARKS.md, chat). The protocol is the same as
 * eventStream()'s (live-stream.server.ts).
 */
export function serveEventStream(
  req: IncomingMessage,
  res: ServerResponse,
  channel: string,
  initial: LiveEvent[] = [],
  options: LiveStreamOptions & { stallMs?: number } = {},
): void {
  const backlogBytes = options.backlogBytes ?? defaultBacklogBytes();
  const guard = new StallGuard(backlogBytes, options.stallMs ?? DEFAULT_STALL_MS);
  // The stream lasts as long as the connection: no chunk framing, so each
  // event is one plain write of the shared buffer.
  res.useChunkedEncodingByDefault = false;
  res.shouldKeepAlive = false;
  res.writeHead(200, { ...EVENT_STREAM_HEADERS, Connection: "close" });
  res.flushHeaders();
  if (res.destroyed) {
    options.onClose?.();
    return;
  }
  const control = runLiveStream(
    {
      write(bytes) {
        if (res.destroyed) return true; // "close" ends the stream
        res.write(bytes);
        return !guard.tooSlow(res.writableLength);
      },
      hasRoom: () => !res.writableNeedDrain,
      end(how) {
        if (how === "error") res.destroy();
        else res.end();
      },
    },
    channel,
    lastEventIdFrom(req.headers["last-event-id"] as string | undefined, req.url ?? "/"),
    initial,
    { ...options, backlogBytes },
  );
  res.on("drain", () => {
    guard.drained();
    control.resume();
  });
  res.on("close", () => control.finish("close"));
}
