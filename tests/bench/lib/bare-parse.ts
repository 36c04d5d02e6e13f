// The importer benchmark's yardstick: how fast mailparser alone gets through
// an mbox with N worker threads. The main thread splits the file with the
// importer's own readMbox and hands messages round-robin to the workers,
// keeping at most `inFlight` unanswered messages per worker (a bounded queue,
// so memory stays flat whatever the file size).
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { readMbox } from "../../../importer/mbox-reader.ts";

export type BareParseResult = { messages: number; parsed: number; seconds: number; perSecond: number; peakRssKiB: number };

export async function bareParse(file: string, options: { workers?: number; inFlight?: number; signal?: AbortSignal } = {}): Promise<BareParseResult> {
  const count = options.workers ?? 2;
  const inFlight = options.inFlight ?? 32;
  const script = path.join(import.meta.dirname, "bare-parse-worker.ts");
  // The worker is TypeScript: a small bootstrap loads it through tsx's API
  // (Node 20 does not apply tsx's --import hooks to worker threads).
  const url = pathToFileURL(script).href;
  const bootstrap = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)}));`;
  const workers = Array.from({ length: count }, () => new Worker(bootstrap, { eval: true }));
  const pending = workers.map(() => 0);
  const waiting: Array<(() => void) | null> = workers.map(() => null);
  let parsed = 0;
  let failed: Error | null = null;
  let peakRssKiB = 0;
  const sampler = setInterval(() => (peakRssKiB = Math.max(peakRssKiB, process.memoryUsage.rss() / 1024)), 250);
  const ready = workers.map((worker) => new Promise<void>((resolve) => worker.once("message", () => resolve())));
  await Promise.all(ready);
  workers.forEach((worker, index) => {
    worker.on("message", (ok: number) => {
      parsed += ok;
      pending[index]! -= 1;
      const wake = waiting[index];
      waiting[index] = null;
      wake?.();
    });
    worker.on("error", (error) => {
      failed = error;
      waiting[index]?.();
    });
  });
  const started = performance.now();
  let messages = 0;
  try {
    for await (const entry of readMbox(file)) {
      options.signal?.throwIfAborted();
      if (failed) throw failed;
      if (entry.oversize) continue;
      const index = messages % count;
      messages += 1;
      while (pending[index]! >= inFlight) await new Promise<void>((resolve) => (waiting[index] = resolve));
      if (failed) throw failed;
      // A private copy whose memory moves to the worker (raw may share a pooled buffer).
      const copy = new Uint8Array(entry.raw.length);
      copy.set(entry.raw);
      pending[index]! += 1;
      workers[index]!.postMessage(copy, [copy.buffer]);
    }
    while (pending.some((n) => n > 0)) {
      if (failed) throw failed;
      await new Promise<void>((resolve) => {
        const index = pending.findIndex((n) => n > 0);
        waiting[index] = resolve;
      });
    }
    const seconds = (performance.now() - started) / 1000;
    peakRssKiB = Math.max(peakRssKiB, process.memoryUsage.rss() / 1024);
    return { messages, parsed, seconds, perSecond: messages / seconds, peakRssKiB };
  } finally {
    clearInterval(sampler);
    await Promise.all(workers.map((worker) => worker.terminate()));
  }
}
