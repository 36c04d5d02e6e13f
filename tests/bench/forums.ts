// Forum pages and replies at scale: the production server on a generated
// database of 100 boards, 100,000 topics and 2,000,000 posts (see
// lib/forum-dataset.ts), loaded with autocannon. Reads are measured with the
// harness's connection count (queueing included) and with one connection (an
// unloaded request, closest to the server's own time per request); one read
// scenario is then repeated under `node --cpu-prof` to show where the time goes.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type autocannon from "autocannon";
import Database from "better-sqlite3";
import { analyseCpuProfile, type ProfileSummary } from "./lib/cpu-profile";
import { startServerOnData, type DataServer } from "./lib/data-server";
import { copyDataset, createSessions, DATASET_SHAPE, ensureForumDataset, formatBytes, type ForumDataset } from "./lib/forum-dataset";
import { createRandom, postBody } from "./lib/forum-text";
import { describeStatuses, formatMs, percentile, runLoad, type LoadOutcome } from "./lib/load";
import { ensureProductionBuild } from "./lib/production-server";
import { formatMiB, sampleRss, type RssSampler } from "./lib/rss";
import type { Benchmark, BenchContext, BenchReport, BenchTable } from "./types";

const WARM_UP_SECONDS = 2;
// The app's page sizes (app/forums/read.server.ts); the probes below check that the pages match.
const POSTS_PER_PAGE = 20;
const TOPICS_PER_PAGE = 30;
const DEEP_BOARD_PAGE = 30;
const GOALS = { p50Ms: 20, p99Ms: 100, rssMiB: 300 };
const HEADERS = { "accept-encoding": "gzip, deflate, br", accept: "text/html" };

type ReadScenario = { name: string; path: string; expect: RegExp[] };

type Measured = {
  name: string;
  path: string;
  connections: number;
  outcome: LoadOutcome;
  /** Responses that count as success: 2xx for pages, 3xx (the redirect to the new post) for replies. */
  ok: (status: number) => boolean;
  rssKiB: number | null;
  slowQueries: number;
};

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

async function probe(url: string, init: RequestInit = {}) {
  const response = await fetch(url, { headers: HEADERS, redirect: "manual", signal: AbortSignal.timeout(30_000), ...init });
  return { status: response.status, location: response.headers.get("location"), html: await response.text() };
}

/** One measured run, with the server's peak RSS and slow-query warnings during it. */
async function measure(
  context: BenchContext,
  server: DataServer,
  rss: RssSampler,
  run: { name: string; path: string; connections: number; durationSeconds: number; requests?: autocannon.Request[]; ok: (status: number) => boolean },
): Promise<Measured> {
  context.log(`${run.name}: ${run.durationSeconds} s with ${run.connections} connection${run.connections === 1 ? "" : "s"}...`);
  const before = server.logCounts();
  rss.startWindow();
  const outcome = await runLoad({
    url: `${server.url}${run.path}`,
    connections: run.connections,
    durationSeconds: run.durationSeconds,
    headers: HEADERS,
    requests: run.requests,
    signal: context.signal,
  });
  return { ...run, outcome, rssKiB: rss.windowPeakKiB(), slowQueries: server.logCounts().slowQueries - before.slowQueries };
}

const unexpected = (m: Measured) => [...m.outcome.statuses.entries()].filter(([status]) => !m.ok(status)).reduce((sum, [, n]) => sum + n, 0);

function resultRow(m: Measured): string[] {
  const { outcome } = m;
  return [
    m.name,
    `\`${m.path}\``,
    String(m.connections),
    outcome.perSecond.toFixed(0),
    formatMs(percentile(outcome.latencies, 50)),
    formatMs(percentile(outcome.latencies, 95)),
    formatMs(percentile(outcome.latencies, 99)),
    String(outcome.latencies.length),
    String(unexpected(m)),
    String(outcome.result.errors),
    formatMiB(m.rssKiB),
  ];
}

