// Chat fan-out: CHAT_BENCH_SUBSCRIBERS (default 1,000) live streams open on
// the demo room "lobby" of the production build, and members posting
// CHAT_BENCH_RATE (default 20) messages a second through the room's form
// action, as the browser's composer sends them. Every subscriber notes when
// each message reaches it; delivery latency is that moment minus the moment
// just before the POST, for every (message, subscriber) pair. Also measured:
// the server's memory per idle stream, its CPU while sending, and whether
// streams are released when their clients go.
//
// CHAT_BENCH_PROFILE=1 runs the server under `node --cpu-prof` and adds where
// its time goes during the send phase (the profiler slows the server down).
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { analyseCpuProfile, type ProfileSummary } from "./lib/cpu-profile";
import { startServerOnData, type DataServer } from "./lib/data-server";
import { formatMs, percentile } from "./lib/load";
import { benchEnv, ensureProductionBuild, runCommand } from "./lib/production-server";
import { sampleRss } from "./lib/rss";
import { createSubscriberPool, probePresence, type SubscriberPool } from "./lib/sse-subscribers";
import type { Benchmark, BenchContext, BenchReport } from "./types";

const ROOM = "lobby";
const GOAL_P99_MS = 250;
const GOAL_KIB_PER_CONNECTION = 50;
const IDLE_SECONDS = 5;
const WARM_UP_SECONDS = 2;
const DRAIN_TIMEOUT_MS = 10_000;
const RELEASE_WATCH_SECONDS = 35;
const SENDER_PASSWORD = "chat-bench-amber-lighthouse-5307";

