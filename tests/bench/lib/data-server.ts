// Starts the production build the way `npm run serve` does (the Node flags are
// read from that script, e.g. its heap cap) on a DATA_DIR, optionally with
// extra Node flags (--cpu-prof). The data folder belongs to the caller:
// startProductionServer seeds a fresh one, the forum benchmark brings its own.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { BenchContext } from "../types";
import { benchEnv, freePort, waitForExit, type ProductionServer } from "./production-server";

export type DataServerOptions = {
  dataDir: string;
  /** Node flags before `--import tsx server.ts`, e.g. ["--cpu-prof", "--cpu-prof-dir=/tmp/x"]. */
  nodeArgs?: string[];
  /** Extra environment (LOG_LEVEL, RATE_LIMITS...). */
  env?: Record<string, string>;
};

/**
 * The Node flags of the `serve` script in package.json (what runs between
 * `node` and `server.ts`, e.g. `--max-old-space-size=256 --import tsx`), so
 * that the benchmark runs the server exactly as production does.
 */
export function serveNodeArgs(root: string): string[] {
  try {
    const scripts = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts;
    const match = /(?:^|\s)node\s+(.*?)\s*server\.ts(?:\s|$)/.exec(scripts?.serve ?? "");
    const args = match?.[1]?.split(/\s+/).filter(Boolean) ?? [];
    if (args.includes("tsx")) return args;
  } catch {
    // Fall through to the default below.
  }
  return ["--import", "tsx"];
}

/** Like ProductionServer, but `stop` leaves the data folder alone, and says how the process ended. */
export type DataServer = Omit<ProductionServer, "stop"> & {
  stop: () => Promise<{ graceful: boolean }>;
};

export async function startServerOnData(context: BenchContext, options: DataServerOptions): Promise<DataServer> {
  const { dataDir } = options;
  let child: ChildProcess | undefined;
  const onExit = () => child?.kill("SIGKILL");
  process.once("exit", onExit);

  const shutDown = async () => {
    let graceful = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      // SIGTERM lets server.ts close and exit normally, which is when --cpu-prof writes its file.
      child.kill("SIGTERM");
      if (!(await waitForExit(child, 15_000))) {
        graceful = false;
        child.kill("SIGKILL");
        await waitForExit(child, 5_000);
      }
    }
    process.off("exit", onExit);
    return { graceful };
  };
  let stopping: Promise<{ graceful: boolean }> | undefined;
  const stop = () => (stopping ??= shutDown());
  context.onCleanup(async () => void (await stop()));

  try {
    context.signal.throwIfAborted();
    const port = await freePort();
    const env = benchEnv(dataDir, {
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
      RATE_LIMITS: "relaxed",
      HOST: "127.0.0.1",
      PORT: String(port),
      ...options.env,
    });
    const args = [...(options.nodeArgs ?? []), ...serveNodeArgs(context.root), "server.ts"];
    const server = spawn(process.execPath, args, {
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
    context.log(`Starting the production server on ${url}${options.nodeArgs?.length ? ` (node ${options.nodeArgs.join(" ")})` : ""}...`);
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
    warnings = 0;
    slowQueries = 0;

    return {
      url,
      pid: server.pid!,
      dataDir,
      command: `node ${args.join(" ")}`,
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
