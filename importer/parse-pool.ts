// A small pool of worker threads that prepare raw messages (parse-worker.ts)
// while the calling thread writes to the database. Each request is answered
// by a promise; the caller decides the order it consumes them in and how many
// it keeps in flight (importer/mbox-import.ts bounds both).
import path from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { PreparedOutcome, PrepareOptions } from "~/archive/ingest-prepare.server";
import type { ParseReply, ParseRequest } from "./parse-worker.ts";

/**
 * Small heaps: V8 otherwise lets each worker's heap grow to a few hundred MB
 * of garbage, and the import's memory goal (< 400 MB at any size) covers all
 * threads. A smaller young generation than this made the workers spend a
 * quarter of their time collecting. The caller keeps large messages out of
 * the workers, and prepares a message itself if its worker dies.
 */
const WORKER_HEAP = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };

type Waiter = { resolve: (outcome: PreparedOutcome) => void; reject: (error: Error) => void };

class PoolWorker {
  readonly waiting = new Map<number, Waiter>();
  closing = false;
  constructor(readonly worker: Worker) {}
}

export class ParsePool {
  private seq = 0;
  private failure: Error | null = null;

  private constructor(private readonly workers: PoolWorker[]) {
    for (const pw of workers) {
      pw.worker.on("message", (reply: ParseReply) => {
        const waiter = pw.waiting.get(reply.seq);
        if (!waiter) return;
        pw.waiting.delete(reply.seq);
        if ("error" in reply) waiter.reject(new Error(reply.error));
        else waiter.resolve(reply.outcome);
      });
      pw.worker.on("error", (error) => this.fail(pw, error));
      pw.worker.on("exit", (code) => {
        if (!pw.closing) this.fail(pw, new Error(`a parse worker stopped (exit code ${code})`));
      });
    }
  }

  /** Starts `count` workers and waits until each has loaded the parser. */
  static async start(count: number): Promise<ParsePool> {
    // The worker is TypeScript: a small bootstrap loads it through tsx's API
    // (Node 20 does not apply tsx's --import hooks to worker threads).
    const url = pathToFileURL(path.join(import.meta.dirname, "parse-worker.ts")).href;
    const bootstrap = `import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(url)}, ${JSON.stringify(url)}));`;
    const workers = Array.from({ length: count }, () => new Worker(bootstrap, { eval: true, resourceLimits: WORKER_HEAP }));
    const cleanups: Array<() => void> = [];
    try {
      await Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve, reject) => {
              const onExit = (code: number) => reject(new Error(`a parse worker stopped while starting (exit code ${code})`));
              worker.once("message", () => resolve());
              worker.once("error", reject);
              worker.once("exit", onExit);
              cleanups.push(() => {
                worker.off("error", reject);
                worker.off("exit", onExit);
              });
            }),
        ),
      );
    } catch (error) {
      await Promise.all(workers.map((worker) => worker.terminate()));
      throw error;
    }
    // Only our own listeners: Worker keeps internal ones of its own.
    for (const cleanup of cleanups) cleanup();
    return new ParsePool(workers.map((worker) => new PoolWorker(worker)));
  }

  /** Prepares one message on the least busy worker. `raw` is copied, the caller keeps its buffer. */
  prepare(raw: Buffer, options: PrepareOptions): Promise<PreparedOutcome> {
    if (this.failure) return Promise.reject(this.failure);
    let pw = this.workers[0]!;
    for (const candidate of this.workers) if (candidate.waiting.size < pw.waiting.size) pw = candidate;
    const seq = this.seq++;
    // A private copy whose memory moves to the worker (raw may share a pooled buffer).
    const copy = new Uint8Array(raw.length);
    copy.set(raw);
    return new Promise<PreparedOutcome>((resolve, reject) => {
      pw.waiting.set(seq, { resolve, reject });
      pw.worker.postMessage({ seq, raw: copy, options } satisfies ParseRequest, [copy.buffer]);
    });
  }

  async close(): Promise<void> {
    this.failure ??= new Error("the parse pool is closed");
    await Promise.all(
      this.workers.map((pw) => {
        pw.closing = true;
        return pw.worker.terminate();
      }),
    );
  }

  private fail(pw: PoolWorker, error: Error): void {
    this.failure ??= error;
    for (const waiter of pw.waiting.values()) waiter.reject(error);
    pw.waiting.clear();
  }
}