function intFromEnv(name: string, fallback: number, min: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${name} must be a whole number from ${min} to ${max}, not "${raw}".`);
  return value;
}

// ---------------------------------------------------------------------------
// /proc readings (Linux): CPU time of a process and of the whole machine.

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** User + system CPU seconds a process has used (/proc/<pid>/stat), or null. */
function processCpuSeconds(pid: number | "self"): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command name (which may contain spaces) start at state (field 3).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return null;
  }
}

/** Busy and total jiffies of all CPUs together (/proc/stat), or null. */
function machineJiffies(): { busy: number; total: number } | null {
  try {
    const line = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!;
    const values = line.trim().split(/\s+/).slice(1).map(Number);
    const total = values.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** VmRSS and RssAnon (the process's own heap and malloc memory, without mapped files) in KiB. */
function readMemoryKiB(pid: number): { rss: number; anon: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const rss = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    const anon = /^RssAnon:\s+(\d+)\s+kB$/m.exec(status);
    return rss && anon ? { rss: Number(rss[1]), anon: Number(anon[1]) } : null;
  } catch {
    return null;
  }
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });

/** Median of a few memory readings a quarter of a second apart (RSS moves a little on its own). */
async function settledMemory(pid: number, signal: AbortSignal): Promise<{ rss: number; anon: number }> {
  // The server runs with --expose-gc: SIGUSR2 makes it collect garbage first,
  // so a heap that happens to shrink between two readings does not hide the connections.
  process.kill(pid, "SIGUSR2");
  await sleep(1_000, signal);
  const readings: Array<{ rss: number; anon: number }> = [];
  for (let i = 0; i < 5; i += 1) {
    const reading = readMemoryKiB(pid);
    if (reading) readings.push(reading);
    await sleep(250, signal);
  }
  if (!readings.length) throw new Error("Could not read the server's memory from /proc.");
  const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return { rss: median(readings.map((r) => r.rss)), anon: median(readings.map((r) => r.anon)) };
}

// ---------------------------------------------------------------------------
// Accounts: members registered through the app's registerUser and logged in
// through createSession (tests/bench/lib/forum-accounts.ts), before the server starts.

async function accounts<T>(context: BenchContext, dataDir: string, args: string[]): Promise<T> {
  const dbFile = path.join(dataDir, "threadline.db");
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: `file:${dbFile}`, DATA_DIR: dataDir, LOG_LEVEL: "warn" };
  const result = await runCommand(process.execPath, ["--import", "tsx", path.join("tests", "bench", "lib", "forum-accounts.ts"), ...args], {
    cwd: context.root,
    env,
    timeoutMs: 120_000,
  });
  const line = result.output.split("\n").find((text) => text.startsWith("forum-accounts-result:"));
  if (result.code !== 0 || !line) throw new Error(`forum-accounts.ts ${args[0]} failed (exit code ${result.code}):\n${result.output}`);
  return JSON.parse(line.slice("forum-accounts-result:".length)) as T;
}

async function createSenders(context: BenchContext, dataDir: string, count: number, runId: string): Promise<string[]> {
  const ids: number[] = [];
  for (let i = 1; i <= count; i += 1) {
    const username = `chatbench_${runId}_${i}`;
    const { id } = await accounts<{ id: number }>(context, dataDir, ["register", username, `${username}@example.org`, SENDER_PASSWORD]);
    ids.push(id);
  }
  const { tokens } = await accounts<{ tokens: Record<string, string> }>(context, dataDir, ["sessions", ids.join(",")]);
  return ids.map((id) => tokens[String(id)]!);
}

// ---------------------------------------------------------------------------
// Sending: the composer's background submission (Remix single fetch), as a
// hydrated browser sends it: POST /chat/<room>.data?index with submissionId,
// live=1 and body, the site's Origin and the member's session cookie.

type PostOutcome = { status: number; ok: boolean; id: number | null; latencyMs: number; error?: string };

function postMessage(
  agent: http.Agent,
  server: DataServer,
  token: string,
  fields: Record<string, string>,
  onSend: () => void,
): Promise<PostOutcome> {
  const target = new URL(`${server.url}/chat/${ROOM}.data?index`);
  const body = new URLSearchParams(fields).toString();
  return new Promise((resolve) => {
    onSend();
    const started = performance.now();
    const request = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: `${target.pathname}${target.search}`,
        method: "POST",
        agent,
        headers: {
          origin: server.url,
          referer: `${server.url}/chat/${ROOM}`,
          cookie: `threadline_session=${token}`,
          "content-type": "application/x-www-form-urlencoded;charset=UTF-8",
          "content-length": Buffer.byteLength(body),
          accept: "*/*",
          "sec-fetch-site": "same-origin",
        },
      },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (text += chunk));
        response.on("end", () => {
          const latencyMs = performance.now() - started;
          const status = response.statusCode ?? 0;
          // The turbo-stream answer of { ok: true, id } reads like [..., "ok", true, "id", 123].
          const id = /"id",(\d+)/.exec(text);
          const ok = status === 200 && /"ok",true/.test(text) && id !== null;
          resolve({ status, ok, id: id ? Number(id[1]) : null, latencyMs, error: ok ? undefined : text.slice(0, 300) });
        });
        response.on("error", (error) => resolve({ status: response.statusCode ?? 0, ok: false, id: null, latencyMs: performance.now() - started, error: error.message }));
      },
    );
    request.setTimeout(30_000, () => request.destroy(new Error("no answer within 30 s")));
    request.on("error", (error) => resolve({ status: 0, ok: false, id: null, latencyMs: performance.now() - started, error: error.message }));
    request.end(body);
  });
}

/** Sends `count` messages at `rate` per second on a fixed schedule (open loop: a slow answer does not delay the next send). */
async function sendAtRate(options: {
  count: number;
  rate: number;
  signal: AbortSignal;
  send: (index: number) => Promise<PostOutcome>;
}): Promise<PostOutcome[]> {
  const outcomes: Promise<PostOutcome>[] = [];
  const interval = 1000 / options.rate;
  const start = performance.now() + 20;
  for (let index = 0; index < options.count; index += 1) {
    if (options.signal.aborted) break;
    const wait = start + index * interval - performance.now();
    if (wait > 1) await sleep(wait, options.signal);
    outcomes.push(options.send(index));
  }
  return Promise.all(outcomes);
}

// ---------------------------------------------------------------------------

type Measurements = {
  subscribers: number;
  rate: number;
  durationSeconds: number;
  senders: number;
  connectSeconds: number;
  presenceSeen: number | null;
  /** Presence events delivered to all streams while they connected. */
  presenceEvents: number;
  memBefore: { rss: number; anon: number };
  memIdle: { rss: number; anon: number };
  memAfterSend: { rss: number; anon: number } | null;
  memAfterClose: { rss: number; anon: number } | null;
  peakRss: number | null;
  sent: number;
  accepted: number;
  postFailures: string[];
  postLatencies: Float64Array;
  latencies: Float64Array;
  firstLatencies: Float64Array;
  lastLatencies: Float64Array;
  lost: number;
  lostMessages: number;
  duplicates: number;
  outOfOrder: number;
  droppedStreams: string[];
  serverCpuPercent: number | null;
  serverCpuSeconds: number | null;
  benchCpuPercent: number;
  machineBusyPercent: number | null;
  sendSeconds: number;
  benchLoopDelayP99Ms: number;
  bytesPerMessage: number;
  presenceAfterClose: number | null;
  pageHereNow: number | null;
  hereNowTrace: Array<{ seconds: number; count: number | null }>;
  memAfterWatch: { rss: number; anon: number } | null;
  openAfterClose: string;
  serverCommand: string;
  profile: ProfileSummary | null;
  profileNote: string | null;
};

async function run(context: BenchContext): Promise<BenchReport> {
  const subscribers = intFromEnv("CHAT_BENCH_SUBSCRIBERS", 1000, 1, 20_000);
  const rate = intFromEnv("CHAT_BENCH_RATE", 20, 1, 1000);
  const senders = intFromEnv("CHAT_BENCH_SENDERS", 4, 1, 50);
  const profiling = process.env.CHAT_BENCH_PROFILE === "1";
  const durationSeconds = context.options.durationSeconds;
  const loadBefore = os.loadavg()[0]!;
  const build = await ensureProductionBuild(context);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-bench-chat-"));
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  context.onCleanup(removeDataDir);
  process.once("exit", removeDataDir);
  let server: DataServer | undefined;
  let pool: SubscriberPool | undefined;
  const postAgent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  context.onCleanup(() => postAgent.destroy());
  let measurements: Measurements;
  try {
    context.log(`Migrating and seeding a fresh database in ${dataDir} (npm run setup)...`);
    const setup = await runCommand("npm", ["run", "setup"], { cwd: context.root, env: benchEnv(dataDir, {}), timeoutMs: 5 * 60_000 });
    if (setup.code !== 0) throw new Error(`npm run setup failed (exit code ${setup.code}):\n${setup.output}`);
    const runId = randomBytes(3).toString("hex");
    context.log(`Registering ${senders} sending member(s) and logging them in...`);
    const tokens = await createSenders(context, dataDir, senders, runId);

    const profileDir = path.join(dataDir, "cpu-profile");
    server = await startServerOnData(context, { dataDir, nodeArgs: ["--expose-gc", ...(profiling ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [])] });
    const live = server;
    const rss = sampleRss(live.pid, 250);
    try {
      const page = await fetch(`${live.url}/chat/${ROOM}`, { signal: AbortSignal.timeout(15_000) });
      if (page.status !== 200) throw new Error(`/chat/${ROOM} answered ${page.status}; is the demo content seeded?`);
      await page.arrayBuffer();

      const markerPrefix = `chatbench-${runId}-m`;
      let submission = 0;
      const fieldsFor = (text: string, acknowledge: boolean): Record<string, string> => {
        submission += 1;
        return {
          submissionId: `bench${runId}${String(submission).padStart(6, "0")}`,
          live: "1",
          body: text,
          ...(acknowledge ? { acknowledgePublic: "yes" } : {}),
        };
      };

      // Each member's first message carries the one-time "posts are public" acknowledgement.
      context.log("Warm-up: a first message from each member, then a few seconds at the target rate with no subscribers...");
      for (let i = 0; i < tokens.length; i += 1) {
        const first = await postMessage(postAgent, live, tokens[i]!, fieldsFor(`Hello from the chat benchmark, member ${i + 1} (${runId}).`, true), () => {});
        if (!first.ok) throw new Error(`A first message answered ${first.status}, not { ok: true, id }: ${first.error}`);
      }
      const warm = await sendAtRate({
        count: Math.max(1, Math.round(rate * WARM_UP_SECONDS)),
        rate,
        signal: context.signal,
        send: (index) => postMessage(postAgent, live, tokens[index % tokens.length]!, fieldsFor(`Warm-up message ${index} of run ${runId}.`, false), () => {}),
      });
      const warmFailures = warm.filter((outcome) => !outcome.ok);
      if (warmFailures.length) throw new Error(`${warmFailures.length} warm-up messages failed, e.g. ${warmFailures[0]!.status}: ${warmFailures[0]!.error}`);

      await sleep(IDLE_SECONDS * 1000, context.signal);
      const memBefore = await settledMemory(live.pid, context.signal);

      // Subscribers: receipts[message * N + subscriber] = when it arrived (performance.now()).
      const count = Math.max(1, Math.round(rate * durationSeconds));
      const receipts = new Float64Array(count * subscribers).fill(Number.NaN);
      // Order is judged by the SSE id (the message id, assigned when the message is stored): messages
      // sent close together by different members may be stored in another order than they were sent.
      const lastEventId = new Float64Array(subscribers).fill(-1);
      let duplicates = 0;
      let outOfOrder = 0;
      let received = 0;
      const streamUrl = `${live.url}/chat/${ROOM}/events.stream`;
      pool = createSubscriberPool({
        url: streamUrl,
        count: subscribers,
        markerPrefix,
        signal: context.signal,
        onMarker: (subscriber, sequence, at, eventId) => {
          if (sequence >= count) return;
          const slot = sequence * subscribers + subscriber;
          if (!Number.isNaN(receipts[slot]!)) {
            duplicates += 1;
            return;
          }
          receipts[slot] = at;
          received += 1;
          if (eventId <= lastEventId[subscriber]!) outOfOrder += 1;
          else lastEventId[subscriber] = eventId;
        },
      });
      const openPool = pool;
      context.onCleanup(() => openPool.closeAll());
      context.log(`Opening ${subscribers} subscribers to ${streamUrl}...`);
      const connectStart = performance.now();
      let lastLogged = 0;
      await pool.connect((open) => {
        if (open - lastLogged >= 250 || open === subscribers) {
          lastLogged = open;
          context.log(`  ${open} open`);
        }
      });
      const connectSeconds = (performance.now() - connectStart) / 1000;
      // Every stream hears every other stream arrive: wait for the last presence event to reach everyone.
      const deadline = performance.now() + 30_000;
      while (performance.now() < deadline && pool.subscribers.some((s) => s.stats.lastPresence !== subscribers)) await sleep(200, context.signal);
      const presenceCounts = new Set(pool.subscribers.map((s) => s.stats.lastPresence));
      const presenceSeen = presenceCounts.size === 1 ? [...presenceCounts][0]! : null;
      const presenceEvents = pool.subscribers.reduce((sum, s) => sum + s.stats.presence, 0);
      if (presenceSeen !== subscribers) {
        context.log(`Warning: the subscribers' last presence counts are ${[...presenceCounts].slice(0, 5).join(", ")}, not ${subscribers}.`);
      }
      const notOpen = pool.subscribers.filter((s) => !s.open || s.ended);
      if (notOpen.length) throw new Error(`${notOpen.length} subscribers are not connected (e.g. ${notOpen[0]!.ended ?? "no answer"}).`);
      context.log(`All ${subscribers} subscribers connected in ${connectSeconds.toFixed(1)} s; ${IDLE_SECONDS} s idle...`);
      await sleep(IDLE_SECONDS * 1000, context.signal);
      const memIdle = await settledMemory(live.pid, context.signal);

      // The send phase.
      context.log(`Sending ${count} messages at ${rate}/s from ${tokens.length} member(s)...`);
      const sendAt = new Float64Array(count).fill(Number.NaN);
      const loopDelay = monitorEventLoopDelay({ resolution: 10 });
      loopDelay.enable();
      const cpuServerStart = processCpuSeconds(live.pid);
      const cpuBenchStart = process.cpuUsage();
      const machineStart = machineJiffies();
      const wallStart = performance.now();
      const profileFrom = Number(process.hrtime.bigint() / 1000n);
      rss.startWindow();
      const bytesBefore = pool.subscribers.reduce((sum, s) => sum + s.stats.bytes, 0);
      const outcomes = await sendAtRate({
        count,
        rate,
        signal: context.signal,
        send: (index) =>
          postMessage(postAgent, live, tokens[index % tokens.length]!, fieldsFor(`Benchmark message ${markerPrefix}${index} says hello to the lobby.`, false), () => {
            sendAt[index] = performance.now();
          }),
      });
      const accepted = outcomes.filter((outcome) => outcome.ok).length;
      // Wait for the last deliveries (or give up after DRAIN_TIMEOUT_MS).
      const expected = accepted * subscribers;
      const drainDeadline = performance.now() + DRAIN_TIMEOUT_MS;
      while (received < expected && performance.now() < drainDeadline) await sleep(50, context.signal);
      const wallSeconds = (performance.now() - wallStart) / 1000;
      const profileTo = Number(process.hrtime.bigint() / 1000n);
      const cpuServerEnd = processCpuSeconds(live.pid);
      const cpuBench = process.cpuUsage(cpuBenchStart);
      const machineEnd = machineJiffies();
      loopDelay.disable();
      const peakRss = rss.windowPeakKiB();
      const memAfterSend = readMemoryKiB(live.pid);

      // Latencies for every (message, subscriber) pair of the accepted messages.
      const latencies: number[] = [];
      const firsts: number[] = [];
      const lasts: number[] = [];
      let lost = 0;
      let lostMessages = 0;
      for (let message = 0; message < count; message += 1) {
        if (!outcomes[message]?.ok) continue;
        const sentAt = sendAt[message]!;
        let first = Number.POSITIVE_INFINITY;
        let last = Number.NEGATIVE_INFINITY;
        let missing = 0;
        for (let subscriber = 0; subscriber < subscribers; subscriber += 1) {
          const at = receipts[message * subscribers + subscriber]!;
          if (Number.isNaN(at)) {
            missing += 1;
            continue;
          }
          const latency = at - sentAt;
          latencies.push(latency);
          if (latency < first) first = latency;
          if (latency > last) last = latency;
        }
        lost += missing;
        if (missing) lostMessages += 1;
        if (missing < subscribers) {
          firsts.push(first);
          lasts.push(last);
        }
      }
      const sorted = (values: number[]) => Float64Array.from(values).sort();
      const failures = outcomes.filter((outcome) => !outcome.ok);
      const failureKinds = new Map<string, number>();
      for (const failure of failures) {
        const key = `${failure.status}${failure.error ? ` ${failure.error.slice(0, 80)}` : ""}`;
        failureKinds.set(key, (failureKinds.get(key) ?? 0) + 1);
      }
      const droppedStreams = pool.subscribers.filter((s) => s.ended).map((s) => `#${s.index}: ${s.ended}`);
      const bytesDuringSend = pool.subscribers.reduce((sum, s) => sum + s.stats.bytes, 0) - bytesBefore;

      // Disconnect everyone and look from outside at what the server released.
      context.log("Closing every subscriber...");
      await pool.closeAll();
      await sleep(3000, context.signal);
      const memAfterClose = readMemoryKiB(live.pid);
      const openAfterClose = countServerSockets(live.pid, new URL(live.url).port);
      // "Here now" on the room page is the room's listener count. Watch it return to the
      // baseline (0), for longer than one heartbeat interval (25 s) if it does not at once.
      const closedAt = performance.now();
      const hereNowTrace: Array<{ seconds: number; count: number | null }> = [];
      for (;;) {
        const count = await hereNowCount(live.url);
        const seconds = (performance.now() - closedAt) / 1000 + 3;
        hereNowTrace.push({ seconds, count });
        if (count === 0 || seconds > RELEASE_WATCH_SECONDS) break;
        await sleep(5000, context.signal);
      }
      const pageHereNow = hereNowTrace[0]!.count;
      const presenceAfterClose = await probePresence(streamUrl);
      const memAfterWatch = readMemoryKiB(live.pid);

      measurements = {
        subscribers,
        rate,
        durationSeconds,
        senders: tokens.length,
        connectSeconds,
        presenceSeen,
        presenceEvents,
        memBefore,
        memIdle,
        memAfterSend,
        memAfterClose,
        peakRss,
        sent: outcomes.length,
        accepted,
        postFailures: [...failureKinds.entries()].map(([kind, n]) => `${n} × ${kind}`),
        postLatencies: sorted(outcomes.map((outcome) => outcome.latencyMs)),
        latencies: sorted(latencies),
        firstLatencies: sorted(firsts),
        lastLatencies: sorted(lasts),
        lost,
        lostMessages,
        duplicates,
        outOfOrder,
        droppedStreams,
        serverCpuPercent: cpuServerStart !== null && cpuServerEnd !== null ? ((cpuServerEnd - cpuServerStart) / wallSeconds) * 100 : null,
        serverCpuSeconds: cpuServerStart !== null && cpuServerEnd !== null ? cpuServerEnd - cpuServerStart : null,
        benchCpuPercent: ((cpuBench.user + cpuBench.system) / 1e6 / wallSeconds) * 100,
        machineBusyPercent:
          machineStart && machineEnd && machineEnd.total > machineStart.total
            ? ((machineEnd.busy - machineStart.busy) / (machineEnd.total - machineStart.total)) * 100 * os.availableParallelism()
            : null,
        sendSeconds: wallSeconds,
        benchLoopDelayP99Ms: loopDelay.percentile(99) / 1e6,
        bytesPerMessage: accepted ? bytesDuringSend / subscribers / accepted : 0,
        presenceAfterClose,
        pageHereNow,
        hereNowTrace,
        memAfterWatch,
        openAfterClose,
        serverCommand: live.command,
        profile: null,
        profileNote: null,
      };
      if (profiling) {
        rss.stop();
        const { graceful } = await live.stop();
        const files = fs.existsSync(profileDir) ? fs.readdirSync(profileDir).filter((name) => name.endsWith(".cpuprofile")) : [];
        if (!graceful || !files.length) {
          measurements.profileNote = `No CPU profile was written (the server ${graceful ? "exited but wrote no .cpuprofile" : "had to be killed"}).`;
        } else {
          const largest = files.map((name) => path.join(profileDir, name)).sort((a, b) => fs.statSync(b).size - fs.statSync(a).size)[0]!;
          measurements.profile = analyseCpuProfile(largest, context.root, { top: 10, window: [profileFrom, profileTo] });
        }
      }
    } catch (error) {
      if (context.signal.aborted) throw error;
      const message = error instanceof Error ? `${error.message}${error.cause ? ` (${String(error.cause)})` : ""}` : String(error);
      throw new Error(`${message}\n${live.recentOutput()}`, { cause: error });
    } finally {
      rss.stop();
      await pool?.closeAll();
    }
  } finally {
    await server?.stop();
    postAgent.destroy();
    removeDataDir();
    process.off("exit", removeDataDir);
  }
  return report(measurements, { build, loadBefore, profiling });
}

