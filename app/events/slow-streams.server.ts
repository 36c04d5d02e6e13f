import type { NextFunction, Request, Response } from "express";
import { logger } from "../utils/logger.server";
import { parseEventSettings } from "./settings.server";

export type SlowStreamOptions = {
  /** Bytes that may wait for a client that has stopped reading; default EVENTS_CLIENT_BACKLOG_KB. */
  backlogBytes?: number;
  /** How long the backlog may stay over that without the socket draining. */
  stallMs?: number;
};

/** Waiting bytes, as a multiple of backlogBytes, that close a connection at once, stalled or not. */
const HARD_LIMIT_FACTOR = 4;

/**
 * Express middleware that ends live-update (text/event-stream) responses
 * whose client has fallen too far behind: more than `backlogBytes` waiting in
 * the server's send buffer with no drain for `stallMs`, or more than four
 * times that at any moment. A client that reads, even slowly, gets a burst
 * (a replay of missed messages) through; one that stopped reading is closed
 * and its memory freed.
 *
 * Why here and not only in eventStream(): Remix's Express adapter copies the
 * response body into the socket without waiting for it to drain, so a
 * stalled client's backlog piles up in the Node response, where the stream
 * cannot see it. Destroying the response aborts the request, which ends the
 * stream's subscription; the browser reconnects and resumes by id.
 */
export function closeSlowEventStreams(options: SlowStreamOptions = {}) {
  const backlogBytes = options.backlogBytes ?? parseEventSettings(process.env).clientBacklogBytes;
  const stallMs = options.stallMs ?? 5_000;
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== "GET") return next();
    let over: number | null = null; // when the backlog went over backlogBytes without draining since
    res.on("drain", () => (over = null));
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    res.write = ((...args: unknown[]) => {
      if (res.destroyed) return false;
      const flowing = write(...args);
      const waiting = res.writableLength;
      if (flowing || waiting <= backlogBytes) return flowing;
      if (!String(res.getHeader("Content-Type") ?? "").startsWith("text/event-stream")) return flowing;
      const now = Date.now();
      over ??= now;
      if (waiting > HARD_LIMIT_FACTOR * backlogBytes || now - over >= stallMs) {
        logger.info({ backlogBytes: waiting, stalledMs: now - over }, "live-update client too slow: connection closed");
        res.destroy();
      }
      return flowing;
    }) as typeof res.write;
    next();
  };
}
