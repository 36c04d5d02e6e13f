// Forum pages and replies at scale: the production server on a generated
// database of 100 boards, 100,000 topics and 2,000,000 posts (see
// lib/forum-dataset.ts), loaded with autocannon.
//
// Every page is read by anonymous visitors (who may be answered from the
// server's page cache) and by logged-in members (whose session cookie bypasses
// it, so each page is rendered), with the harness's connection count (queueing
// included) and with one connection (an unloaded request, the closest measure
// of the server's own time per page). Replies are posted as members. Topic
// page 1 is then loaded again under `node --cpu-prof` to show where the time goes.
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
import { ensureProductionBuild, type BuildInfo } from "./lib/production-server";
import { formatMiB, sampleRss, type RssSampler } from "./lib/rss";
import type { Benchmark, BenchContext, BenchReport, BenchTable } from "./types";

const WARM_UP_SECONDS = 2;
// The app's page sizes (app/forums/read.server.ts); the probes below check that the pages match.
const POSTS_PER_PAGE = 20;
const TOPICS_PER_PAGE = 30;
const DEEP_BOARD_PAGE = 30;
const GOALS = { p50Ms: 20, p99Ms: 100, rssMiB: 300 };
const HEADERS: Record<string, string> = { "accept-encoding": "gzip, deflate, br", accept: "text/html" };
const UNCOMPRESSED: Record<string, string> = { ...HEADERS, "accept-encoding": "identity" };

type Audience = "visitor" | "member";
const AUDIENCE_LABEL: Record<Audience, string> = { visitor: "visitor", member: "member" };

type Page = { name: string; path: string; expect: RegExp[]; headers?: Record<string, string>; goal: boolean };

type Measured = {
  name: string;
  who: string;
  path: string;
  connections: number;
  goal: boolean;
  outcome: LoadOutcome;
  /** Responses that count as success: 2xx for pages, 3xx (the redirect to the new post) for replies. */
  ok: (status: number) => boolean;
  rssKiB: number | null;
  slowQueries: number;
  serverOutput: string;
};

type Profiled = { label: string; summary: ProfileSummary; perSecond: number; p50: number; responses: number };

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;

/** Coarse groups for the "where the time goes" summary, by package name (first match wins). */
const TIME_GROUPS: Array<[string, (name: string) => boolean]> = [
  ["Prisma and SQLite (query compiler, client, adapter, better-sqlite3)", (n) => n.startsWith("@prisma/") || n === "better-sqlite3"],
  ["compression (zlib)", (n) => n === "Node.js zlib" || n === "compression"],
  ["garbage collection", (n) => n === "V8 garbage collector"],
  ["Buffer copies", (n) => n === "Node.js buffer"],
  ["React rendering", (n) => n === "react-dom" || n === "react"],
  ["Remix (router, server runtime, turbo-stream)", (n) => n.startsWith("@remix-run/") || n === "turbo-stream"],
  ["HTTP, sockets, streams, Express and logging", (n) => /^Node\.js (_http|net|stream|streams|stream_base_commons|events)/.test(n) || ["express", "pino", "pino-http", "helmet", "send", "serve-static", "on-finished"].includes(n)],
  ["app code", (n) => n.startsWith("app ") || n === "server.ts" || n.startsWith("app/")],
];

function whereTheTimeGoes(summary: ProfileSummary): string {
  const totals = new Map<string, number>();
  let other = 0;
  for (const p of summary.allPackages) {
    const group = TIME_GROUPS.find(([, test]) => test(p.name))?.[0];
    if (group) totals.set(group, (totals.get(group) ?? 0) + p.selfShare);
    else other += p.selfShare;
  }
  return [...totals.entries(), ["everything else", other] as [string, number]]
    .sort((a, b) => b[1] - a[1])
    .map(([group, share]) => `${group} ${pct(share)}`)
    .join(", ");
}
const isSuccess = (status: number) => status >= 200 && status < 300;
const isRedirect = (status: number) => status >= 300 && status < 400;

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (entry.isFile()) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

