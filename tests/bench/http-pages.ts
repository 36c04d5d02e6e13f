// Server-rendered pages under concurrent load: the production build behind
// the real Express server (compression, security headers, request logging,
// Remix loaders over SQLite), measured with autocannon on the loopback interface.
import os from "node:os";
import autocannon from "autocannon";
import { ensureProductionBuild, startProductionServer } from "./lib/production-server";
import { formatMiB, sampleRss } from "./lib/rss";
import type { Benchmark, BenchContext, BenchReport } from "./types";

type Scenario = { name: string; path: string };

const SCENARIOS: Scenario[] = [
  { name: "Home page", path: "/" },
  { name: "Board page", path: "/b/python-help" },
];

const WARM_UP_SECONDS = 2;
// Browsers always ask for compressed pages, and compressing is part of the server's work.
const HEADERS = { "accept-encoding": "gzip, deflate, br", accept: "text/html" };

/** Runs autocannon for a bounded time: it is stopped if it overruns by 30 s or the run is interrupted. */
function load(url: string, connections: number, durationSeconds: number, signal: AbortSignal): Promise<autocannon.Result> {
  const host = new URL(url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "::1") {
    throw new Error(`Refusing to load-test a non-loopback address: ${url}`);
  }
  signal.throwIfAborted();
  return new Promise((resolve, reject) => {
    const onAbort = () => instance.stop();
    const instance = autocannon(
      { url, connections, duration: durationSeconds, headers: HEADERS, timeout: 10 },
      (error, result) => {
        clearTimeout(guard);
        signal.removeEventListener("abort", onAbort);
        if (signal.aborted) reject(signal.reason);
        else if (error) reject(error);
        else resolve(result);
      },
    );
    const guard = setTimeout(() => instance.stop(), (durationSeconds + 30) * 1000);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

const ms = (value: number) => (Number.isInteger(value) ? `${value}` : value.toFixed(1));

async function run(context: BenchContext): Promise<BenchReport> {
  const { durationSeconds, connections } = context.options;
  const warmUp = Math.min(WARM_UP_SECONDS, durationSeconds);
  const loadBefore = os.loadavg()[0]!;
  const build = await ensureProductionBuild(context);
  const server = await startProductionServer(context);
  const rss = sampleRss(server.pid, 250);
  const idleRss = rss.peakKiB();
  const rows: string[][] = [];
  const notes: string[] = [];
  try {
    for (const scenario of SCENARIOS) {
      const url = `${server.url}${scenario.path}`;
      const probe = await fetch(url, { headers: HEADERS, redirect: "manual", signal: AbortSignal.timeout(10_000) });
      const html = await probe.text();
      if (probe.status !== 200) throw new Error(`${scenario.path} answered ${probe.status} before the run; is the demo content seeded?`);

      context.log(`${scenario.name} (${scenario.path}): ${warmUp} s warm-up, then ${durationSeconds} s with ${connections} connections...`);
      await load(url, connections, warmUp, context.signal);

      const before = server.logCounts();
      rss.startWindow();
      const result = await load(url, connections, durationSeconds, context.signal);
      const after = server.logCounts();
      const transferred = result.requests.total ? result.throughput.total / result.requests.total : 0;

      rows.push([
        scenario.name,
        `\`${scenario.path}\``,
        result.requests.average.toFixed(0),
        ms(result.latency.p50),
        ms(result.latency.p99),
        String(result.requests.total),
        String(result.non2xx),
        String(result.errors),
        String(result.timeouts),
        formatMiB(rss.windowPeakKiB()),
      ]);
      if (result.non2xx > 0) {
        const statuses = Object.entries(result.statusCodeStats ?? {})
          .filter(([status]) => !status.startsWith("2"))
          .map(([status, stats]) => `${status} × ${stats.count ?? 0}`);
        const output = server.recentOutput().split("\n").slice(-3).join(" | ");
        notes.push(`${scenario.name}: non-2xx answers by status: ${statuses.join(", ") || "unknown"}; server output: ${output}`);
        context.log(`${scenario.name}: ${result.non2xx} non-2xx answers (${statuses.join(", ")}).`);
      }
      notes.push(
        `${scenario.name}: ${(Buffer.byteLength(html) / 1024).toFixed(1)} KiB of HTML, ` +
          `${(transferred / 1024).toFixed(1)} KiB per response on the wire (compressed, with headers); ` +
          `${after.slowQueries - before.slowQueries} slow-query warnings (> 20 ms) during the run.`,
      );
    }
    if (build.changedSince()) {
      context.log("Warning: build/ was rewritten during the run (a concurrent `npm run build`?); the figures may be skewed.");
      notes.push("Warning: build/ was rewritten while this benchmark ran (a concurrent `npm run build`), so these figures may be skewed.");
    }
    notes.unshift(
      `Server RSS: ${formatMiB(idleRss)} after start-up, peak ${formatMiB(rss.peakKiB())} over the whole benchmark (warm-ups included).`,
    );
  } catch (error) {
    if (context.signal.aborted) throw error;
    const message = error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ""}` : String(error);
    throw new Error(`${message}\n${server.recentOutput()}`, { cause: error });
  } finally {
    rss.stop();
    await server.stop();
  }

  return {
    settings: [
      `Load: autocannon, ${connections} connections, ${durationSeconds} s per page after a ${warmUp} s warm-up, ` +
        `\`Accept-Encoding: gzip, deflate, br\`, over 127.0.0.1 (load generator and server share the machine).`,
      `Server: the production build run as \`${server.command}\` (the Node flags of the \`serve\` script in package.json) with NODE_ENV=production, ` +
        "LOG_LEVEL=warn, RATE_LIMITS=relaxed, on a fresh DATA_DIR migrated and seeded with the demo content by `npm run setup`; anonymous visitors.",
      build.description,
      `Machine load: 1-minute load average ${loadBefore.toFixed(2)} just before the run (other work on the machine skews the figures).`,
      "Errors are connection errors, timeouts (10 s) included; non-2xx are complete responses with another status.",
      "RSS: VmRSS of the server process sampled every 250 ms; the table shows the peak during each measured run.",
    ],
    tables: [
      {
        columns: ["Page", "Path", "Req/s (mean)", "p50 ms", "p99 ms", "Requests", "Non-2xx", "Errors", "Timeouts", "Peak RSS"],
        rows,
      },
    ],
    notes,
  };
}

export const httpPages: Benchmark = {
  name: "http-pages",
  title: "Pages over HTTP",
  description:
    "Throughput and latency of server-rendered pages (the home page and a board page) for anonymous visitors, " +
    "through the whole production stack, and the server's memory while under that load.",
  run,
};
