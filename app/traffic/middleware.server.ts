import type { NextFunction, Request, Response } from "express";
import { isbot } from "isbot";
import { logger } from "~/utils/logger.server";
import { externalReferrerHost } from "./paths";
import { TrafficRecorder } from "./recorder.server";
import { saveTrafficBatch } from "./store.server";

// Paths that are never pages, whatever they answer.
const NOT_PAGES = /^\/(api|assets|healthz|build|favicon|robots\.txt)(\/|$|\.)|\.(data|stream|atom|mbox|xml|txt|json|csv|js|css|png|svg|ico|map)$/;

/** A browser asking for a page: a document GET, not a prefetch, not a crawler. */
export function isPageRequest(req: Request): boolean {
  if (req.method !== "GET" || NOT_PAGES.test(req.path)) return false;
  const dest = req.get("sec-fetch-dest");
  if (dest ? dest !== "document" : !(req.get("accept") ?? "").includes("text/html")) return false;
  if (/prefetch|prerender/i.test(`${req.get("sec-purpose") ?? ""} ${req.get("purpose") ?? ""}`)) return false;
  const userAgent = req.get("user-agent") ?? "";
  return userAgent !== "" && !isbot(userAgent);
}

/** A page that was shown (2xx HTML) or led on to one (3xx). */
export function isPageResponse(res: Response): boolean {
  const status = res.statusCode;
  if (status >= 300 && status < 400) return true;
  return status >= 200 && status < 300 && String(res.getHeader("content-type") ?? "").startsWith("text/html");
}

/** Counts each page view when its response is finished; adds nothing to the response. */
export function trafficMiddleware(recorder: TrafficRecorder, ownHosts: readonly string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isPageRequest(req)) return next();
    res.once("finish", () => {
      if (!isPageResponse(res)) return;
      recorder.record({
        path: req.path,
        clientAddress: req.ip ?? "",
        userAgent: req.get("user-agent") ?? "",
        referrerHost: externalReferrerHost(req.get("referer"), [...ownHosts, req.hostname]),
      });
    });
    next();
  };
}

/**
 * Started once by server.ts (through the server build, so it shares the app's
 * database client): the middleware to mount and the stop to await on shutdown.
 */
export function startTrafficStats(options: { flushSeconds: number; publicUrl?: string; now?: () => Date }) {
  const recorder = new TrafficRecorder({
    save: saveTrafficBatch,
    now: options.now,
    onError: (error) => logger.warn({ err: error }, "traffic statistics flush failed; counts kept for the next try"),
  });
  recorder.start(options.flushSeconds * 1000);
  const ownHosts = options.publicUrl ? [new URL(options.publicUrl).hostname] : [];
  return { recorder, middleware: trafficMiddleware(recorder, ownHosts), stop: () => recorder.stop() };
}