async function probe(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) {
  const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(30_000), ...init, headers: init.headers ?? HEADERS });
  return { status: response.status, location: response.headers.get("location"), cache: response.headers.get("x-cache"), html: await response.text() };
}

/** One measured run, with the server's peak RSS and slow-query warnings during it. */
async function measure(
  context: BenchContext,
  server: DataServer,
  rss: RssSampler,
  run: Omit<Measured, "outcome" | "rssKiB" | "slowQueries" | "serverOutput"> & {
    durationSeconds: number;
    headers?: Record<string, string>;
    requests?: autocannon.Request[];
  },
): Promise<Measured> {
  context.log(`${run.name} (${run.who}): ${run.durationSeconds} s with ${run.connections} connection${run.connections === 1 ? "" : "s"}...`);
  const before = server.logCounts();
  rss.startWindow();
  const outcome = await runLoad({
    url: `${server.url}${run.path}`,
    connections: run.connections,
    durationSeconds: run.durationSeconds,
    headers: run.headers ?? HEADERS,
    requests: run.requests,
    signal: context.signal,
  });
  const { name, who, path: runPath, connections, goal, ok } = run;
  return {
    name, who, path: runPath, connections, goal, ok, outcome,
    rssKiB: rss.windowPeakKiB(),
    slowQueries: server.logCounts().slowQueries - before.slowQueries,
    serverOutput: server.recentOutput().split("\n").slice(-3).join(" | ").slice(0, 600),
  };
}

const unexpected = (m: Measured) => [...m.outcome.statuses.entries()].filter(([status]) => !m.ok(status)).reduce((sum, [, n]) => sum + n, 0);

