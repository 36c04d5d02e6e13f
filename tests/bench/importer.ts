// The mbox importer end to end, against mailparser alone.
//
// 1. A synthetic mbox (tests/bench/lib/mbox-generator.ts; 200,000 messages
//    unless BENCH_IMPORTER_MESSAGES says otherwise), cached in the temp folder.
// 2. Baseline: the file split with the importer's readMbox and parsed by
//    mailparser's simpleParser in 2 worker threads (tests/bench/lib/bare-parse.ts).
// 3. The real import: a fresh DATA_DIR, `npx prisma migrate deploy`, a list
//    made with createList, then `node --import tsx importer/cli.ts mbox <file>
//    --list <slug>` (what `npm run import` runs), its VmRSS sampled every 250 ms.
// 4. A shorter import (BENCH_IMPORTER_PROFILE_MESSAGES, default 20,000; 0 skips
//    it) under `node --cpu-prof`, which writes one profile per thread: the
//    main thread (reading, threading, database writes) and the importer's
//    parse workers are summarised separately, by package and function, with
//    the main thread's time per message.
//
// Goals (archive issue): end-to-end >= 60 % of the 2-worker bare parse rate,
// peak RSS < 400 MB at any mbox size. The import writes a search outbox entry
// per message; the search indexer that drains it runs on its own and is not
// part of what is measured.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { bareParse, type BareParseResult } from "./lib/bare-parse";
import { analyseCpuProfile, type ProfileSummary } from "./lib/cpu-profile";
import { ensureMbox, type GeneratedMbox } from "./lib/mbox-generator";
import { runCommand } from "./lib/production-server";
import { formatMiB, readCpuSeconds, sampleRss } from "./lib/rss";
import { defaultParseWorkers } from "../../importer/mbox-import.ts";
import type { Benchmark, BenchContext, BenchReport } from "./types";

const GOAL_RATIO = 0.6;
const GOAL_RSS_MIB = 400;
const SLUG = "bench-list";

function sizeFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw.replaceAll("_", ""));
  if (!Number.isInteger(value) || value < 0 || value > 5_000_000) throw new Error(`${name} must be a whole number of messages, not "${raw}".`);
  return value;
}

type ImportRunResult = {
  messages: number;
  created: number;
  failed: number;
  seconds: number;
  perSecond: number;
  peakRssKiB: number | null;
  /** CPU seconds the import process used, all its threads (last sample before it exited). */
  cpuSeconds: number | null;
  dbBytes: number;
  attachmentBytes: number;
  rows: { messages: number; placeholders: number; threads: number; attachments: number; failures: number };
  /** Rate over the first and the last fifth of the run, from the CLI's progress lines. */
  earlyRate: number | null;
  lateRate: number | null;
  profile: ProfileSummary | null;
  /** The parse workers' profiles (other threads, such as tsx's loader, are left out). */
  workerProfiles: ProfileSummary[];
  /** Draining the search outbox into the embedded index afterwards, when asked for. */
  indexing: { indexed: number; documents: number; seconds: number; left: number; searchableSeconds?: number | null } | null;
  output: string;
};

function dirBytes(dir: string): number {
  let total = 0;
  if (!fs.existsSync(dir)) return 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath, entry.name)).size;
  }
  return total;
}

/** The indexer child's result: its last JSON line with "indexed" (its log lines are JSON too). */
function resultLine(output: string): string | undefined {
  return output.trim().split("\n").reverse().find((text) => text.startsWith('{"indexed"'));
}

/** Runs one real import into a fresh DATA_DIR; removes the folder afterwards. */
/**
 * index: "after" drains the search outbox once the import has finished;
 * "alongside" runs the indexer during the import (as `npm start` or
 * `npm run worker` do) and stops it once the import is over and the outbox empty.
 */
