import type { NextFunction, Request, Response } from "express";
import { logger } from "../utils/logger.server";
import { parseEventSettings } from "./settings.server";
import { StallGuard } from "./stall-guard";

export type SlowStreamOptions = {
  /** Bytes that may wait for a client that has stopped reading; default EVENTS_CLIENT_BACKLOG_KB. */
  backlogBytes?: number;
  /** How long the backlog may stay over that without the socket draining. */
  stallMs?: number;
};

export const DEFAULT_STALL_MS = 5_000;

/**
 * Express middleware that ends live-update (text/event-stream) responses
 * whose client has fallen too far behind (see StallGuard).
 *
 * Why here and not only in eventStream(): Remix's Express adapter copies the
 * response body into the socket without waiting for it to drain, so a
 * stalled client's backlog piles up in the Node response, where the stream
 * cannot see it. Destroying the response aborts the request, which ends the
 * stream's subscription; the browser reconnects and resumes by id. Streams
 * the server writes directly (node-sse.server.ts) apply the same guard
 * themselves.
 */
export function closeSlowEventStreams(options: SlowStreamOptions = {}) {
  const backlogBytes = options.backlogBytes ?? parseEventSettings(process.env).clientBacklogBytes;
  const stallMs = options.stallMs ?? DEFAULT_STALL_MS;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "GET") return next();
    const guard = new StallGuard(backlogBytes, stallMs);
    res.on("drain", () => guard.drained());
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    res.write = ((...args: unknown[]) => {
      if (res.destroyed) return false;
      const flowing = write(...args);
      if (flowing || res.writableLength <= backlogBytes) return flowing;
      if (!String(res.getHeader("Content-Type") ?? "").startsWith("text/event-stream")) return flowing;
      if (guard.tooSlow(res.writableLength)) {
        logger.info({ backlogBytes: res.writableLength, stalledMs: guard.stalledMs() }, "live-update client too slow: connection closed");
        res.destroy();
      }
      return flowing;
    }) as typeof res.write;
    next();
  };
}
