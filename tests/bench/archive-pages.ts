// Archive pages at scale: a synthetic list of ARCHIVE_BENCH_MESSAGES
// (default 20,000) messages imported with `npm run import`, served by the
// production build, and the list, month, thread and message pages loaded with
// autocannon. The page cache is off (PAGE_CACHE_SECONDS=0) so that every
// request renders: one connection gives the server's own time per page, the
// harness's connection count shows behaviour under load.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { startServerOnData, type DataServer } from "./lib/data-server";
import { describeStatuses, formatMs, percentile, runLoad } from "./lib/load";
import { ensureMbox } from "./lib/mbox-generator";
import { benchEnv, ensureProductionBuild, runCommand } from "./lib/production-server";
import { formatMiB, sampleRss } from "./lib/rss";
import type { Benchmark, BenchContext, BenchReport } from "./types";

const SLUG = "bench-archive";
const GOAL_P50_MS = 20;
const WARM_UP_SECONDS = 2;
const HEADERS = { "accept-encoding": "gzip, deflate, br", accept: "text/html" };

type Page = { name: string; path: string; goal: boolean; detail: string };

function messagesFromEnv(): number {
  const raw = process.env.ARCHIVE_BENCH_MESSAGES;
  const value = raw ? Number(raw) : 20_000;
  if (!Number.isInteger(value) || value < 100) throw new Error(`ARCHIVE_BENCH_MESSAGES must be a whole number of at least 100, not "${raw}".`);
  return value;
}

async function step(context: BenchContext, label: string, args: string[], dataDir: string, timeoutMs: number) {
  const started = performance.now();
  const result = await runCommand("npm", ["run", "--silent", ...args], { cwd: context.root, env: benchEnv(dataDir, { SEED_DEMO: "false", LOG_LEVEL: "warn" }), timeoutMs });
  if (result.code !== 0) throw new Error(`${label} failed (exit code ${result.code}):\n${result.output.slice(-3000)}`);
  return { seconds: (performance.now() - started) / 1000, output: result.output };
}

/** The pages worth measuring, picked from the imported archive itself. */
function pickPages(dataDir: string): Page[] {
  const database = new Database(path.join(dataDir, "threadline.db"), { readonly: true });
  try {
    const month = database
      .prepare(
        // Dates are stored as ISO 8601 text ("2024-05-01T12:00:00.000+00:00").
        `SELECT substr(date, 1, 4) AS year, substr(date, 6, 2) AS month, COUNT(*) AS n
         FROM MailMessage WHERE kind = 'message' AND date IS NOT NULL GROUP BY 1, 2 ORDER BY n DESC LIMIT 1`,
      )
      .get() as { year: string; month: string; n: number };
    const largest = database.prepare("SELECT publicId, messageCount FROM MailThread ORDER BY messageCount DESC LIMIT 1").get() as { publicId: string; messageCount: number };
    const typical = database
      .prepare("SELECT publicId, messageCount FROM MailThread WHERE messageCount BETWEEN 5 AND 15 ORDER BY id LIMIT 1 OFFSET 50")
      .get() as { publicId: string; messageCount: number } | undefined;
    const message = database
      .prepare("SELECT publicId FROM MailMessage WHERE kind = 'message' AND hiddenAt IS NULL ORDER BY id LIMIT 1 OFFSET ?")
      .get(Math.floor(Number((database.prepare("SELECT COUNT(*) AS n FROM MailMessage").get() as { n: number }).n) / 2)) as { publicId: string };
    const pages: Page[] = [
      { name: "List page", path: `/lists/${SLUG}`, goal: false, detail: "recent threads, month index" },
      { name: "Month page", path: `/lists/${SLUG}/${month.year}/${month.month}`, goal: true, detail: `busiest month, ${month.n} messages, by thread` },
      { name: "Month by date", path: `/lists/${SLUG}/${month.year}/${month.month}?sort=date`, goal: true, detail: "same month, by date" },
      { name: "Thread page (largest)", path: `/lists/${SLUG}/thread/${largest.publicId}`, goal: true, detail: `${largest.messageCount} messages` },
    ];
    if (typical) pages.push({ name: "Thread page (typical)", path: `/lists/${SLUG}/thread/${typical.publicId}`, goal: true, detail: `${typical.messageCount} messages` });
    pages.push({ name: "Message page", path: `/lists/${SLUG}/m/${message.publicId}`, goal: false, detail: "one message" });
    return pages;
  } finally {
    database.close();
  }
}

