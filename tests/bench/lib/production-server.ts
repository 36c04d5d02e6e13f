// Runs the production build the way `npm run serve` does (data-server.ts), on
// a private temporary DATA_DIR migrated and seeded with `npm run setup`,
// bound to the loopback interface on a free port. Shared by every HTTP benchmark.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BenchContext } from "../types";
import { startServerOnData, type DataServer } from "./data-server";

export type ProductionServer = {
  /** e.g. http://127.0.0.1:41234 */
  url: string;
  /** The server's own process (node running server.ts), for RSS sampling. */
  pid: number;
  dataDir: string;
  /** Log lines at warn level or above seen so far, and how many were "slow query" warnings. */
  logCounts: () => { warnings: number; slowQueries: number };
  /** The last lines the server printed, and whether it is still running, for error messages. */
  recentOutput: () => string;
  /** How the server process was started, for the report. */
  command: string;
  /** Stops the server and removes the data folder. Safe to call more than once. */
  stop: () => Promise<void>;
};

type CommandResult = { code: number | null; output: string };

/** Runs a command to completion, capturing its combined output. */
export function runCommand(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number }) {
  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const append = (chunk: Buffer) => {
      output = (output + chunk.toString("utf8")).slice(-20_000);
    };
    child.stdout.on("data", append);
    child.stderr.on("data", append);
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

export type BuildInfo = {
  /** A line for the report saying which build is measured. */
  description: string;
  /** True if build/ was rewritten since (e.g. by a concurrent `npm run build`), which skews figures. */
  changedSince: () => boolean;
};

const buildStamp = (entry: string) => (fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0);

/**
 * Builds the app with `npm run build` unless build/server/index.js exists (or
 * `--build` was given).
 */
export async function ensureProductionBuild(context: BenchContext): Promise<BuildInfo> {
  const entry = path.join(context.root, "build", "server", "index.js");
  if (!context.options.forceBuild && fs.existsSync(entry)) {
    const stamp = buildStamp(entry);
    const builtAt = new Date(stamp).toISOString();
    context.log(`Using the existing production build (built ${builtAt}; pass --build to rebuild).`);
    return {
      description: `Build: the existing build/ (built ${builtAt.slice(0, 16).replace("T", " ")} UTC).`,
      changedSince: () => buildStamp(entry) !== stamp,
    };
  }
  context.log("Building the app (npm run build)...");
  const result = await runCommand("npm", ["run", "build"], { cwd: context.root, env: process.env, timeoutMs: 10 * 60_000 });
  if (result.code !== 0 || !fs.existsSync(entry)) {
    throw new Error(`npm run build failed (exit code ${result.code}):\n${result.output}`);
  }
  const stamp = buildStamp(entry);
  return { description: "Build: made by `npm run build` for this run.", changedSince: () => buildStamp(entry) !== stamp };
}

export { freePort } from "../../support/free-port";

/** The environment for setup and server: our own data folder, never the developer's. */
export function benchEnv(dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  env.DATA_DIR = dataDir;
  // Explicit, so that a DATABASE_URL in the shell or in .env cannot point us elsewhere.
  env.DATABASE_URL = `file:${path.join(dataDir, "threadline.db")}`;
  delete env.SEED_DEMO;
  delete env.PUBLIC_URL;
  delete env.TRUST_PROXY;
  return env;
}

export function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startProductionServer(context: BenchContext): Promise<ProductionServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-bench-"));
  const removeDataDir = () => fs.rmSync(dataDir, { recursive: true, force: true });
  // Last resort if the harness dies without running its clean-ups.
  process.once("exit", removeDataDir);
  let server: DataServer | undefined;
  // Every caller (the benchmark's finally, the harness's clean-up on Ctrl-C)
  // waits for the same shutdown.
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await server?.stop();
      removeDataDir();
      process.off("exit", removeDataDir);
    })());
  context.onCleanup(stop);

  try {
    context.signal.throwIfAborted();
    context.log(`Migrating and seeding a fresh database in ${dataDir} (npm run setup)...`);
    const setup = await runCommand("npm", ["run", "setup"], { cwd: context.root, env: benchEnv(dataDir, {}), timeoutMs: 5 * 60_000 });
    if (setup.code !== 0) throw new Error(`npm run setup failed (exit code ${setup.code}):\n${setup.output}`);
    server = await startServerOnData(context, { dataDir });
    return { ...server, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