async function runImport(
  context: BenchContext,
  mbox: GeneratedMbox,
  options: { cpuProfile: boolean; index?: "after" | "alongside"; parseWorkers?: number },
): Promise<ImportRunResult> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-bench-importer-"));
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  context.onCleanup(removeDataDir);
  const dbFile = path.join(dataDir, "threadline.db");
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    LOG_LEVEL: "warn",
    IMPORT_PROGRESS_SECONDS: "5",
    DATA_DIR: dataDir,
    DATABASE_URL: `file:${dbFile}`,
  };
  if (options.parseWorkers !== undefined) env.IMPORT_PARSE_WORKERS = String(options.parseWorkers);
  else delete env.IMPORT_PARSE_WORKERS;
  try {
    context.log(`Creating the schema (npx prisma migrate deploy) in ${dataDir}...`);
    const migrate = await runCommand("npx", ["prisma", "migrate", "deploy"], { cwd: context.root, env, timeoutMs: 5 * 60_000 });
    if (migrate.code !== 0) throw new Error(`prisma migrate deploy failed (exit code ${migrate.code}):\n${migrate.output}`);
    const create = await runCommand(process.execPath, ["--import", "tsx", path.join("tests", "bench", "lib", "importer-create-list.ts"), SLUG], {
      cwd: context.root,
      env,
      timeoutMs: 60_000,
    });
    if (create.code !== 0) throw new Error(`Creating the list failed (exit code ${create.code}):\n${create.output}`);

    const profileDir = path.join(dataDir, "cpu-profile");
    const nodeArgs = options.cpuProfile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [];
    context.log(
      `Importing ${mbox.messages.toLocaleString("en")} messages: node ${[...nodeArgs, "--import", "tsx", "importer/cli.ts", "mbox", "<file>", "--list", SLUG].join(" ")}...`,
    );
    const importDoneFile = path.join(dataDir, "import-done");
    const indexer =
      options.index === "alongside"
        ? runCommand(process.execPath, ["--import", "tsx", path.join("tests", "bench", "lib", "importer-index-search.ts")], {
            cwd: context.root,
            env: { ...env, BENCH_INDEX_UNTIL_FILE: importDoneFile },
            timeoutMs: 60 * 60_000,
          })
        : null;
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, "--import", "tsx", "importer/cli.ts", "mbox", mbox.file, "--list", SLUG], {
      cwd: context.root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const kill = () => child.kill("SIGKILL");
    process.once("exit", kill);
    context.onCleanup(() => void (child.exitCode === null && child.signalCode === null && child.kill("SIGKILL")));
    const onAbort = () => child.kill("SIGTERM");
    context.signal.addEventListener("abort", onAbort, { once: true });
    const rss = sampleRss(child.pid!, 250);
    let cpuSeconds: number | null = null;
    const cpuTimer = setInterval(() => (cpuSeconds = readCpuSeconds(child.pid!) ?? cpuSeconds), 250);
    let output = "";
    const progress: Array<{ t: number; messages: number }> = [];
    let lastLog = 0;
    const onData = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output = (output + text).slice(-20_000);
      for (const match of text.matchAll(/progress: \S+ ([\d,]+) messages/g)) {
        const t = (performance.now() - started) / 1000;
        const messages = Number(match[1]!.replaceAll(",", ""));
        progress.push({ t, messages });
        if (t - lastLog >= 60) {
          lastLog = t;
          context.log(`  ${messages.toLocaleString("en")} messages after ${t.toFixed(0)} s (peak RSS so far ${formatMiB(rss.peakKiB())})`);
        }
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", (exitCode) => resolve(exitCode));
    });
    const seconds = (performance.now() - started) / 1000;
    clearInterval(cpuTimer);
    fs.writeFileSync(importDoneFile, "");
    const alongside = indexer ? await indexer : null;
    const searchableSeconds = alongside ? (performance.now() - started) / 1000 : null;
    rss.stop();
    process.off("exit", kill);
    context.signal.removeEventListener("abort", onAbort);
    context.signal.throwIfAborted();
    if (code !== 0) throw new Error(`The import exited with code ${code}:\n${output.slice(-3000)}`);
    const summary = /(\d+) messages read, (\d+) new, (\d+) already archived, (\d+) skipped \(X-No-Archive\), (\d+) failed/.exec(output);
    if (!summary) throw new Error(`Could not read the import's summary:\n${output.slice(-3000)}`);

    const db = new Database(dbFile, { readonly: true });
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    const rows = {
      messages: count(`SELECT count(*) AS n FROM "MailMessage" WHERE "kind" = 'message'`),
      placeholders: count(`SELECT count(*) AS n FROM "MailMessage" WHERE "kind" = 'placeholder'`),
      threads: count(`SELECT count(*) AS n FROM "MailThread"`),
      attachments: count(`SELECT count(*) AS n FROM "MailAttachment"`),
      failures: count(`SELECT count(*) AS n FROM "ImportFailure"`),
    };
    db.close();
    const dbBytes = ["", "-wal", "-shm"].reduce((total, suffix) => total + (fs.existsSync(dbFile + suffix) ? fs.statSync(dbFile + suffix).size : 0), 0);

    const rateBetween = (from: number, to: number) => {
      const a = progress.find((p) => p.messages >= from);
      const b = [...progress].reverse().find((p) => p.messages <= to);
      return a && b && b.t > a.t ? (b.messages - a.messages) / (b.t - a.t) : null;
    };
    const fifth = mbox.messages / 5;

    let profile: ProfileSummary | null = null;
    const workerProfiles: ProfileSummary[] = [];
    if (options.cpuProfile) {
      // CPU.<date>.<time>.<pid>.<thread id>.<sequence>.cpuprofile; thread 0 is the main thread.
      const files = fs.existsSync(profileDir) ? fs.readdirSync(profileDir).filter((name) => name.endsWith(".cpuprofile")) : [];
      const threadOf = (name: string) => Number(name.split(".")[4]);
      const main = files.find((name) => threadOf(name) === 0);
      if (main) profile = analyseCpuProfile(path.join(profileDir, main), context.root, { top: 15 });
      else context.log("Warning: --cpu-prof wrote no profile for the main thread.");
      for (const name of files.filter((n) => threadOf(n) !== 0)) {
        const summary = analyseCpuProfile(path.join(profileDir, name), context.root, { top: 15 });
        if (summary.allPackages.some((p) => p.name === "mailparser")) workerProfiles.push(summary);
      }
    }
    let indexing: ImportRunResult["indexing"] = null;
    if (alongside) {
      const line = resultLine(alongside.output);
      if (alongside.code !== 0 || !line) throw new Error(`Indexing alongside the import failed (exit code ${alongside.code}):\n${alongside.output.slice(-3000)}`);
      indexing = { ...(JSON.parse(line) as NonNullable<ImportRunResult["indexing"]>), searchableSeconds };
      context.log(`Indexed ${indexing.indexed.toLocaleString("en")} documents alongside; searchable after ${searchableSeconds!.toFixed(0)} s.`);
    }
    if (options.index === "after") {
      context.log("Indexing the imported messages for search (draining the outbox into the embedded index)...");
      const drained = await runCommand(process.execPath, ["--import", "tsx", path.join("tests", "bench", "lib", "importer-index-search.ts")], {
        cwd: context.root,
        env,
        timeoutMs: 60 * 60_000,
      });
      const line = resultLine(drained.output);
      if (drained.code !== 0 || !line) throw new Error(`Indexing failed (exit code ${drained.code}):\n${drained.output.slice(-3000)}`);
      indexing = JSON.parse(line) as NonNullable<ImportRunResult["indexing"]>;
      context.log(`Indexed ${indexing.indexed.toLocaleString("en")} documents in ${indexing.seconds.toFixed(0)} s.`);
    }
    const messages = Number(summary[1]);
    return {
      indexing,
      messages,
      created: Number(summary[2]),
      failed: Number(summary[5]),
      seconds,
      perSecond: messages / seconds,
      peakRssKiB: rss.peakKiB(),
      cpuSeconds,
      dbBytes,
      attachmentBytes: dirBytes(path.join(dataDir, "attachments")),
      rows,
      earlyRate: rateBetween(0, fifth),
      lateRate: rateBetween(mbox.messages - fifth, mbox.messages),
      profile,
      workerProfiles,
      output,
    };
  } finally {
    removeDataDir();
  }
}

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const rate = (value: number | null) => (value === null ? "n/a" : value.toFixed(0));
const cpu = (seconds: number | null) => (seconds === null ? "n/a" : seconds.toFixed(0));
const workersLabel = (workers: number) => (workers === 0 ? "no parse workers" : `${workers} parse worker${workers === 1 ? "" : "s"}`);

