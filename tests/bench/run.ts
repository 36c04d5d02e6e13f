// `npm run bench`: runs the benchmarks listed in registry.ts, prints their
// tables and rewrites their sections of docs/BENCHMARKS.md.
//
//   npm run bench -- [--only <name>[,<name>...]] [--duration <seconds>] [--connections <n>]
//                    [--build] [--list] [--no-write]
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchmarkSection, consoleTable, describeMachine, formatDate, introSection, upsertSection } from "./lib/report";
import { BENCHMARKS } from "./registry";
import type { BenchContext, BenchOptions, BenchReport, Benchmark } from "./types";

const ROOT = path.resolve(import.meta.dirname, "..", "..");
const DOC = path.join(ROOT, "docs", "BENCHMARKS.md");

const USAGE = `Usage: npm run bench -- [options]
  --only <name>        run only these benchmarks (repeat or comma-separate); see --list
  --duration <s>       seconds per measured scenario (default 10)
  --connections <n>    concurrent connections for load tests (default 50)
  --build              rebuild the production bundle even if build/ exists
  --list               list the benchmarks and exit
  --no-write           print results without updating docs/BENCHMARKS.md`;

function usageError(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseOptions(argv: string[]) {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        only: { type: "string", multiple: true },
        duration: { type: "string", default: "10" },
        connections: { type: "string", default: "50" },
        build: { type: "boolean", default: false },
        list: { type: "boolean", default: false },
        "no-write": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (error) {
    usageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const durationSeconds = Number(values.duration);
  if (!Number.isFinite(durationSeconds) || durationSeconds <= 0 || durationSeconds > 600) {
    usageError(`--duration must be a number of seconds between 0 and 600, not "${values.duration}".`);
  }
  const connections = Number(values.connections);
  if (!Number.isInteger(connections) || connections < 1 || connections > 1000) {
    usageError(`--connections must be a whole number from 1 to 1000, not "${values.connections}".`);
  }
  const names = (values.only ?? []).flatMap((value) => value.split(",")).map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!BENCHMARKS.some((benchmark) => benchmark.name === name)) {
      usageError(`Unknown benchmark "${name}". Available: ${BENCHMARKS.map((benchmark) => benchmark.name).join(", ")}.`);
    }
  }
  const selected = names.length ? BENCHMARKS.filter((benchmark) => names.includes(benchmark.name)) : BENCHMARKS;
  const options: BenchOptions = { durationSeconds, connections, forceBuild: values.build };
  return { options, selected, list: values.list, write: !values["no-write"] };
}

const shellQuote = (arg: string) => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);

async function main() {
  const argv = process.argv.slice(2);
  const { options, selected, list, write } = parseOptions(argv);
  if (list) {
    for (const benchmark of BENCHMARKS) console.log(`${benchmark.name.padEnd(16)} ${benchmark.description}`);
    return 0;
  }
  const command = `npm run bench${argv.length ? ` -- ${argv.map(shellQuote).join(" ")}` : ""}`;

  // Clean-ups run once, in reverse order, on success, failure or Ctrl-C.
  const cleanups: Array<() => void | Promise<void>> = [];
  let cleaning: Promise<void> | undefined;
  const runCleanups = (): Promise<void> =>
    (cleaning ??= (async () => {
      while (cleanups.length) {
        const cleanup = cleanups.pop()!;
        try {
          await cleanup();
        } catch (error) {
          console.error("Clean-up failed:", error);
        }
      }
    })().finally(() => {
      cleaning = undefined;
    }));
  const interruption = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (interruption.signal.aborted) return;
    console.error(`\n${signal}: stopping and cleaning up; no results are recorded...`);
    interruption.abort(new Error(`Interrupted by ${signal}.`));
    void runCleanups().finally(() => process.exit(130));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);

  const context: BenchContext = {
    options,
    root: ROOT,
    log: (message) => console.error(`[bench] ${message}`),
    onCleanup: (cleanup) => void cleanups.push(cleanup),
    signal: interruption.signal,
  };

  const machine = describeMachine();
  const date = new Date();
  console.error(`[bench] ${machine}`);
  const done: Array<{ benchmark: Benchmark; report: BenchReport }> = [];
  let failures = 0;
  try {
    for (const benchmark of selected) {
      if (interruption.signal.aborted) break;
      console.error(`[bench] == ${benchmark.name} ==`);
      const started = Date.now();
      try {
        const report = await benchmark.run(context);
        if (interruption.signal.aborted) break;
        done.push({ benchmark, report });
        console.log(`\n${benchmark.title} (${benchmark.name}), ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
        for (const table of report.tables) console.log(`${consoleTable(table)}\n`);
        for (const note of report.notes) console.log(`  * ${note}`);
        console.log("");
      } catch (error) {
        if (interruption.signal.aborted) break;
        failures += 1;
        console.error(`[bench] ${benchmark.name} failed:`, error instanceof Error ? error.message : error);
      } finally {
        await runCleanups();
      }
    }
  } finally {
    await runCleanups();
  }

  if (interruption.signal.aborted) return 130;
  if (write && done.length) {
    let document = fs.existsSync(DOC) ? fs.readFileSync(DOC, "utf8") : "";
    document = upsertSection(document, "intro", introSection(BENCHMARKS, machine, date));
    for (const { benchmark, report } of done) {
      document = upsertSection(document, benchmark.name, benchmarkSection(benchmark, report, { date, command, machine }));
    }
    fs.mkdirSync(path.dirname(DOC), { recursive: true });
    fs.writeFileSync(DOC, document.endsWith("\n") ? document : `${document}\n`);
    console.error(`[bench] Updated ${path.relative(ROOT, DOC)} (${done.map((entry) => entry.benchmark.name).join(", ")}), ${formatDate(date)}.`);
  }
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
