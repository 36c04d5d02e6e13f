// Runs the production build the way `npm run serve` does, on a private
// temporary DATA_DIR (migrated and seeded with `npm run setup`), bound to the
// loopback interface on a free port. Shared by every HTTP benchmark.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import type { BenchContext } from "../types";

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

/** A port that was free a moment ago on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("Could not find a free port."))));
    });
  });
}

/** The environment for setup and server: our own data folder, never the developer's. */
function benchEnv(dataDir: string, extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  env.DATA_DIR = dataDir;
  // Explicit, so that a DATABASE_URL in the shell or in .env cannot point us elsewhere.
  env.DATABASE_URL = `file:${path.join(dataDir, "threadline.db")}`;
  delete env.SEED_DEMO;
  delete env.PUBLIC_URL;
  delete env.TRUST_PROXY;
  return env;
}

function waitForExit(child: ChildProcess, timeoutMs: number): Promise<boolean> {
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
  let child: ChildProcess | undefined;

  // Last resort if the harness dies without running its clean-ups.
  const onExit = () => {
    child?.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  process.once("exit", onExit);

  const shutDown = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      if (!(await waitForExit(child, 12_000))) {
        child.kill("SIGKILL");
        await waitForExit(child, 5_000);
      }
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.off("exit", onExit);
  };
  // Every caller (the benchmark's finally, the harness's clean-up on Ctrl-C)
  // waits for the same shutdown.
  let stopping: Promise<void> | undefined;
  const stop = () => (stopping ??= shutDown());
  context.onCleanup(stop);

  try {
    context.signal.throwIfAborted();
    context.log(`Migrating and seeding a fresh database in ${dataDir} (npm run setup)...`);
    const setup = await runCommand("npm", ["run", "setup"], { cwd: context.root, env: benchEnv(dataDir, {}), timeoutMs: 5 * 60_000 });
    if (setup.code !== 0) throw new Error(`npm run setup failed (exit code ${setup.code}):\n${setup.output}`);

    const port = await freePort();
    const env = benchEnv(dataDir, {
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      RATE_LIMITS: "relaxed",
      HOST: "127.0.0.1",
      PORT: String(port),
    });
    // `node --import tsx server.ts` is what the `tsx` launcher of `npm run serve`
    // runs in its child process; starting it directly gives us that process's pid.
    const server = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      cwd: context.root,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = server;

    let recent = "";
    let pending = "";
    let warnings = 0;
    let slowQueries = 0;
    const onOutput = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      recent = (recent + text).slice(-10_000);
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        if (!line.trim()) continue;
        warnings += 1;
        if (line.includes("slow query")) slowQueries += 1;
      }
    };
    server.stdout!.on("data", onOutput);
    server.stderr!.on("data", onOutput);
    const spawnError = new Promise<never>((_, reject) => server.once("error", reject));
    spawnError.catch(() => {});

    const url = `http://127.0.0.1:${port}`;
    context.log(`Starting the production server on ${url}...`);
    const deadline = Date.now() + 60_000;
    for (;;) {
      context.signal.throwIfAborted();
      if (server.exitCode !== null || server.signalCode !== null) {
        throw new Error(`The server exited during start-up (code ${server.exitCode ?? server.signalCode}):\n${recent}`);
      }
      const ready = await Promise.race([
        fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) })
          .then(async (response) => response.ok && (await response.text()) === "ok")
          .catch(() => false),
        spawnError,
      ]);
      if (ready) break;
      if (Date.now() > deadline) throw new Error(`The server did not answer /healthz within 60 s:\n${recent}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    // The health check counts as start-up output, not as load output.
    warnings = 0;
    slowQueries = 0;

    return {
      url,
      pid: server.pid!,
      dataDir,
      logCounts: () => ({ warnings, slowQueries }),
      recentOutput: () => {
        const state =
          server.exitCode !== null || server.signalCode !== null
            ? `The server has exited (${server.exitCode ?? server.signalCode}).`
            : "The server is still running.";
        return `${state} Its last output:\n${recent || "(none)"}`;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