async function run(context: BenchContext): Promise<BenchReport> {
  const { durationSeconds, connections } = context.options;
  const warmUp = Math.min(WARM_UP_SECONDS, durationSeconds);
  const loadBefore = os.loadavg()[0]!;
  const build = await ensureProductionBuild(context);
  const buildStale = fs.existsSync(path.join(context.root, "build", "server", "index.js"))
    && newestMtime(path.join(context.root, "app")) > fs.statSync(path.join(context.root, "build", "server", "index.js")).mtimeMs;
  if (buildStale) context.log("Warning: build/ is older than some files under app/; pass --build to measure the current code.");
  const dataset = await ensureForumDataset(context);
  const manifest = dataset.manifest;

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-bench-forums-run-"));
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  context.onCleanup(removeDataDir);
  process.once("exit", removeDataDir);
  const notes: string[] = [];
  const measured: Measured[] = [];
  let profile: ProfileSummary | undefined;
  let copySeconds = 0;
  let idleRss: number | null = null;
  let overallPeakRss: number | null = null;
  try {
    const copyStart = performance.now();
    copyDataset(dataset, dataDir);
    copySeconds = (performance.now() - copyStart) / 1000;
    context.log(`Copied the dataset into ${dataDir} in ${copySeconds.toFixed(1)} s.`);

    const { benchUser, replyingMemberIds, featuredTopic, board, replyTopic } = manifest;
    const tokens = await createSessions(context, dataDir, [benchUser.id, ...replyingMemberIds]);
    const poolTokens = replyingMemberIds.map((id) => tokens.get(id)!);
    const benchToken = tokens.get(benchUser.id)!;

    const topicPath = `/t/${featuredTopic.id}/${featuredTopic.slug}`;
    const lastPage = Math.ceil(featuredTopic.posts / POSTS_PER_PAGE);
    const boardPath = `/b/${board.slug}`;
    const boardPages = Math.ceil(board.topicCount / TOPICS_PER_PAGE);
    const deepPage = Math.min(DEEP_BOARD_PAGE, boardPages);
    const READS: ReadScenario[] = [
      { name: "Topic, page 1", path: topicPath, expect: [/id="post-1"/, new RegExp(`id="post-${POSTS_PER_PAGE}"`)] },
      {
        name: `Topic, last page (${lastPage})`,
        path: `${topicPath}?page=${lastPage}`,
        expect: [new RegExp(`id="post-${featuredTopic.posts}"`), new RegExp(`id="post-${(lastPage - 1) * POSTS_PER_PAGE + 1}"`)],
      },
      { name: "Board, page 1", path: boardPath, expect: [/aria-current="page"[^>]*>1</] },
      { name: `Board, page ${deepPage}`, path: `${boardPath}?page=${deepPage}`, expect: [new RegExp(`aria-current="page"[^>]*>${deepPage}<`)] },
    ];

    let server = await startServerOnData(context, { dataDir });
    const rss = sampleRss(server.pid, 250);
    idleRss = rss.peakKiB();
    try {
      // Reads, as an anonymous visitor.
      for (const scenario of READS) {
        const page = await probe(`${server.url}${scenario.path}`);
        if (page.status !== 200) throw new Error(`${scenario.path} answered ${page.status} before the run.`);
        for (const pattern of scenario.expect) {
          if (!pattern.test(page.html)) throw new Error(`${scenario.path} does not look as expected (no match for ${pattern}); did the page size change?`);
        }
        notes.push(`${scenario.name}: ${(Buffer.byteLength(page.html) / 1024).toFixed(1)} KiB of HTML.`);
        context.log(`${scenario.name} (${scenario.path}): ${warmUp} s warm-up...`);
        await runLoad({ url: `${server.url}${scenario.path}`, connections, durationSeconds: warmUp, headers: HEADERS, signal: context.signal });
        const ok = (status: number) => status >= 200 && status < 300;
        measured.push(await measure(context, server, rss, { name: scenario.name, path: scenario.path, connections, durationSeconds, ok }));
        measured.push(await measure(context, server, rss, { name: scenario.name, path: scenario.path, connections: 1, durationSeconds, ok }));
      }

      // Replies: form posts as the composer sends them, each with its own submissionId.
      const replyPath = `/t/${replyTopic.id}/${replyTopic.slug}`;
      const runId = randomBytes(4).toString("hex");
      const text = createRandom(7);
      let sequence = 0;
      const replyForm = () => {
        sequence += 1;
        return new URLSearchParams({ body: postBody(text).raw, acknowledgePublic: "yes", submissionId: `bench-${runId}-${sequence}` }).toString();
      };
      const postHeaders = (token: string) => ({
        ...HEADERS,
        "content-type": "application/x-www-form-urlencoded",
        origin: server.url,
        cookie: `threadline_session=${token}`,
      });
      const replyRequests = (pool: string[]): autocannon.Request[] => [
        {
          method: "POST",
          path: replyPath,
          setupRequest: (request) => ({ ...request, headers: postHeaders(pool[sequence % pool.length]!), body: replyForm() }),
        },
      ];
      const redirected = (status: number) => status >= 300 && status < 400;
      const first = await probe(`${server.url}${replyPath}`, { method: "POST", headers: postHeaders(poolTokens[0]!), body: replyForm() });
      if (!redirected(first.status) || !first.location?.startsWith(`${replyPath}/`)) {
        throw new Error(`A test reply answered ${first.status} (location ${first.location ?? "none"}), not a redirect to the new post:\n${first.html.slice(0, 500)}`);
      }
      let redirects = 1;
      context.log(`Reply, ${poolTokens.length} members (${replyPath}): ${warmUp} s warm-up...`);
      const warm = await runLoad({ url: `${server.url}${replyPath}`, connections, durationSeconds: warmUp, requests: replyRequests(poolTokens), signal: context.signal });
      const countRedirects = (outcome: LoadOutcome) => [...outcome.statuses.entries()].filter(([status]) => redirected(status)).reduce((sum, [, n]) => sum + n, 0);
      redirects += countRedirects(warm);
      const replyRuns = [
        { name: `Reply, ${poolTokens.length} members`, connections, requests: replyRequests(poolTokens) },
        { name: `Reply, ${poolTokens.length} members`, connections: 1, requests: replyRequests(poolTokens) },
        { name: "Reply, one member", connections, requests: replyRequests([benchToken]) },
      ];
      for (const replyRun of replyRuns) {
        const m = await measure(context, server, rss, { ...replyRun, path: replyPath, durationSeconds, ok: redirected });
        redirects += countRedirects(m.outcome);
        measured.push(m);
      }
      overallPeakRss = rss.peakKiB();
      rss.stop();
      const stopped = await server.stop();
      if (!stopped.graceful) notes.push("The server did not stop within 15 s of SIGTERM and was killed.");

      // Did every redirect stand for a stored post?
      const check = new Database(path.join(dataDir, "threadline.db"), { readonly: true });
      try {
        const posts = Number(check.prepare(`SELECT count(*) FROM "Post" WHERE "topicId" = ?`).pluck().get(replyTopic.id));
        const created = posts - replyTopic.posts;
        notes.push(
          `Replies: ${created} posts were stored in topic ${replyTopic.id} during the run (warm-up and test post included) ` +
            `for ${redirects} redirect answers${created === redirects ? ", one each" : "; these should be equal"}.`,
        );
      } finally {
        check.close();
      }

      // Where the time goes: the topic's first page again, under --cpu-prof.
      const profileDir = path.join(dataDir, "cpu-profile");
      server = await startServerOnData(context, { dataDir, nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] });
      await runLoad({ url: `${server.url}${topicPath}`, connections, durationSeconds: warmUp, headers: HEADERS, signal: context.signal });
      context.log(`Profiling "Topic, page 1": ${durationSeconds} s with ${connections} connections under --cpu-prof...`);
      const from = Number(process.hrtime.bigint() / 1000n);
      const profiled = await runLoad({ url: `${server.url}${topicPath}`, connections, durationSeconds, headers: HEADERS, signal: context.signal });
      const to = Number(process.hrtime.bigint() / 1000n);
      const { graceful } = await server.stop();
      const files = fs.existsSync(profileDir) ? fs.readdirSync(profileDir).filter((name) => name.endsWith(".cpuprofile")) : [];
      if (!graceful || !files.length) {
        notes.push(`No CPU profile was written (the server ${graceful ? "exited but wrote no .cpuprofile" : "had to be killed"}).`);
      } else {
        // The main thread's profile is the largest (the tsx loader thread writes one too).
        const largest = files.map((name) => path.join(profileDir, name)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
        profile = analyseCpuProfile(largest, context.root, { top: 12, window: [from, to] });
        notes.push(
          `Profile: "Topic, page 1" with ${connections} connections under \`node --cpu-prof\` ran at ${profiled.perSecond.toFixed(0)} req/s ` +
            `(p50 ${formatMs(percentile(profiled.latencies, 50))} ms); the main thread was busy ${pct(profile.busyMs / Math.max(1, profile.totalMs))} ` +
            `of the ${(profile.totalMs / 1000).toFixed(1)} s ${profile.windowed ? "measured window" : "profile (start-up included: the clocks did not line up)"}, ` +
            `${(profile.busyMs / Math.max(1, profiled.latencies.length)).toFixed(1)} ms of CPU per page.`,
        );
      }
    } catch (error) {
      if (context.signal.aborted) throw error;
      const message = error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ""}` : String(error);
      throw new Error(`${message}\n${server.recentOutput()}`, { cause: error });
    } finally {
      rss.stop();
      await server.stop();
    }
  } finally {
    removeDataDir();
    process.off("exit", removeDataDir);
  }

  return report(context, { dataset, measured, profile, notes, copySeconds, idleRss, overallPeakRss, build, buildStale, loadBefore, warmUp });
}

function report(
  context: BenchContext,
  r: {
    dataset: ForumDataset;
    measured: Measured[];
    profile: ProfileSummary | undefined;
    notes: string[];
    copySeconds: number;
    idleRss: number | null;
    overallPeakRss: number | null;
    build: { description: string; changedSince: () => boolean };
    buildStale: boolean;
    loadBefore: number;
    warmUp: number;
  },
): BenchReport {
  const { durationSeconds, connections } = context.options;
  const m = r.dataset.manifest;
  const tables: BenchTable[] = [
    {
      columns: ["Scenario", "Path", "Conns", "Req/s", "p50 ms", "p95 ms", "p99 ms", "Requests", "Unexpected", "Errors", "Peak RSS"],
      rows: r.measured.map(resultRow),
    },
  ];

  // Goals from the issue: reads at 50 connections, p50 < 20 ms, p99 < 100 ms, RSS < 300 MB.
  const goalRows: string[][] = [];
  const reads = r.measured.filter((x) => !x.name.startsWith("Reply"));
  for (const loaded of reads.filter((x) => x.connections !== 1)) {
    const single = reads.find((x) => x.name === loaded.name && x.connections === 1);
    const p50 = percentile(loaded.outcome.latencies, 50);
    const p99 = percentile(loaded.outcome.latencies, 99);
    const p50One = single ? percentile(single.outcome.latencies, 50) : Number.NaN;
    const p99One = single ? percentile(single.outcome.latencies, 99) : Number.NaN;
    const rssMiB = (loaded.rssKiB ?? 0) / 1024;
    const verdict = (value: number, goal: number) => (Number.isNaN(value) ? "n/a" : value < goal ? "met" : "missed");
    goalRows.push([
      loaded.name,
      `${formatMs(p50)} (${verdict(p50, GOALS.p50Ms)})`,
      `${formatMs(p99)} (${verdict(p99, GOALS.p99Ms)})`,
      `${formatMs(p50One)} (${verdict(p50One, GOALS.p50Ms)})`,
      `${formatMs(p99One)} (${verdict(p99One, GOALS.p99Ms)})`,
      `${(1000 / Math.max(loaded.outcome.perSecond, 1e-9)).toFixed(1)}`,
      `${formatMiB(loaded.rssKiB)} (${loaded.rssKiB === null ? "n/a" : rssMiB < GOALS.rssMiB ? "met" : "missed"})`,
    ]);
  }
  tables.push({
    columns: [
      "Read",
      `p50 ms @${connections} (goal < ${GOALS.p50Ms})`,
      `p99 ms @${connections} (goal < ${GOALS.p99Ms})`,
      `p50 ms @1 (goal < ${GOALS.p50Ms})`,
      `p99 ms @1 (goal < ${GOALS.p99Ms})`,
      "ms of server per request (1000 / req/s)",
      `Peak RSS (goal < ${GOALS.rssMiB} MB)`,
    ],
    rows: goalRows,
  });

  if (r.profile) {
    tables.push({
      columns: ["Package (profile of Topic, page 1)", "Self ms", "Self share", "On the stack"],
      rows: r.profile.packages.map((p) => [p.name, p.selfMs.toFixed(0), pct(p.selfShare), pct(p.inclusiveShare)]),
    });
    tables.push({
      columns: ["Function (by self time)", "Where", "Package", "Self ms", "Self share"],
      rows: r.profile.functions.map((f) => [f.name, f.where ? `\`${f.where}\`` : "", f.packageName, f.selfMs.toFixed(0), pct(f.selfShare)]),
    });
  }

  const notes = [...r.notes];
  for (const x of r.measured) {
    const bad = unexpected(x);
    const throttled = x.outcome.statuses.get(429) ?? 0;
    if (bad > 0) {
      notes.push(
        `${x.name} (${x.connections} conn.): ${bad} unexpected answers${throttled ? `, of which ${throttled} were 429 (the posting rate limit, ` +
          `3 per 30 s per member, × 100 with RATE_LIMITS=relaxed = 300 per 30 s)` : ""}; all statuses: ${describeStatuses(x.outcome.statuses)}.`,
      );
    }
    if (x.slowQueries > 0) notes.push(`${x.name} (${x.connections} conn.): ${x.slowQueries} slow-query warnings (> 20 ms) from the server.`);
  }
  notes.unshift(
    `Server RSS: ${formatMiB(r.idleRss)} after start-up, peak ${formatMiB(r.overallPeakRss)} over the whole run (warm-ups included).`,
  );
  if (r.buildStale) notes.push("Warning: build/ was older than some files under app/ when this ran; the figures are for that older build.");
  if (r.build.changedSince()) notes.push("Warning: build/ was rewritten while this benchmark ran (a concurrent `npm run build`), so these figures may be skewed.");

  const sizes = m.topicSizes;
  return {
    settings: [
      `Dataset: ${m.counts.forums} forums, ${m.counts.boards} boards, ${m.counts.topics.toLocaleString("en")} topics, ` +
        `${m.counts.posts.toLocaleString("en")} posts, ${m.counts.members.toLocaleString("en")} members; posts per topic: median ${sizes.median}, ` +
        `90th percentile ${sizes.p90}, 99th ${sizes.p99}, largest ${sizes.max.toLocaleString("en")}, ${sizes.singlePost.toLocaleString("en")} topics without replies. ` +
        `Generated by tests/bench/lib/forum-dataset.ts (better-sqlite3, fixed seed) in ${m.generationSeconds.toFixed(0)} s ` +
        `(${m.builtAt}${r.dataset.generated ? ", during this run" : ", cached"}); database file ${formatBytes(m.dbBytes)}, ` +
        `copied into the run's own DATA_DIR in ${r.copySeconds.toFixed(1)} s. Migrations: ${m.migrations.join(", ")}.`,
      `Pages: topic ${m.featuredTopic.id} has exactly ${m.featuredTopic.posts} posts (${POSTS_PER_PAGE} per page); ` +
        `board \`${m.board.slug}\` has ${m.board.topicCount} topics (${TOPICS_PER_PAGE} per page). Reads are anonymous.`,
      `Replies: form posts (\`body\`, \`acknowledgePublic=yes\`, a unique \`submissionId\`, the Origin header and a session cookie from the app's ` +
        `createSession) to topic ${m.replyTopic.id}; a 3xx redirect to the new post is success. "${DATASET_SHAPE.replyingMembers} members" rotates ` +
        `over ${DATASET_SHAPE.replyingMembers} members' sessions; "one member" is the single benchmark account, which meets the posting rate limit.`,
      `Load: autocannon, ${connections} connections (and 1 connection for an unloaded figure), ${durationSeconds} s per run after a ${r.warmUp} s ` +
        `warm-up at ${connections} connections, \`Accept-Encoding: gzip, deflate, br\`, over 127.0.0.1 (load generator and server share the machine). ` +
        `Latencies are percentiles of every response; "Unexpected" counts answers other than 2xx for pages and 3xx for replies; errors include timeouts (10 s).`,
      "Server: the production build run as `node --import tsx server.ts` with NODE_ENV=production, LOG_LEVEL=warn, RATE_LIMITS=relaxed.",
      r.build.description,
      `Machine load: 1-minute load average ${r.loadBefore.toFixed(2)} just before the run.`,
      "RSS: VmRSS of the server process sampled every 250 ms; the peak during each measured run.",
      `Server time: with ${connections} connections on this machine most of the latency is queueing behind other requests (Node runs one ` +
        `request's JavaScript at a time, and SQLite calls are synchronous), so the 1-connection runs and "1000 / req/s" (the server's ` +
        `time per request when saturated) are the closest measures of the time the server spends on one request.`,
    ],
    tables,
    notes,
  };
}

export const forums: Benchmark = {
  name: "forums",
  title: "Forum pages and replies at scale",
  description:
    "A 500-post topic (first and last page), a board's first and a deep page, and posting replies, on a generated database of " +
    "100 boards, 100,000 topics and 2,000,000 posts: throughput, latency (loaded and unloaded), server memory, and a CPU profile.",
  run,
};