function resultRow(m: Measured): string[] {
  const { outcome } = m;
  return [
    m.name,
    m.who,
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
  const entry = path.join(context.root, "build", "server", "index.js");
  const buildStale = fs.existsSync(entry) && newestMtime(path.join(context.root, "app")) > fs.statSync(entry).mtimeMs;
  if (buildStale) context.log("Warning: build/ is older than some files under app/; pass --build to measure the current code.");
  const dataset = await ensureForumDataset(context);
  const manifest = dataset.manifest;

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-bench-forums-run-"));
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  context.onCleanup(removeDataDir);
  process.once("exit", removeDataDir);
  const notes: string[] = [];
  const measured: Measured[] = [];
  const profiles: Profiled[] = [];
  let copySeconds = 0;
  let idleRss: number | null = null;
  let overallPeakRss: number | null = null;
  let serverCommand = "";
  try {
    const copyStart = performance.now();
    copyDataset(dataset, dataDir);
    copySeconds = (performance.now() - copyStart) / 1000;
    context.log(`Copied the dataset into ${dataDir} in ${copySeconds.toFixed(1)} s.`);

    const { benchUser, replyingMemberIds, featuredTopic, board, replyTopic } = manifest;
    const tokens = await createSessions(context, dataDir, [benchUser.id, ...replyingMemberIds]);
    const memberTokens = replyingMemberIds.map((id) => tokens.get(id)!);
    const benchToken = tokens.get(benchUser.id)!;

    const topicPath = `/t/${featuredTopic.id}/${featuredTopic.slug}`;
    const lastPage = Math.ceil(featuredTopic.posts / POSTS_PER_PAGE);
    const boardPath = `/b/${board.slug}`;
    const deepPage = Math.min(DEEP_BOARD_PAGE, Math.ceil(board.topicCount / TOPICS_PER_PAGE));
    const firstPosts = [/id="post-1"/, new RegExp(`id="post-${POSTS_PER_PAGE}"`)];
    const PAGES: Page[] = [
      { name: "Topic, page 1", path: topicPath, expect: firstPosts, goal: true },
      {
        name: `Topic, last page (${lastPage})`,
        path: `${topicPath}?page=${lastPage}`,
        expect: [new RegExp(`id="post-${featuredTopic.posts}"`), new RegExp(`id="post-${(lastPage - 1) * POSTS_PER_PAGE + 1}"`)],
        goal: true,
      },
      { name: "Board, page 1", path: boardPath, expect: [/aria-current="page"[^>]*>1</], goal: true },
      { name: `Board, page ${deepPage}`, path: `${boardPath}?page=${deepPage}`, expect: [new RegExp(`aria-current="page"[^>]*>${deepPage}<`)], goal: true },
      // The same page without compression, to show what compressing costs the server.
      { name: "Topic, page 1, uncompressed", path: topicPath, expect: firstPosts, headers: UNCOMPRESSED, goal: false },
    ];

    // Members rotate over the pool's sessions, one request each in turn.
    let turn = 0;
    const withSession = (headers: Record<string, string>, token: string) => ({ ...headers, cookie: `threadline_session=${token}` });
    const memberRequests = (pagePath: string, headers: Record<string, string>): autocannon.Request[] => [
      { method: "GET", path: pagePath, setupRequest: (request) => ({ ...request, headers: withSession(headers, memberTokens[turn++ % memberTokens.length]!) }) },
    ];

    let server = await startServerOnData(context, { dataDir });
    serverCommand = server.command;
    const rss = sampleRss(server.pid, 250);
    idleRss = rss.peakKiB();
    try {
      for (const page of PAGES) {
        for (const audience of ["visitor", "member"] as Audience[]) {
          const headers = page.headers ?? HEADERS;
          const requests = audience === "member" ? memberRequests(page.path, headers) : undefined;
          const first = await probe(`${server.url}${page.path}`, { headers: audience === "member" ? withSession(headers, memberTokens[0]!) : headers });
          if (first.status !== 200) throw new Error(`${page.path} answered ${first.status} to a ${audience} before the run.`);
          for (const pattern of page.expect) {
            if (!pattern.test(first.html)) throw new Error(`${page.path} does not look as expected (no match for ${pattern}); did the page size change?`);
          }
          context.log(`${page.name} (${audience}, ${page.path}): ${warmUp} s warm-up...`);
          await runLoad({ url: `${server.url}${page.path}`, connections, durationSeconds: warmUp, headers, requests, signal: context.signal });
          const base = { name: page.name, who: AUDIENCE_LABEL[audience], path: page.path, durationSeconds, goal: page.goal, headers, requests, ok: isSuccess };
          const loaded = await measure(context, server, rss, { ...base, connections });
          measured.push(loaded, await measure(context, server, rss, { ...base, connections: 1 }));
          if (audience === "visitor") {
            const again = await probe(`${server.url}${page.path}`, { headers });
            const wire = loaded.outcome.result.throughput.total / Math.max(1, loaded.outcome.latencies.length);
            notes.push(
              `${page.name}: ${(Buffer.byteLength(first.html) / 1024).toFixed(1)} KiB of HTML for a visitor, ${(wire / 1024).toFixed(1)} KiB per response ` +
                `on the wire (Accept-Encoding: ${headers["accept-encoding"]}); the server's X-Cache header said ${again.cache ?? "nothing"}.`,
            );
          }
        }
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
      const postHeaders = (token: string) => ({ ...withSession(HEADERS, token), "content-type": "application/x-www-form-urlencoded", origin: server.url });
      const replyRequests = (pool: string[]): autocannon.Request[] => [
        { method: "POST", path: replyPath, setupRequest: (request) => ({ ...request, headers: postHeaders(pool[sequence % pool.length]!), body: replyForm() }) },
      ];
      const test = await probe(`${server.url}${replyPath}`, { method: "POST", headers: postHeaders(memberTokens[0]!), body: replyForm() });
      if (!isRedirect(test.status) || !test.location?.startsWith(`${replyPath}/`)) {
        throw new Error(`A test reply answered ${test.status} (location ${test.location ?? "none"}), not a redirect to the new post:\n${test.html.slice(0, 500)}`);
      }
      const countRedirects = (outcome: LoadOutcome) => [...outcome.statuses.entries()].filter(([status]) => isRedirect(status)).reduce((sum, [, n]) => sum + n, 0);
      // Requests autocannon sent but stopped waiting for at the end of a run: their posts may exist without a counted answer.
      const unanswered = (outcome: LoadOutcome) => Math.max(0, outcome.result.requests.sent - outcome.latencies.length);
      let redirects = 1;
      let inFlight = 0;
      context.log(`Reply (${memberTokens.length} members, ${replyPath}): ${warmUp} s warm-up...`);
      const warm = await runLoad({ url: `${server.url}${replyPath}`, connections, durationSeconds: warmUp, requests: replyRequests(memberTokens), signal: context.signal });
      redirects += countRedirects(warm);
      inFlight += unanswered(warm);
      const replyRuns = [
        { who: `${memberTokens.length} members`, connections, requests: replyRequests(memberTokens) },
        { who: `${memberTokens.length} members`, connections: 1, requests: replyRequests(memberTokens) },
        { who: "one member", connections, requests: replyRequests([benchToken]) },
      ];
      for (const replyRun of replyRuns) {
        const m = await measure(context, server, rss, { ...replyRun, name: "Reply", path: replyPath, durationSeconds, goal: false, ok: isRedirect });
        redirects += countRedirects(m.outcome);
        inFlight += unanswered(m.outcome);
        measured.push(m);
      }
      overallPeakRss = rss.peakKiB();
      rss.stop();
      const stopped = await server.stop();
      if (!stopped.graceful) notes.push("The server did not stop within 15 s of SIGTERM and was killed.");

      // Did every redirect stand for a stored post?
      const check = new Database(path.join(dataDir, "threadline.db"), { readonly: true });
      try {
        const created = Number(check.prepare(`SELECT count(*) FROM "Post" WHERE "topicId" = ?`).pluck().get(replyTopic.id)) - replyTopic.posts;
        const consistent = created >= redirects && created <= redirects + inFlight;
        notes.push(
          `Replies: ${created} posts were stored in topic ${replyTopic.id} during the run (warm-up and a test post included) for ` +
            `${redirects} redirect answers and ${inFlight} requests still in flight when autocannon stopped` +
            `${consistent ? " (consistent: no reply was lost or stored twice)" : "; this does not add up, so replies were lost or duplicated"}.`,
        );
      } finally {
        check.close();
      }

      // Where the time goes: topic page 1 again under --cpu-prof, for visitors and then members;
      // each analysis covers only the samples taken during its own measured run.
      const profileDir = path.join(dataDir, "cpu-profile");
      server = await startServerOnData(context, { dataDir, nodeArgs: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] });
      const windows: Array<{ label: string; window: [number, number]; outcome: LoadOutcome }> = [];
      for (const audience of ["visitor", "member"] as Audience[]) {
        const requests = audience === "member" ? memberRequests(topicPath, HEADERS) : undefined;
        const url = `${server.url}${topicPath}`;
        await runLoad({ url, connections, durationSeconds: warmUp, headers: HEADERS, requests, signal: context.signal });
        context.log(`Profiling "Topic, page 1" (${audience}): ${durationSeconds} s with ${connections} connections under --cpu-prof...`);
        const from = Number(process.hrtime.bigint() / 1000n);
        const outcome = await runLoad({ url, connections, durationSeconds, headers: HEADERS, requests, signal: context.signal });
        windows.push({ label: `Topic, page 1 (${AUDIENCE_LABEL[audience]})`, window: [from, Number(process.hrtime.bigint() / 1000n)], outcome });
      }
      const { graceful } = await server.stop();
      const files = fs.existsSync(profileDir) ? fs.readdirSync(profileDir).filter((name) => name.endsWith(".cpuprofile")) : [];
      if (!graceful || !files.length) {
        notes.push(`No CPU profile was written (the server ${graceful ? "exited but wrote no .cpuprofile" : "had to be killed"}).`);
      } else {
        // The main thread's profile is the largest (the tsx loader thread writes one too).
        const largest = files.map((name) => path.join(profileDir, name)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
        for (const { label, window, outcome } of windows) {
          const summary = analyseCpuProfile(largest, context.root, { top: 10, window });
          profiles.push({ label, summary, perSecond: outcome.perSecond, p50: percentile(outcome.latencies, 50), responses: outcome.latencies.length });
        }
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

  return report(context, { dataset, measured, profiles, notes, copySeconds, idleRss, overallPeakRss, build, buildStale, loadBefore, warmUp, serverCommand });
}

function report(
  context: BenchContext,
  r: {
    dataset: ForumDataset;
    measured: Measured[];
    profiles: Profiled[];
    notes: string[];
    copySeconds: number;
    idleRss: number | null;
    overallPeakRss: number | null;
    build: BuildInfo;
    buildStale: boolean;
    loadBefore: number;
    warmUp: number;
    serverCommand: string;
  },
): BenchReport {
  const { durationSeconds, connections } = context.options;
  const m = r.dataset.manifest;
  const tables: BenchTable[] = [
    {
      columns: ["Scenario", "Who", "Path", "Conns", "Req/s", "p50 ms", "p95 ms", "p99 ms", "Requests", "Unexpected", "Errors", "Peak RSS"],
      rows: r.measured.map(resultRow),
    },
  ];

  // The issue's goals for reads at 50 connections: p50 < 20 ms, p99 < 100 ms, RSS < 300 MB.
  const verdict = (value: number, goal: number) => (Number.isNaN(value) ? "n/a" : value < goal ? "met" : "missed");
  const goalRows: string[][] = [];
  for (const loaded of r.measured.filter((x) => x.goal && x.connections !== 1)) {
    const single = r.measured.find((x) => x.goal && x.name === loaded.name && x.who === loaded.who && x.connections === 1);
    const p50 = percentile(loaded.outcome.latencies, 50);
    const p99 = percentile(loaded.outcome.latencies, 99);
    const p50One = single ? percentile(single.outcome.latencies, 50) : Number.NaN;
    const p99One = single ? percentile(single.outcome.latencies, 99) : Number.NaN;
    goalRows.push([
      loaded.name,
      loaded.who,
      `${formatMs(p50)} (${verdict(p50, GOALS.p50Ms)})`,
      `${formatMs(p99)} (${verdict(p99, GOALS.p99Ms)})`,
      `${formatMs(p50One)} (${verdict(p50One, GOALS.p50Ms)})`,
      `${formatMs(p99One)} (${verdict(p99One, GOALS.p99Ms)})`,
      (1000 / Math.max(loaded.outcome.perSecond, 1e-9)).toFixed(1),
      `${formatMiB(loaded.rssKiB)} (${loaded.rssKiB === null ? "n/a" : verdict(loaded.rssKiB / 1024, GOALS.rssMiB)})`,
    ]);
  }
  tables.push({
    columns: [
      "Read",
      "Who",
      `p50 ms @${connections} (< ${GOALS.p50Ms})`,
      `p99 ms @${connections} (< ${GOALS.p99Ms})`,
      `p50 ms @1 (< ${GOALS.p50Ms})`,
      `p99 ms @1 (< ${GOALS.p99Ms})`,
      "Server ms per page (1000 / req/s)",
      `Peak RSS (< ${GOALS.rssMiB} MB)`,
    ],
    rows: goalRows,
  });

  for (const profiled of r.profiles) {
    tables.push({
      columns: [`Package: ${profiled.label}, by self time`, "Self ms", "Self share", "On the stack"],
      rows: profiled.summary.packages.map((p) => [p.name, p.selfMs.toFixed(0), pct(p.selfShare), pct(p.inclusiveShare)]),
    });
    tables.push({
      columns: [`Function: ${profiled.label}`, "Where", "Package", "Self ms", "Self share"],
      rows: profiled.summary.functions.map((f) => [f.name, f.where ? `\`${f.where}\`` : "", f.packageName, f.selfMs.toFixed(0), pct(f.selfShare)]),
    });
  }

  const notes = [
    `Server RSS: ${formatMiB(r.idleRss)} after start-up, peak ${formatMiB(r.overallPeakRss)} over the whole run (warm-ups included).`,
    `Reading the goals: ${connections} connections that each wait for an answer before asking again form a closed loop, so the mean ` +
      `latency is about ${connections} / throughput (Little's law). A p50 under ${GOALS.p50Ms} ms at ${connections} connections needs some ` +
      `${Math.round(connections / (GOALS.p50Ms / 1000)).toLocaleString("en")} pages/s from this machine; the 1-connection columns are the ` +
      `server's own time per page, the fair reading of "server time".`,
    ...r.notes,
  ];
  for (const profiled of r.profiles) {
    const s = profiled.summary;
    notes.push(
      `Where the time goes, ${profiled.label} (${profiled.perSecond.toFixed(0)} req/s under \`node --cpu-prof\`, p50 ${formatMs(profiled.p50)} ms; ` +
        `main thread busy ${pct(s.busyMs / Math.max(1, s.totalMs))} of the ${(s.totalMs / 1000).toFixed(1)} s ` +
        `${s.windowed ? "run" : "profile (start-up included: the clocks did not line up)"}, ` +
        `${(s.busyMs / Math.max(1, profiled.responses)).toFixed(2)} ms of main-thread CPU per page), by self time: ${whereTheTimeGoes(s)}.`,
    );
  }
  if (r.profiles.length) {
    notes.push(
      'In the profile tables, "On the stack" is the share of busy samples in which the package appears at any depth; native calls ' +
        "and WebAssembly count towards the package that called them. The profiler samples the main thread by wall time: compression " +
        "itself runs on libuv's thread pool, but on this 2-CPU machine those threads (and autocannon) push the main thread off the CPU " +
        "right after it hands them work, which is charged to zlib's processChunk. The uncompressed rows above show compression's whole cost.",
    );
  }
  notes.push(
    "RSS only grows during a run (V8 keeps the heap it has grown), so each row's peak includes what earlier rows left behind; " +
      "the first row and the start-up figure are the fairest readings against the memory goal.",
  );
  for (const x of r.measured) {
    const bad = unexpected(x);
    const throttled = x.outcome.statuses.get(429) ?? 0;
    const failed = [...x.outcome.statuses.keys()].some((status) => status >= 500);
    if (bad > 0) {
      notes.push(
        `${x.name} (${x.who}, ${x.connections} conn.): ${bad} unexpected answers` +
          `${throttled ? `, of which ${throttled} were 429 (the posting rate limits of app/antispam/rate-tiers.server.ts, × 100 with RATE_LIMITS=relaxed)` : ""}; ` +
          `all statuses: ${describeStatuses(x.outcome.statuses)}${failed ? `; server output: ${x.serverOutput}` : ""}.`,
      );
    }
  }
  const slow = r.measured.filter((x) => x.slowQueries > 0);
  if (slow.length) {
    notes.push(
      `Slow-query warnings (> 20 ms) from the server: ${slow.map((x) => `${x.name} (${x.who}, ${x.connections} conn.) ${x.slowQueries}`).join("; ")}. ` +
        "Prisma times a query from the call to the result, so under load these mostly measure waiting for the busy event loop, not SQLite.",
    );
  }
  if (r.buildStale) notes.push("Warning: build/ was older than some files under app/ when this ran; the figures are for that older build.");
  if (r.build.changedSince()) notes.push("Warning: build/ was rewritten while this benchmark ran (a concurrent `npm run build`), so these figures may be skewed.");

  const sizes = m.topicSizes;
  return {
    settings: [
      `Dataset: ${m.counts.forums} forums, ${m.counts.boards} boards, ${m.counts.topics.toLocaleString("en")} topics, ` +
        `${m.counts.posts.toLocaleString("en")} posts, ${m.counts.members.toLocaleString("en")} members; posts per topic: median ${sizes.median}, ` +
        `90th percentile ${sizes.p90}, 99th ${sizes.p99}, largest ${sizes.max.toLocaleString("en")}; ${sizes.singlePost.toLocaleString("en")} topics without replies. ` +
        `Generated by tests/bench/lib/forum-dataset.ts (better-sqlite3, fixed seed) in ${m.generationSeconds.toFixed(0)} s ` +
        `(${m.builtAt}${r.dataset.generated ? ", during this run" : ", cached"}); database file ${formatBytes(m.dbBytes)}, ` +
        `copied into the run's own DATA_DIR in ${r.copySeconds.toFixed(1)} s. Migrations: ${m.migrations.join(", ")}.`,
      `Pages: topic ${m.featuredTopic.id} has exactly ${m.featuredTopic.posts} posts (${POSTS_PER_PAGE} per page); ` +
        `board \`${m.board.slug}\` has ${m.board.topicCount} topics (${TOPICS_PER_PAGE} per page).`,
      `Who: "visitor" is anonymous (no cookie), so the server may answer from its page cache for anonymous readers; "member" sends a ` +
        `session cookie (from the app's createSession), rotating over ${DATASET_SHAPE.replyingMembers} members, which bypasses that cache ` +
        `and renders every page with the member's own data.`,
      `Replies: form posts (\`body\`, \`acknowledgePublic=yes\`, a unique \`submissionId\`, the Origin header and a member's session cookie) ` +
        `to topic ${m.replyTopic.id}; a 3xx redirect to the new post is success (the redirected page is not fetched). ` +
        `"${DATASET_SHAPE.replyingMembers} members" rotates over their sessions; "one member" is the single benchmark account ` +
        `(made with registerUser), which meets the posting rate limit.`,
      `Load: autocannon, ${connections} connections, and 1 connection for an unloaded figure, ${durationSeconds} s per run after a ${r.warmUp} s ` +
        `warm-up at ${connections} connections, \`Accept-Encoding: gzip, deflate, br\` unless marked uncompressed, over 127.0.0.1 ` +
        `(load generator and server share the machine). Latencies are percentiles of every response; "Unexpected" counts answers other ` +
        `than 2xx for pages and 3xx for replies; errors include timeouts (10 s).`,
      `Server: the production build run as \`${r.serverCommand}\` (the Node flags of the \`serve\` script in package.json) with ` +
        "NODE_ENV=production, LOG_LEVEL=warn, RATE_LIMITS=relaxed and otherwise default settings.",
      r.build.description,
      `Machine load: 1-minute load average ${r.loadBefore.toFixed(2)} just before the run (other work on the machine skews the figures).`,
      "RSS: VmRSS of the server process sampled every 250 ms; the peak during each measured run.",
      `Server time: with ${connections} connections on this machine most of the latency is queueing behind other requests (Node runs one ` +
        `request's JavaScript at a time and SQLite calls are synchronous), so the 1-connection runs and "1000 / req/s" (the server's ` +
        `time per page when saturated) are the closest measures of the time the server spends on one page.`,
    ],
    tables,
    notes,
  };
}

export const forums: Benchmark = {
  name: "forums",
  title: "Forum pages and replies at scale",
  description:
    "A 500-post topic (first and last page) and a board (first and a deep page) for visitors and members, and posting replies, on a " +
    "generated database of 100 boards, 100,000 topics and 2,000,000 posts: throughput, latency loaded and unloaded, server memory, and a CPU profile.",
  run,
};