/** Coarse groups for "where the time goes", by package name (first match wins). */
const TIME_GROUPS: Array<[string, (name: string) => boolean]> = [
  ["Prisma and SQLite (query compiler, client, adapter, better-sqlite3)", (n) => n.startsWith("@prisma/") || n === "better-sqlite3" || n.startsWith("app/generated/")],
  [
    "MIME parsing (mailparser, mailsplit, libmime, iconv-lite, libqp, libbase64, html-to-text...)",
    (n) => ["mailparser", "mailsplit", "libmime", "iconv-lite", "libqp", "libbase64", "html-to-text", "encoding-japanese", "punycode.js", "linkify-it", "tlds", "he", "@zone-eu/mailsplit", "nodemailer", "leac", "peberminta", "selderee", "@selderee/plugin-htmlparser2", "deepmerge", "dom-serializer", "domhandler", "domutils", "entities", "htmlparser2"].includes(n),
  ],
  ["HTML sanitising (sanitize-html, postcss)", (n) => ["sanitize-html", "postcss", "parse-srcset", "escape-string-regexp", "is-plain-object", "nanoid", "picocolors", "source-map-js"].includes(n)],
  ["gzip and sha256 (Node.js zlib, crypto)", (n) => n === "Node.js zlib" || n === "Node.js crypto"],
  ["garbage collection", (n) => n === "V8 garbage collector"],
  ["importer and archive code (importer/, app/archive/)", (n) => n.startsWith("importer/") || n.startsWith("app/")],
  ["Node.js streams, buffers, events, promises", (n) => n.startsWith("Node.js ")],
  ["tsx (TypeScript loading)", (n) => n === "tsx" || n === "esbuild"],
];