/** The "N here now" count the room page shows (a unique query string keeps the page cache out of it). */
async function hereNowCount(baseUrl: string): Promise<number | null> {
  const response = await fetch(`${baseUrl}/chat/${ROOM}?presence-check=${randomBytes(4).toString("hex")}`, { signal: AbortSignal.timeout(15_000) });
  const html = await response.text();
  const match = /(\d+)(?:<!-- -->)?\s*here now/.exec(html);
  return response.status === 200 && match ? Number(match[1]) : null;
}

/** Established TCP connections to the server's port, from the server's side (/proc/net/tcp), as text. */
function countServerSockets(pid: number, port: string): string {
  try {
    const portHex = Number(port).toString(16).toUpperCase().padStart(4, "0");
    let established = 0;
    for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
      if (!fs.existsSync(file)) continue;
      for (const line of fs.readFileSync(file, "utf8").split("\n").slice(1)) {
        const fields = line.trim().split(/\s+/);
        // local_address is field 1 ("0100007F:PORT"), state is field 3 ("01" = ESTABLISHED).
        if (fields[1]?.endsWith(`:${portHex}`) && fields[3] === "01") established += 1;
      }
    }
    const fds = fs.readdirSync(`/proc/${pid}/fd`).length;
    return `${established} established TCP connections on the server's port, ${fds} open file descriptors in the server`;
  } catch {
    return "socket counts unavailable";
  }
}

