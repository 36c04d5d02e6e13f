// The HTTP server: static files, security headers, request logs without
// personal data, a same-origin check for every state-changing request, and
// the Remix app. `npm start` runs it on the production build; `npm run dev`
// runs it with Vite's dev middleware.
import "dotenv/config";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { pinoHttp } from "pino-http";
import { parseEnv } from "./app/utils/env.server";
import { logger } from "./app/utils/logger.server";
import { closeSlowEventStreams } from "./app/events/slow-streams.server";
import { isSameOrigin } from "./app/utils/origin";
import { isCacheableRequest, isCacheableResponse, PageCache, storableHeaders, withNonce } from "./app/utils/page-cache";

const parsed = parseEnv(process.env);
if (!parsed.ok) {
  for (const line of parsed.errors) console.error(line);
  process.exit(1);
}
const env = parsed.env;
const production = env.NODE_ENV === "production";

type AppEntry = {
  createLoadContext: (req: Request, res: Response) => Promise<AppLoadContext>;
  ensureDbReady: () => Promise<void>;
  disconnectDb: () => Promise<void>;
  startEventBus: () => Promise<void>;
  closeEventBus: () => Promise<void>;
  serveLiveStream: (req: Request, res: Response) => Promise<boolean>;
  startTrafficStats: (options: { flushSeconds: number; publicUrl?: string }) => { middleware: express.RequestHandler; stop: () => Promise<void> };
};

const vite = production
  ? undefined
  : await import("vite").then((v) => v.createServer({ server: { middlewareMode: true } }));

// In production the build is imported once: a dynamic import per request
// would go through the TypeScript loader every time.
let productionBuild: Promise<ServerBuild> | undefined;
async function loadBuild(): Promise<ServerBuild> {
  if (vite) return (await vite.ssrLoadModule("virtual:remix/server-build")) as ServerBuild;
  // @ts-expect-error the build only exists after `npm run build`
  productionBuild ??= import("./build/server/index.js") as Promise<ServerBuild>;
  return productionBuild;
}
const entryOf = (build: ServerBuild) => build.entry.module as unknown as AppEntry;

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", env.TRUST_PROXY === "false" ? false : env.TRUST_PROXY === "true" ? true : /^\d+$/.test(env.TRUST_PROXY) ? Number(env.TRUST_PROXY) : env.TRUST_PROXY);

// Request logs from an allow-list: method, path without the query string,
// status and duration. Never addresses, cookies, headers or tokens.
app.use(
  pinoHttp({
    logger,
    quietReqLogger: true,
    autoLogging: { ignore: (req) => (req.url ?? "").startsWith("/assets/") },
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, path: String(req.url).split("?")[0] }),
      res: (res: { statusCode: number }) => ({ status: res.statusCode }),
    },
    customSuccessMessage: () => "request",
    customErrorMessage: () => "request failed",
    genReqId: () => crypto.randomUUID(),
  }),
);

app.use((_req, res, next) => {
  res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
  next();
});

app.use(
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        "default-src": ["'self'"],
        "script-src": ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
        "style-src": production ? ["'self'"] : ["'self'", "'unsafe-inline'"],
        // data: for the small raster images posts may embed (the sanitizer allows only those).
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": production ? ["'self'"] : ["'self'", "ws:"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
        ...(production && env.PUBLIC_URL?.startsWith("https:") ? { "upgrade-insecure-requests": [] } : {}),
      },
    },
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: "same-origin" },
    strictTransportSecurity: env.PUBLIC_URL?.startsWith("https:") ? { maxAge: 31536000 } : false,
  }),
);
// Live-update streams (a room's or a topic's events.stream) are written
// straight to the socket, ahead of compression and the page cache, which
// would otherwise wrap every write to every viewer (app/utils/live-streams.server.ts).
app.get(/\/events\.stream$/, (req, res, next) => {
  loadBuild()
    .then((build) => entryOf(build).serveLiveStream(req, res))
    .then((served) => (served ? undefined : next()), next);
});