function whereTheTimeGoes(summary: ProfileSummary): string[][] {
  const totals = new Map<string, number>();
  let other = 0;
  for (const p of summary.allPackages) {
    const group = TIME_GROUPS.find(([, test]) => test(p.name))?.[0];
    if (group) totals.set(group, (totals.get(group) ?? 0) + p.selfShare);
    else other += p.selfShare;
  }
  const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([group, share]) => [group, pct(share)]);
  rows.push(["everything else (V8 native, program, other packages)", pct(other)]);
  return rows;
}

async function run(context: BenchContext): Promise<BenchReport> {
  const messages = sizeFromEnv("BENCH_IMPORTER_MESSAGES", 200_000);
  const profileMessages = sizeFromEnv("BENCH_IMPORTER_PROFILE_MESSAGES", Math.min(20_000, messages));
  if (messages < 100) throw new Error("BENCH_IMPORTER_MESSAGES must be at least 100.");
  const loadBefore = os.loadavg()[0]!;

  const mbox = await ensureMbox({ messages }, context.log);
  context.signal.throwIfAborted();
  context.log(`Bare parse: ${messages.toLocaleString("en")} messages, readMbox in the main thread, simpleParser in 2 worker threads...`);
  const bare: BareParseResult = await bareParse(mbox.file, { workers: 2, signal: context.signal });
  context.log(`Bare parse: ${bare.perSecond.toFixed(0)} messages/s (${bare.seconds.toFixed(1)} s).`);

  const defaultWorkers = defaultParseWorkers(mbox.bytes);
  const full = await runImport(context, mbox, { cpuProfile: false, index: "after" });
  context.log(`Import: ${full.perSecond.toFixed(0)} messages/s (${full.seconds.toFixed(0)} s), peak RSS ${formatMiB(full.peakRssKiB)}.`);
  // The importer's default on this machine against two parse workers, when those are not already the default.
  const twoWorkers = defaultWorkers === 2 ? null : await runImport(context, mbox, { cpuProfile: false, parseWorkers: 2 });
  context.log("Again into a fresh DATA_DIR, with the search indexer running alongside (as with `npm start` or `npm run worker` running)...");
  const alongside = await runImport(context, mbox, { cpuProfile: false, index: "alongside" });
  const alongsideSeconds = alongside.indexing?.searchableSeconds ?? alongside.seconds;
  const alongsidePerSecond = alongside.messages / alongsideSeconds;

  let profiled: { mbox: GeneratedMbox; result: ImportRunResult; bareOne: BareParseResult } | null = null;
  if (profileMessages >= 100) {
    const small = await ensureMbox({ messages: profileMessages }, context.log);
    context.log(`Bare parse with 1 worker on the ${profileMessages.toLocaleString("en")}-message file (for comparison)...`);
    const bareOne = await bareParse(small.file, { workers: 1, signal: context.signal });
    const result = await runImport(context, small, { cpuProfile: true });
    context.log(`Profiled import: ${result.perSecond.toFixed(0)} messages/s, peak RSS ${formatMiB(result.peakRssKiB)}.`);
    profiled = { mbox: small, result, bareOne };
  }

  const loadAfter = os.loadavg();
  // The end-to-end: parse, thread, store and index, until every message is searchable.
  const searchableSeconds = full.seconds + (full.indexing?.seconds ?? 0);
  const searchablePerSecond = full.messages / searchableSeconds;
  // The verdict takes the better of the two ways to reach "searchable": one after the other, or the indexer alongside.
  const bestPerSecond = Math.max(searchablePerSecond, alongsidePerSecond);
  const ratio = bestPerSecond / bare.perSecond;
  const peakMiB = (full.peakRssKiB ?? 0) / 1024;
  const rows: string[][] = [
    ["Bare parse: readMbox + simpleParser, 2 worker threads", String(bare.messages), bare.seconds.toFixed(1), bare.perSecond.toFixed(0), "n/a", formatMiB(bare.peakRssKiB), "n/a"],
    [`Import: importer/cli.ts mbox (parse, thread, store), ${workersLabel(defaultWorkers)}`, String(full.messages), full.seconds.toFixed(1), full.perSecond.toFixed(0), cpu(full.cpuSeconds), formatMiB(full.peakRssKiB), mib(full.dbBytes)],
  ];
  if (twoWorkers) {
    rows.push([
      "Import with IMPORT_PARSE_WORKERS=2 (for comparison)", String(twoWorkers.messages), twoWorkers.seconds.toFixed(1), twoWorkers.perSecond.toFixed(0),
      cpu(twoWorkers.cpuSeconds), formatMiB(twoWorkers.peakRssKiB), mib(twoWorkers.dbBytes),
    ]);
  }
  if (full.indexing) {
    rows.push(
      ["Search indexing: the outbox drained into the embedded index", String(full.indexing.indexed), full.indexing.seconds.toFixed(1), (full.indexing.indexed / full.indexing.seconds).toFixed(0), "n/a", "n/a", "n/a"],
      ["End-to-end until searchable (import, then indexing)", String(full.messages), searchableSeconds.toFixed(1), searchablePerSecond.toFixed(0), "n/a", formatMiB(full.peakRssKiB), "n/a"],
    );
  }
  rows.push(
    ["End-to-end until searchable, indexer alongside the import", String(alongside.messages), alongsideSeconds.toFixed(1), alongsidePerSecond.toFixed(0), "n/a", formatMiB(alongside.peakRssKiB), mib(alongside.dbBytes)],
  );
  if (profiled) {
    const p = profiled;
    rows.push(
      [`Bare parse, 1 worker thread (${p.mbox.messages} messages)`, String(p.bareOne.messages), p.bareOne.seconds.toFixed(1), p.bareOne.perSecond.toFixed(0), "n/a", formatMiB(p.bareOne.peakRssKiB), "n/a"],
      [`Import under node --cpu-prof (${p.mbox.messages} messages)`, String(p.result.messages), p.result.seconds.toFixed(1), p.result.perSecond.toFixed(0), cpu(p.result.cpuSeconds), formatMiB(p.result.peakRssKiB), mib(p.result.dbBytes)],
    );
  }

  const verdictRate = ratio >= GOAL_RATIO ? "MET" : "MISSED";
  const verdictRss = peakMiB < GOAL_RSS_MIB ? "MET" : "MISSED";
  const notes: string[] = [
    `Ratio end-to-end (until searchable) / bare parse: ${ratio.toFixed(2)} (goal >= ${GOAL_RATIO}): **${verdictRate}**. ` +
      `End-to-end ${bestPerSecond.toFixed(0)} messages/s (indexer alongside ${alongsidePerSecond.toFixed(0)}, one after the other ${searchablePerSecond.toFixed(0)}, import alone ${full.perSecond.toFixed(0)}) ` +
      `against ${bare.perSecond.toFixed(0)} messages/s for mailparser alone in 2 threads; ` +
      `the goal needs ${(bare.perSecond * GOAL_RATIO).toFixed(0)} messages/s, ${((bare.perSecond * GOAL_RATIO) / bestPerSecond).toFixed(1)}x the measured rate.`,
    `Indexer alongside: ${alongside.indexing?.indexed.toLocaleString("en") ?? "n/a"} documents indexed while importing, ${alongside.indexing?.left ?? "n/a"} outbox entries left at the end; ` +
      `the import itself took ${alongside.seconds.toFixed(1)} s of the ${alongsideSeconds.toFixed(1)} s (both compete for the same 2 CPUs).`,
    `Peak RSS of the import process: ${formatMiB(full.peakRssKiB)} (goal < ${GOAL_RSS_MIB} MB at any mbox size): **${verdictRss}**` +
      (profiled ? `; ${formatMiB(profiled.result.peakRssKiB)} on the ${profiled.mbox.messages.toLocaleString("en")}-message file (under --cpu-prof).` : "."),
    ...(twoWorkers
      ? [
          `Parse workers: the CLI's default on this machine is ${workersLabel(defaultWorkers)} (importer/mbox-import.ts, defaultParseWorkers: one per CPU beyond two). ` +
            `With IMPORT_PARSE_WORKERS=2 the same import took ${twoWorkers.seconds.toFixed(1)} s (${twoWorkers.perSecond.toFixed(0)} messages/s) and ${cpu(twoWorkers.cpuSeconds)} CPU seconds, ` +
            `against ${full.seconds.toFixed(1)} s and ${cpu(full.cpuSeconds)} CPU seconds by default: a worker spends more CPU per message than parsing in the importing thread ` +
            "(each message and its result are copied between threads, and each worker has a small heap of its own), which two CPUs cannot repay.",
        ]
      : []),
    `Rate over the run (from the CLI's progress lines): ${rate(full.earlyRate)} messages/s over the first fifth of the file, ${rate(full.lateRate)} over the last fifth ` +
      `(the archive had ${full.rows.messages.toLocaleString("en")} messages by the end).`,
    `Stored: ${full.rows.messages.toLocaleString("en")} messages, ${full.rows.placeholders} placeholders, ${full.rows.threads.toLocaleString("en")} threads, ` +
      `${full.rows.attachments} attachments (${mib(full.attachmentBytes)} of attachment files beside the database), ${full.rows.failures} import failures; ` +
      `database ${mib(full.dbBytes)} (threadline.db with its -wal and -shm) for a ${mib(mbox.bytes)} mbox. The CLI reported ${full.created} new and ${full.failed} failed.`,
    ...(messages < 200_000
      ? [
          `Size: this run used ${messages.toLocaleString("en")} messages, not the issue's 200,000: at the measured end-to-end rate a 200,000-message import ` +
            `would take about ${(200_000 / full.perSecond / 60).toFixed(0)} minutes (longer if the rate keeps falling as the database grows), beyond the time this run had.`,
        ]
      : []),
    `Baseline sanity: the issue expected mailparser alone at roughly 1,500 messages/s on its realistic mix; this synthetic mix (mostly plain text, ${(mbox.bytes / mbox.messages / 1024).toFixed(1)} KiB per message on average) ` +
      `parses at ${bare.perSecond.toFixed(0)} messages/s, so it is lighter per message than the issue's mix and the goal here is stricter. ` +
      `Against 1,500 messages/s the goal would be ${(1500 * GOAL_RATIO).toFixed(0)} messages/s, still ${((1500 * GOAL_RATIO) / full.perSecond).toFixed(1)}x the measured end-to-end rate.` +
      (profiled && profiled.bareOne.perSecond > bare.perSecond
        ? ` One worker thread (${profiled.bareOne.perSecond.toFixed(0)} messages/s on the ${profiled.mbox.messages.toLocaleString("en")}-message file) beat two: on 2 CPUs, two parsing threads plus the main thread ` +
          "splitting the file and copying each message leave three busy threads for two CPUs; the goal is defined against the 2-worker figure all the same."
        : ""),
    full.indexing
      ? `Search: each stored message gets a search outbox entry in its transaction; draining them into the embedded index (what the server's indexer does) took ${full.indexing.seconds.toFixed(1)} s for ${full.indexing.indexed.toLocaleString("en")} documents, ` +
        `${full.indexing.left} entries left, ${full.indexing.documents.toLocaleString("en")} documents in the index.`
      : "Search: not measured in this run.",
  ];
  if (profiled?.result.profile) {
    const summary = profiled.result.profile;
    const n = Math.max(1, profiled.result.messages);
    const workerBusy = profiled.result.workerProfiles.reduce((total, w) => total + w.busyMs, 0);
    notes.push(
      `Where the time goes (import of ${profiled.mbox.messages.toLocaleString("en")} messages under \`node --cpu-prof\`): the main thread (reading the file, threading, database writes) was busy ` +
        `${(summary.busyMs / 1000).toFixed(1)} s of ${(summary.totalMs / 1000).toFixed(1)} s (${((summary.busyMs / n) * 1000).toFixed(0)} µs per message; idle time is waiting for parsed messages); ` +
        (profiled.result.workerProfiles.length > 0
          ? `${profiled.result.workerProfiles.length} parse worker threads were busy ${(workerBusy / 1000).toFixed(1)} s in all (${((workerBusy / n) * 1000).toFixed(0)} µs per message).`
          : `there were no parse worker threads (${workersLabel(defaultWorkers)} by default on this machine), so the main thread's time includes MIME parsing.`),
      "Main thread, self time by group: " +
        whereTheTimeGoes(summary).map(([group, share]) => `${group} ${share}`).join("; ") + ".",
      "Main thread, top packages by self time (share of busy time; inclusive = on the stack anywhere): " +
        summary.packages.slice(0, 10).map((p) => `${p.name} ${pct(p.selfShare)} (inclusive ${pct(p.inclusiveShare)})`).join("; ") + ".",
      "Main thread, top functions by self time: " +
        summary.functions.slice(0, 12).map((f) => `\`${f.name}\` (${f.where || f.packageName}) ${pct(f.selfShare)}`).join("; ") + ".",
    );
    const worker = [...profiled.result.workerProfiles].sort((a, b) => b.busyMs - a.busyMs)[0];
    if (worker) {
      notes.push("Busiest parse worker, self time by group: " + whereTheTimeGoes(worker).map(([group, share]) => `${group} ${share}`).join("; ") + ".");
    }
  }
  notes.push(...recommendations(profiled?.result.profile ?? null, profiled?.result.messages ?? 0, bare.perSecond * GOAL_RATIO, defaultWorkers));

  const mix = mbox.mix;
  return {
    settings: [
      `Dataset: ${mbox.messages.toLocaleString("en")} synthetic messages (tests/bench/lib/mbox-generator.ts, seeded; ${mib(mbox.bytes)} mboxo, cached in ${os.tmpdir()}): ` +
        `${mix.threads.toLocaleString("en")} threads of 1 to ${mix.largestThread} messages (heavy-tailed), ${pct(mix.utf8 / mbox.messages)} UTF-8, ` +
        `${pct(mix.latin1 / mbox.messages)} ISO-8859-1, ${pct(mix.quotedPrintable / mbox.messages)} quoted-printable and ${pct(mix.base64Body / mbox.messages)} base64 bodies, ` +
        `${pct(mix.encodedWordSubject / mbox.messages)} encoded-word subjects, ${pct(mix.html / mbox.messages)} with an HTML alternative, ` +
        `${pct(mix.attachments / mbox.messages)} with a base64 attachment, ${mix.malformed} malformed.` +
        (messages === 200_000 ? "" : ` (BENCH_IMPORTER_MESSAGES=${messages}: the issue asks for 200,000.)`),
      "Bare parse: readMbox (importer/mbox-reader.ts) splits the file in the main thread; each message is copied and posted round-robin to 2 `worker_threads` " +
        "running mailparser's simpleParser with the importer's options (at most 32 unanswered messages per worker). Nothing is stored.",
      "End-to-end: a fresh DATA_DIR, `npx prisma migrate deploy`, a list made with createList (app/archive/lists.server.ts), then " +
        "`node --import tsx importer/cli.ts mbox <file> --list bench-list` (what `npm run import` runs) with NODE_ENV=production and LOG_LEVEL=warn " +
        `and the default parse workers (${workersLabel(defaultParseWorkers(mbox.bytes))} here); ` +
        "the time is the child's wall time, start-up included. Peak RSS: the child's VmRSS sampled every 250 ms.",
      `Profile: a second import of ${profileMessages.toLocaleString("en")} messages (its own cached mbox, same generator) into another fresh DATA_DIR under \`node --cpu-prof\`, analysed by tests/bench/lib/cpu-profile.ts.`,
      `Machine load: 1-minute load average ${loadBefore.toFixed(2)} just before the run, ${loadAfter[0]!.toFixed(2)} (1 min) and ${loadAfter[2]!.toFixed(2)} (15 min) at the end ` +
        "(above 2 on this 2-CPU machine means other work competed for the CPUs and every rate here is low, the bare parse's included). " +
        `Goals from the archive issue: end-to-end >= ${GOAL_RATIO * 100} % of the bare 2-thread parse rate; peak RSS < ${GOAL_RSS_MIB} MB.`,
    ],
    tables: [{ columns: ["Run", "Messages", "Seconds", "Messages/s", "CPU s", "Peak RSS", "DB size"], rows }],
    notes,
  };
}