const kib = (value: number) => `${value.toFixed(1)} KiB`;
const mib = (value: number | null | undefined) => (value === null || value === undefined ? "n/a" : `${(value / 1024).toFixed(0)} MiB`);
const pct = (value: number | null) => (value === null ? "n/a" : `${value.toFixed(0)} %`);

function report(m: Measurements, meta: { build: { description: string; changedSince: () => boolean }; loadBefore: number; profiling: boolean }): BenchReport {
  const perConnection = (m.memIdle.rss - m.memBefore.rss) / m.subscribers;
  const perConnectionAnon = (m.memIdle.anon - m.memBefore.anon) / m.subscribers;
  const p50 = percentile(m.latencies, 50);
  const p99 = percentile(m.latencies, 99);
  const pairs = m.accepted * m.subscribers;
  const verdict = (ok: boolean) => (ok ? "met" : "missed");
  const latencyGoalMet = m.lost === 0 && !Number.isNaN(p99) && p99 < GOAL_P99_MS;
  const label = `${m.subscribers.toLocaleString("en")} subscribers, ${m.rate} msg/s`;

  const goals = {
    columns: ["Measure", "Result", "Goal", "Verdict"],
    rows: [
      [`Delivery p99 (${label})`, `${formatMs(p99)} ms`, `< ${GOAL_P99_MS} ms, nothing lost`, meta.profiling ? "n/a (profiled run)" : verdict(latencyGoalMet)],
      [
        "Memory per idle connection (RSS)",
        kib(perConnection),
        `< ${GOAL_KIB_PER_CONNECTION} KiB`,
        // Garbage collection moves RSS by megabytes: with few subscribers the difference is noise.
        m.subscribers < 500
          ? "inconclusive (use 500+ subscribers)"
          : perConnection <= 0
            ? "inconclusive (RSS fell while they connected: the heap was collected in between)"
            : verdict(perConnection < GOAL_KIB_PER_CONNECTION),
      ],
    ],
  };
  const latency = {
    columns: ["Latency", "Samples", "p50 ms", "p95 ms", "p99 ms", "max ms"],
    rows: [
      ["Delivery, POST to each subscriber", String(m.latencies.length), formatMs(p50), formatMs(percentile(m.latencies, 95)), formatMs(p99), formatMs(percentile(m.latencies, 100))],
      ["  first subscriber of each message", String(m.firstLatencies.length), formatMs(percentile(m.firstLatencies, 50)), formatMs(percentile(m.firstLatencies, 95)), formatMs(percentile(m.firstLatencies, 99)), formatMs(percentile(m.firstLatencies, 100))],
      ["  last subscriber of each message", String(m.lastLatencies.length), formatMs(percentile(m.lastLatencies, 50)), formatMs(percentile(m.lastLatencies, 95)), formatMs(percentile(m.lastLatencies, 99)), formatMs(percentile(m.lastLatencies, 100))],
      ["POST answered (send to response)", String(m.postLatencies.length), formatMs(percentile(m.postLatencies, 50)), formatMs(percentile(m.postLatencies, 95)), formatMs(percentile(m.postLatencies, 99)), formatMs(percentile(m.postLatencies, 100))],
    ],
  };
  const resources = {
    columns: ["Resource", "Value"],
    rows: [
      ["Server RSS before subscribers", mib(m.memBefore.rss)],
      [`Server RSS with ${m.subscribers} idle subscribers`, mib(m.memIdle.rss)],
      ["  per idle connection, RSS / anonymous memory", `${kib(perConnection)} / ${kib(perConnectionAnon)}`],
      ["Server RSS peak while sending / after sending", `${mib(m.peakRss)} / ${mib(m.memAfterSend?.rss)}`],
      ["Server RSS 3 s after every subscriber left", mib(m.memAfterClose?.rss)],
      ["Room listeners (\"here now\") 3 s after every subscriber left (baseline 0)", String(m.pageHereNow ?? "n/a")],
      [`Server CPU while sending (% of one core, over ${m.sendSeconds.toFixed(1)} s until the last delivery)`, pct(m.serverCpuPercent)],
      [
        "Server CPU per message sent (all its deliveries included)",
        m.serverCpuSeconds === null || !m.accepted ? "n/a" : `${formatMs((m.serverCpuSeconds * 1000) / m.accepted)} ms`,
      ],
      ["Load generator CPU while sending (% of one core)", pct(m.benchCpuPercent)],
      [`Whole machine busy while sending (% of one core, ${os.availableParallelism()} cores)`, pct(m.machineBusyPercent)],
      ["Load generator event-loop delay p99", `${formatMs(m.benchLoopDelayP99Ms)} ms`],
    ],
  };
  const delivery = {
    columns: ["Delivery", "Count"],
    rows: [
      ["Messages sent / accepted (POST answered { ok, id })", `${m.sent} / ${m.accepted}`],
      ["(message, subscriber) pairs expected / received", `${pairs} / ${m.latencies.length}`],
      ["Lost (a subscriber never got a message)", `${m.lost} (in ${m.lostMessages} messages)`],
      ["Duplicates", String(m.duplicates)],
      ["Out of order (a message id not above the previous one on that stream)", String(m.outOfOrder)],
      ["Streams ended by the server or failed during the run", String(m.droppedStreams.length)],
    ],
  };

  const notes: string[] = [];
  if (meta.profiling) notes.push("This run was profiled (`node --cpu-prof`): the profiler slows the server, so its latencies are not a verdict.");
  if (m.postFailures.length) notes.push(`Failed POSTs: ${m.postFailures.join("; ")}.`);
  if (m.droppedStreams.length) notes.push(`Streams that ended during the run: ${m.droppedStreams.slice(0, 5).join("; ")}${m.droppedStreams.length > 5 ? "; ..." : ""}.`);
  notes.push(
    `Connecting: ${m.subscribers} streams opened in batches of 50 in ${m.connectSeconds.toFixed(1)} s; every stream's last presence ("here now") event said ` +
      `${m.presenceSeen ?? "different counts"}; ${m.presenceEvents.toLocaleString("en")} presence events reached the streams while they connected ` +
      `(the count is announced at most every 0.5 s per room; announcing every arrival to every stream would be about ${Math.round((m.subscribers * m.subscribers) / 2).toLocaleString("en")}).`,
  );
  const trace = m.hereNowTrace.map((entry) => `${entry.count ?? "?"} at ${entry.seconds.toFixed(0)} s`).join(", ");
  const released = m.hereNowTrace.at(-1)?.count === 0;
  notes.push(
    `After all ${m.subscribers} subscribers disconnected, /proc showed ${m.openAfterClose} (the sender's keep-alive sockets) 3 s later. ` +
      `The room page's "here now" (the room's listener count; baseline 0) read ${trace} after the disconnect` +
      `${released ? "" : `: the subscriptions were ${m.hereNowTrace.at(-1)?.count === m.subscribers ? "not" : "not all"} released`}; ` +
      `a new stream's first presence event then said ${m.presenceAfterClose ?? "nothing"} (1 = only itself). ` +
      `Server RSS then: ${mib(m.memAfterWatch?.rss)}.`,
  );
  notes.push(
    `While sending, each subscriber received ${m.bytesPerMessage.toFixed(0)} characters of stream per message on average.`,
  );
  if (m.profile) {
    const p = m.profile;
    notes.push(
      `Where the server's main thread spent the send phase (${(p.totalMs / 1000).toFixed(1)} s, ${((p.busyMs / Math.max(1, p.totalMs)) * 100).toFixed(0)} % busy), ` +
        `self time by package: ${p.packages.map((entry) => `${entry.name} ${(entry.selfShare * 100).toFixed(0)} %`).join(", ")}.`,
    );
    notes.push(
      `Top functions by self time: ${p.functions.map((entry) => `${entry.name} (${entry.where || entry.packageName}) ${(entry.selfShare * 100).toFixed(1)} %`).join("; ")}.`,
    );
  }
  if (m.profileNote) notes.push(m.profileNote);
  if (meta.build.changedSince()) notes.push("Warning: build/ was rewritten while this benchmark ran (a concurrent `npm run build`), so these figures may be skewed.");

  return {
    settings: [
      `Load: ${m.subscribers.toLocaleString("en")} Server-Sent Events subscribers (anonymous, raw node:http, one socket each) on the demo room "${ROOM}", ` +
        `and ${m.senders} member(s) posting ${m.rate} messages/s in turn for ${m.durationSeconds} s (${m.sent} messages) after a ${WARM_UP_SECONDS} s warm-up, ` +
        `all over 127.0.0.1. Set CHAT_BENCH_SUBSCRIBERS, CHAT_BENCH_RATE, CHAT_BENCH_SENDERS; CHAT_BENCH_PROFILE=1 adds a CPU profile.`,
      "Sending: the composer's background submission as a hydrated browser sends it (POST `/chat/lobby.data?index` with `submissionId`, `live=1`, " +
        "`body`, the site's Origin and a session cookie from the app's createSession); the send time is taken just before each POST, on a fixed schedule.",
      "Delivery latency: from just before the POST to the moment the subscriber's socket delivered the frame to the load generator, for every " +
        "(message, subscriber) pair; the generator runs in one Node process on the same 2 cores as the server, so its own queueing is included " +
        "(its CPU and event-loop delay are shown).",
      `Memory per idle connection: (server RSS with all subscribers idle ${IDLE_SECONDS} s − RSS after ${IDLE_SECONDS} s idle before they connected) / subscribers, each a median of ` +
        "5 readings of /proc/<pid>/status taken 1 s after a full garbage collection (the server runs with --expose-gc and collects on SIGUSR2) " +
        "(RssAnon, the heap and malloc part, shown too; the V8 heap alone cannot be read without a debugger).",
      `Server: the production build run as \`${m.serverCommand}\` with NODE_ENV=production, LOG_LEVEL=warn, RATE_LIMITS=relaxed, PAGE_CACHE_SECONDS ` +
        "default, on a fresh DATA_DIR migrated and seeded with the demo content by `npm run setup`.",
      meta.build.description,
      `Machine load: 1-minute load average ${meta.loadBefore.toFixed(2)} just before the run, ${os.loadavg()[0]!.toFixed(2)} at its end (other work on the machine skews the figures).`,
      `Goals (chat issue): p99 delivery under ${GOAL_P99_MS} ms with 1,000 subscribers at 20 messages/s, under ${GOAL_KIB_PER_CONNECTION} KB of memory per idle connection (read as KiB).`,
    ],
    tables: [goals, latency, delivery, resources],
    notes,
  };
}

export const chat: Benchmark = {
  name: "chat",
  title: "Chat fan-out",
  description:
    "Live chat delivery: 1,000 Server-Sent Events subscribers in one room while members post 20 messages a second through the room's form; " +
    "delivery latency from the POST to every subscriber, memory per idle connection, CPU, and release of connections afterwards.",
  run,
};