app.use(
  compression({
    // Live event streams must reach the browser as they are written.
    filter: (req, res) => !String(res.getHeader("Content-Type") ?? "").startsWith("text/event-stream") && compression.filter(req, res),
  }),
);
// A live-update client that stops reading is closed (it reconnects and
// resumes) instead of letting its backlog grow in the server.
app.use(closeSlowEventStreams({ backlogBytes: env.EVENTS_CLIENT_BACKLOG_KB * 1024 }));

// Cross-site request forgery: every state-changing request must come from a
// page of this site. Browsers always send Origin on such requests.
app.use((req, res, next) => {
  if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
  // One-click unsubscribe (RFC 8058) is POSTed by mail programs, which send no
  // Origin. The link's own key authorises it, and it can only switch email off.
  if (req.method === "POST" && (req.path === "/unsubscribe" || req.path === "/announcements/unsubscribe")) return next();
  const expected = env.PUBLIC_URL ? new URL(env.PUBLIC_URL).origin : `${req.protocol}://${req.get("host")}`;
  if (isSameOrigin(req.get("origin"), req.get("sec-fetch-site"), expected)) return next();
  res.status(403).type("text/plain").send("This request did not come from a page of this site, so it was refused.");
});

app.get("/healthz", async (_req, res) => {
  try {
    await entryOf(await loadBuild()).ensureDbReady();
    res.type("text/plain").send("ok");
  } catch {
    res.status(503).type("text/plain").send("database unavailable");
  }
});

// Aggregate traffic statistics for /admin/traffic: page views counted in
// memory and written every TRAFFIC_FLUSH_SECONDS, never an address
// (app/traffic/). Mounted before the page cache so cached pages count too.
const trafficStats =
  env.TRAFFIC_STATS === "on"
    ? entryOf(await loadBuild()).startTrafficStats({ flushSeconds: env.TRAFFIC_FLUSH_SECONDS, publicUrl: env.PUBLIC_URL })
    : undefined;
if (trafficStats) app.use(trafficStats.middleware);

if (vite) {
  app.use(vite.middlewares);
} else {
  // Fingerprinted assets never change; everything else in public/ is revalidated hourly.
  app.use("/assets", express.static(path.resolve("build/client/assets"), { immutable: true, maxAge: "1y" }));
  // Only the files that exist at the top of the build (favicon, robots.txt…)
  // are looked up on disk; page requests skip the file-system check.
  const topLevelFiles = new Set(fs.readdirSync(path.resolve("build/client")).map((name) => `/${name}`));
  const publicFiles = express.static(path.resolve("build/client"), { maxAge: "1h", index: false });
  app.use((req, res, next) => (topLevelFiles.has(req.path) ? publicFiles(req, res, next) : next()));
}