/** Share of the profile's busy time in the groups whose name starts with `prefix`. */
function groupShare(summary: ProfileSummary | null, prefix: string): number | null {
  if (!summary) return null;
  const group = TIME_GROUPS.find(([name]) => name.startsWith(prefix));
  if (!group) return null;
  return summary.allPackages.filter((p) => group[1](p.name)).reduce((total, p) => total + p.selfShare, 0);
}

/**
 * The main thread's budget against the goal, from this run's profile. With
 * parsing in worker threads the main thread is the pipeline's narrowest
 * stage once its time per message exceeds the workers' share.
 */
function recommendations(summary: ProfileSummary | null, profiledMessages: number, goalRate: number, workers: number): string[] {
  if (!summary || profiledMessages <= 0) return [];
  const perMessageUs = (share: number | null) => (share === null ? "n/a" : `${((summary.busyMs * share * 1000) / profiledMessages).toFixed(0)} µs`);
  const db = groupShare(summary, "Prisma");
  const gc = groupShare(summary, "garbage");
  const own = groupShare(summary, "importer");
  const mime = groupShare(summary, "MIME");
  return [
    `Budget: the goal rate (${goalRate.toFixed(0)} messages/s) leaves ${(1_000_000 / goalRate).toFixed(0)} µs of main-thread time per message, and less on 2 CPUs, ` +
      (workers > 0 ? `where the main thread shares the machine with ${workersLabel(workers)}. ` : "where the search indexer needs the other CPU. ") +
      `The profiled main thread spent ${perMessageUs(1)} per message: ` +
      `Prisma and SQLite ${perMessageUs(db)}, garbage collection ${perMessageUs(gc)}, importer and archive code ${perMessageUs(own)}, ` +
      `MIME parsing on the main thread ${perMessageUs(mime)}${workers > 0 ? " (messages over 2 MB, and worker failures)" : ""}.`,
    "What is left in the database layer: the bulk writes (messages, placeholders, raw bytes, attachments, threads, search outbox entries) are prepared statements " +
      "on the transaction's own SQLite connection (docs/decisions/0015); Prisma remains for the few look-ups per batch (which referenced Message-IDs exist, " +
      "tombstones, threads for subject grouping) and for opening and committing each batch's transaction.",
  ];
}

export const importer: Benchmark = {
  name: "importer",
  title: "Mailing-list archive import (mbox)",
  description:
    "End-to-end mbox import (parse, thread, store, and index for search) of a synthetic 200,000-message archive in messages per second and peak memory, " +
    "against mailparser alone parsing the same file in 2 worker threads, with a CPU profile of where the import's time goes.",
  run,
};