async function run(context: BenchContext): Promise<BenchReport> {
  const messages = messagesFromEnv();
  const { connections, durationSeconds } = context.options;
  const build = await ensureProductionBuild(context);
  const mbox = await ensureMbox({ messages }, context.log);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-bench-archive-"));
  context.onCleanup(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let server: DataServer | undefined;
  const rows: string[][] = [];
  const notes: string[] = [];
  try {
    context.log("Preparing the archive: setup, list, import...");
    await step(context, "npm run setup", ["setup"], dataDir, 5 * 60_000);
    const created = await runCommand(process.execPath, ["--import", "tsx", "tests/bench/lib/importer-create-list.ts", SLUG], {
      cwd: context.root,
      env: benchEnv(dataDir, { LOG_LEVEL: "warn" }),
      timeoutMs: 60_000,
    });
    if (created.code !== 0) throw new Error(`creating the list failed:\n${created.output}`);
    await step(context, "npm run list -- publish", ["list", "--", "publish", SLUG], dataDir, 60_000);
    const imported = await step(context, "npm run import", ["import", "--", "mbox", mbox.file, "--list", SLUG], dataDir, 60 * 60_000);
    context.log(`Imported ${messages.toLocaleString("en")} messages in ${imported.seconds.toFixed(0)} s.`);
    const pages = pickPages(dataDir);

    // Indexing 20,000 new messages for search would compete with the pages being measured.
    server = await startServerOnData(context, { dataDir, env: { PAGE_CACHE_SECONDS: "0", IMPORT_WORKER: "off", SEARCH_INDEXER: "off" } });
    const rss = sampleRss(server.pid, 250);
    try {
      for (const page of pages) {
        const url = `${server.url}${page.path}`;
        const probe = await fetch(url, { headers: HEADERS, signal: AbortSignal.timeout(60_000) });
        if (probe.status !== 200) throw new Error(`${page.path} answered ${probe.status} before the run`);
        await probe.arrayBuffer();
        for (const clients of [1, connections]) {
          context.log(`${page.name}: ${WARM_UP_SECONDS} s warm-up, then ${durationSeconds} s with ${clients} connection(s)...`);
          await runLoad({ url, connections: clients, durationSeconds: WARM_UP_SECONDS, headers: HEADERS, signal: context.signal });
          rss.startWindow();
          const outcome = await runLoad({ url, connections: clients, durationSeconds, headers: HEADERS, signal: context.signal });
          const p50 = percentile(outcome.latencies, 50);
          const non2xx = [...outcome.statuses.entries()].filter(([status]) => status < 200 || status >= 300).reduce((sum, [, n]) => sum + n, 0);
          rows.push([
            page.name,
            page.detail,
            String(clients),
            outcome.perSecond.toFixed(0),
            formatMs(p50),
            formatMs(percentile(outcome.latencies, 95)),
            formatMs(percentile(outcome.latencies, 99)),
            page.goal && clients === 1 ? (p50 < GOAL_P50_MS ? "met" : "missed") : "",
            formatMiB(rss.windowPeakKiB()),
          ]);
          if (non2xx > 0) notes.push(`${page.name} with ${clients} connection(s): ${describeStatuses(outcome.statuses)}.`);
        }
      }
    } finally {
      rss.stop();
    }
    notes.unshift(
      `Archive: ${messages.toLocaleString("en")} generated messages (${(mbox.bytes / 1024 / 1024).toFixed(0)} MiB mbox, ${mbox.threads.toLocaleString("en")} threads, ` +
        `largest ${mbox.mix.largestThread}), imported with \`npm run import -- mbox\` in ${imported.seconds.toFixed(0)} s before the server started.`,
    );
    if (build.changedSince()) notes.push("Warning: build/ was rewritten while this benchmark ran, so these figures may be skewed.");
  } finally {
    await server?.stop();
  }
  return {
    settings: [
      `Load: autocannon over 127.0.0.1, ${durationSeconds} s per page and connection count after a ${WARM_UP_SECONDS} s warm-up; anonymous visitors; ` +
        "`PAGE_CACHE_SECONDS=0`, so every request renders (with the cache on, repeated anonymous requests are answered from memory).",
      `Server: the production build as \`${server?.command ?? "npm run serve"}\`, LOG_LEVEL=warn, RATE_LIMITS=relaxed, IMPORT_WORKER=off.`,
      build.description,
      `Machine load: 1-minute load average ${os.loadavg()[0]!.toFixed(2)} at the end of the run.`,
      `Goal (archive issue): month and thread pages p50 under ${GOAL_P50_MS} ms of server time, read here as p50 with one connection.`,
    ],
    tables: [
      {
        columns: ["Page", "What", "Connections", "Req/s", "p50 ms", "p95 ms", "p99 ms", "p50 goal", "Peak RSS"],
        rows,
      },
    ],
    notes,
  };
}

export const archivePages: Benchmark = {
  name: "archive-pages",
  title: "Archive pages",
  description:
    "Latency and throughput of the mailing-list archive's list, month, thread and message pages on a generated archive " +
    "(ARCHIVE_BENCH_MESSAGES, default 20,000), rendered on every request.",
  run,
};