// Anonymous readers all see the same page for a URL: serve it from a
// short-lived cache (app/utils/page-cache.ts). Any state-changing request
// empties it.
const pageCache = new PageCache(env.PAGE_CACHE_SECONDS * 1000);
app.use((req, res, next) => {
  if (!pageCache.enabled) return next();
  if (!["GET", "HEAD", "OPTIONS"].includes(req.method)) {
    res.on("finish", () => pageCache.clear());
    return next();
  }
  if (!isCacheableRequest(req.method, req.originalUrl, req.headers.cookie)) return next();
  const key = req.originalUrl;
  const hit = pageCache.get(key);
  if (hit) {
    res.status(hit.status);
    for (const [name, value] of hit.headers) res.setHeader(name, value);
    res.setHeader("X-Cache", "HIT");
    res.end(req.method === "HEAD" ? undefined : withNonce(hit, String(res.locals.cspNonce)));
    return;
  }
  res.setHeader("X-Cache", "MISS");
  if (req.method !== "GET") return next();
  const chunks: Buffer[] = [];
  const capture = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function") return;
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
  };
  const write = res.write.bind(res) as (...args: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    capture(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as typeof res.write;
  res.end = ((chunk?: unknown, ...rest: unknown[]) => {
    capture(chunk, rest[0]);
    const headers = res.getHeaders();
    if (isCacheableResponse(res.statusCode, headers)) {
      pageCache.set(key, { status: res.statusCode, headers: storableHeaders(headers), body: Buffer.concat(chunks), nonce: String(res.locals.cspNonce) });
    }
    return end(chunk, ...rest);
  }) as typeof res.end;
  next();
});

const remixHandler = createRequestHandler({
  build: vite ? loadBuild : await loadBuild(),
  mode: env.NODE_ENV,
  getLoadContext: async (req, res) => entryOf(await loadBuild()).createLoadContext(req, res),
});
app.all("*", (req, res, next) => {
  remixHandler(req, res, next).catch(next);
});

// Live updates: in-process by default, PostgreSQL LISTEN/NOTIFY across
// instances (EVENTS_BACKEND=postgres); a wrong database URL stops start-up here.
await entryOf(await loadBuild()).startEventBus();

// Last resort: a plain page, never a stack trace.
app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
  logger.error({ err: error }, "request failed");
  if (res.headersSent) return res.end();
  res.status(500).type("text/plain").send("Something went wrong on our side. Please try again.");
});

const server = app.listen(env.PORT, env.HOST, () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : env.PORT;
  logger.info({ port, mode: env.NODE_ENV }, `Threadline is listening on http://localhost:${port}`);
});

// Archived lists sync in the background unless a separate `npm run worker` does it.
const stopImportWorker =
  env.IMPORT_WORKER === "inline"
    ? (await import("./importer/worker")).startImportWorker({ intervalMs: env.IMPORT_POLL_MINUTES * 60_000, idle: env.IMPORT_IDLE === "on" })
    : async () => {};

// Search stays current by draining the indexing outbox, here unless a
// separate `npm run worker` does it.
const { startSearchIndexer } = await import("./search/indexer.server");
const { searchEngine, closeSearchEngine } = await import("./search/engine.server");
const stopSearchIndexer = env.SEARCH_INDEXER === "inline" ? startSearchIndexer({ getEngine: searchEngine, buildWhenEmpty: true }) : async () => {};

// Queued mail is delivered (or, without SMTP_URL, kept in the outbox) here
// unless a separate `npm run worker` does it.
const { startMailWorker } = await import("./app/mail/worker.server");
const stopMailWorker = env.MAIL_WORKER === "inline" ? startMailWorker() : async () => {};

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  logger.info({ signal }, "shutting down");
  const forced = setTimeout(() => process.exit(1), 10_000);
  forced.unref();
  server.close(async () => {
    await stopImportWorker().catch(() => {});
    await stopSearchIndexer().catch(() => {});
    await entryOf(await loadBuild()).closeEventBus().catch(() => {});
    await stopMailWorker().catch(() => {});
    // The counts since the last flush are written before the database closes.
    await trafficStats?.stop().catch(() => {});
    await closeSearchEngine();
    await entryOf(await loadBuild()).disconnectDb().catch(() => {});
    await vite?.close();
    process.exit(0);
  });
  server.closeIdleConnections();
  // Live-update streams never finish by themselves: give ordinary requests a
  // moment, then end the streams (browsers reconnect to the next server).
  setTimeout(() => server.closeAllConnections(), 3_000).unref();
}
// Started with `node --expose-gc` (memory measurements, e.g. the chat
// benchmark), SIGUSR2 runs a full garbage collection first.
const collectGarbage = (globalThis as { gc?: () => void }).gc;
if (collectGarbage) process.on("SIGUSR2", () => collectGarbage());

process.on("SIGTERM", () => void shutdown("SIGTERM"));
process.on("SIGINT", () => void shutdown("SIGINT"));
