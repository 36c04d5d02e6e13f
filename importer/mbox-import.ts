// Imports an mbox file (mboxo, mboxrd, optionally gzip-compressed) into a
// list. Streams the file: memory stays bounded by the largest message and the
// bounded read-ahead below, so a multi-gigabyte archive is fine.
//
// Idempotent and kill-safe: each transaction commits whole batches of
// messages or nothing (ingest.server.ts) and known Message-IDs are skipped as
// duplicates, so running the same import again after a crash or a kill -9
// completes it without losing or duplicating anything.
//
// Pipelined: this thread reads the file and, on machines with CPUs to spare
// (defaultParseWorkers), hands messages to parse worker threads
// (parse-pool.ts); results are consumed in file order and written in
// batches of `messagesPerTransaction` while the workers parse the next ones.
import fs from "node:fs";
import os from "node:os";
import {
  commitPreparedBatch,
  describeProvenance,
  mboxSourceName,
  type ArchiveListRef,
  type IngestItem,
  type Prepared,
  type PreparedOutcome,
} from "~/archive/ingest.server";
import { fallbackDateOf, prepareOutcome } from "~/archive/ingest-prepare.server";
import { addCounters, finishImportRun, oversizeReason, recordImportFailure, startImportRun, tallyResults, zeroCounters, type RunCounters } from "~/archive/ingest-runs.server";
import { db } from "~/utils/db.server";
import { openBytes } from "./byte-source.ts";
import { readMbox, type MboxFormat } from "./mbox-reader.ts";
import { collectIfOver } from "./memory-ceiling.ts";
import { ParsePool } from "./parse-pool.ts";

export interface MboxProgress {
  messages: number;
  bytesRead: number;
  totalBytes: number;
  counters: RunCounters;
}

export interface MboxImportOptions {
  format?: MboxFormat;
  maxMessageBytes?: number;
  /**
   * Messages per database transaction (default 250). Each transaction holds
   * the database's write lock while it runs (some 0.1-0.2 s at 250), which is
   * what other writers, the web server's included, wait for. The CLI takes
   * it from IMPORT_MESSAGES_PER_TRANSACTION.
   */
  messagesPerTransaction?: number;
  /**
   * Worker threads that parse (default: defaultParseWorkers). The CLI takes
   * it from IMPORT_PARSE_WORKERS.
   */
  parseWorkers?: number;
  onProgress?: (progress: MboxProgress) => void;
  signal?: AbortSignal;
}

export type MboxImportResult = {
  status: "succeeded" | "failed";
  runId: number;
  counters: RunCounters;
  error: string | null;
};

const MB = 1024 * 1024;
const DEFAULT_BATCH = 250;
/** A batch is also written once its raw messages add up to this much. */
const MAX_BATCH_BYTES = 32 * MB;
/** Read-ahead beyond the batch being written: enough to keep the workers busy during a commit, bounded for memory. */
const MAX_AHEAD_MESSAGES = 256;
const MAX_AHEAD_BYTES = 32 * MB;
/**
 * Resident memory above which a full garbage collection runs between batches
 * (memory-ceiling.ts): the goal is < 400 MB for the whole process at any mbox
 * size, and a batch can add some tens of MB before the next check.
 */
const MEMORY_BUDGET = 300 * MB;
/** Larger messages are parsed in this thread: the workers run with small heaps (parse-pool.ts). */
const MAX_WORKER_MESSAGE_BYTES = 2 * MB;

/**
 * Parse worker threads for a file of this size: one per CPU beyond two, at
 * most two, and none for files under 1 MB (starting them costs more than they
 * save). The importing thread and the search indexer, which `npm start` and
 * `npm run worker` run alongside an import, each keep a CPU busy, and a
 * worker spends about twice the CPU per message that parsing in the importing
 * thread does (each message and its result copied between threads, a small
 * heap of its own): on two CPUs, workers made a 200,000-message import no
 * faster and delayed search (docs/BENCHMARKS.md, importer).
 */
export function defaultParseWorkers(fileBytes: number, cpus = os.availableParallelism()): number {
  if (fileBytes < MB) return 0;
  return Math.max(0, Math.min(2, cpus - 2));
}

/** True when the text holds only blank lines and "#" comment lines (our own download preamble). */
export function isCommentPreamble(text: string): boolean {
  return text.split(/\r?\n/).every((line) => line.trim() === "" || line.startsWith("#"));
}

/**
 * "auto" reads mboxo, except for files that start with a "#" preamble: those
 * are Threadline's own downloads, which are written as mboxrd.
 */
export async function effectiveFormat(file: string, format: MboxFormat): Promise<MboxFormat> {
  if (format !== "auto") return format;
  for await (const chunk of openBytes(file)) {
    if (chunk.length === 0) continue;
    return chunk[0] === 0x23 /* # */ ? "mboxrd" : "auto";
  }
  return "auto";
}

async function* countedChunks(file: string, counter: { bytes: number }): AsyncGenerator<Buffer> {
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 256 * 1024 })) {
    counter.bytes += (chunk as Buffer).length;
    yield chunk as Buffer;
  }
}

/** A tuning knob from the environment (the CLI passes none of its own): a whole number, or undefined. */
function envCount(name: string): number | undefined {
  const value = process.env[name];
  if (value === undefined || value.trim() === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, not "${value}"`);
  return n;
}

type Slot =
  | { kind: "message"; item: IngestItem; outcome: () => Promise<PreparedOutcome> }
  | { kind: "entry-failure"; reason: string; source: string; size: number; raw: Buffer | null };

/**
 * Imports `file` into `list`, recording an ImportRun. Throws only for a file
 * that cannot be opened at all (the CLI reports that); problems met while
 * reading fail the run, problems with single messages become ImportFailure rows.
 */
export async function importMbox(list: ArchiveListRef, file: string, options: MboxImportOptions = {}): Promise<MboxImportResult> {
  const stat = await fs.promises.stat(file);
  if (!stat.isFile()) throw new Error(`${file} is not a file`);
  await fs.promises.access(file, fs.constants.R_OK);
  const batchSize = Math.max(1, options.messagesPerTransaction ?? envCount("IMPORT_MESSAGES_PER_TRANSACTION") ?? DEFAULT_BATCH);
  const workers = options.parseWorkers ?? envCount("IMPORT_PARSE_WORKERS") ?? defaultParseWorkers(stat.size);
  const sourceName = mboxSourceName(file);
  const run = await startImportRun(list.id, "mbox", `mbox:${sourceName}`);
  const counters = zeroCounters();
  const counter = { bytes: 0 };
  const maxMessageBytes = options.maxMessageBytes ?? 25 * MB;
  let format: MboxFormat = options.format ?? "auto";
  let pending: Array<{ item: IngestItem; prepared: Prepared }> = [];
  let pendingBytes = 0;
  const report = () => options.onProgress?.({ messages: counters.fetched, bytesRead: counter.bytes, totalBytes: stat.size, counters: { ...counters } });

  const flush = async () => {
    if (pending.length === 0) return;
    const results = await commitPreparedBatch(
      list,
      pending.map((p) => p.item),
      pending.map((p) => p.prepared),
      { runId: run.id },
    );
    tallyResults(counters, results);
    pending = [];
    pendingBytes = 0;
    collectIfOver(MEMORY_BUDGET);
    report();
  };

  const recordEntryFailure = async (slot: Extract<Slot, { kind: "entry-failure" }>) => {
    await db.$transaction(async (tx) => {
      await recordImportFailure(tx, { listId: list.id, runId: run.id, reason: slot.reason, raw: slot.raw, size: slot.size, source: slot.source });
      await tx.importRun.update({ where: { id: run.id }, data: { fetched: { increment: 1 }, failed: { increment: 1 } } });
    });
    addCounters(counters, { fetched: 1, created: 0, duplicates: 0, failed: 1, skipped: 0 });
  };

  // The read-ahead queue between the reader (producer) and the writer (consumer).
  const queue: Slot[] = [];
  let queuedBytes = 0;
  let readerDone = false;
  let stopped: Error | null = null;
  let wakeWriter: (() => void) | null = null;
  let wakeReader: (() => void) | null = null;
  const wake = (which: "reader" | "writer") => {
    const resolve = which === "reader" ? wakeReader : wakeWriter;
    if (which === "reader") wakeReader = null;
    else wakeWriter = null;
    resolve?.();
  };
  const pool = workers > 0 ? await ParsePool.start(workers).catch(async (error) => {
    await finishImportRun(run.id, "failed", error instanceof Error ? error.message : String(error));
    throw error;
  }) : null;

  const enqueue = async (slot: Slot, bytes: number) => {
    queue.push(slot);
    queuedBytes += bytes;
    wake("writer");
    while (!stopped && (queue.length >= MAX_AHEAD_MESSAGES || queuedBytes >= MAX_AHEAD_BYTES)) {
      await new Promise<void>((resolve) => (wakeReader = resolve));
    }
  };

  const read = async () => {
    try {
      format = await effectiveFormat(file, format);
      let first = true;
      for await (const entry of readMbox(countedChunks(file, counter), { format, maxMessageBytes })) {
        if (stopped) return;
        if (options.signal?.aborted) throw new Error("stopped before the end of the file");
        const leading = first && entry.fromLine === "" && entry.offset === 0;
        first = false;
        const source = `mbox:${sourceName}@${entry.offset}`;
        if (leading) {
          // Text before the first From_ line: our own downloads start with a
          // "#" ownership preamble, anything else is not an mbox message.
          if (!entry.oversize && isCommentPreamble(entry.raw.toString("latin1"))) continue;
          const raw = entry.oversize ? null : entry.raw;
          const size = entry.oversize ? entry.size : entry.raw.length;
          await enqueue({ kind: "entry-failure", reason: "text before the first message", source, size, raw }, raw ? size : 0);
          continue;
        }
        if (entry.oversize) {
          await enqueue({ kind: "entry-failure", reason: oversizeReason(maxMessageBytes), source, size: entry.size, raw: null }, 0);
          continue;
        }
        const item: IngestItem = { raw: entry.raw, provenance: { kind: "mbox", file: sourceName, offset: entry.offset, fromLine: entry.fromLine } };
        const parse = { maxMessageBytes, fallbackDate: fallbackDateOf(item.provenance) };
        let outcome: () => Promise<PreparedOutcome>;
        if (pool && entry.raw.length <= MAX_WORKER_MESSAGE_BYTES) {
          const raw = entry.raw;
          const promise = pool.prepare(raw, parse);
          promise.catch(() => {}); // handled when the writer reaches it
          // A worker that died (out of memory on a hostile message, say) must
          // not stop the import: the message is prepared here instead, where
          // a real problem (a full disk) shows up again and does stop it.
          outcome = () => promise.catch(() => prepareOutcome(raw, parse));
        } else {
          outcome = () => prepareOutcome(entry.raw, parse);
        }
        await enqueue({ kind: "message", item, outcome }, entry.raw.length);
      }
    } catch (error) {
      stopped ??= error instanceof Error ? error : new Error(String(error));
    } finally {
      readerDone = true;
      wake("writer");
    }
  };

  const write = async () => {
    for (;;) {
      if (stopped) throw stopped;
      const slot = queue.shift();
      if (!slot) {
        if (readerDone) break;
        await new Promise<void>((resolve) => (wakeWriter = resolve));
        continue;
      }
      if (slot.kind === "entry-failure") {
        queuedBytes -= slot.raw ? slot.size : 0;
        wake("reader");
        await flush();
        await recordEntryFailure(slot);
        continue;
      }
      queuedBytes -= slot.item.raw.length;
      wake("reader");
      const outcome = await slot.outcome();
      pending.push({ item: slot.item, prepared: { ...outcome, item: slot.item } });
      pendingBytes += slot.item.raw.length;
      if (pending.length >= batchSize || pendingBytes >= MAX_BATCH_BYTES) await flush();
    }
    await flush();
  };

  try {
    const reading = read();
    try {
      await write();
    } catch (error) {
      stopped ??= error instanceof Error ? error : new Error(String(error));
      wake("reader");
    }
    await reading;
    if (stopped) throw stopped;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const where = pending[0] ? ` (near ${describeProvenance(pending[0].item.provenance)})` : "";
    await finishImportRun(run.id, "failed", `${message}${where}`);
    return { status: "failed", runId: run.id, counters, error: message };
  } finally {
    await pool?.close();
  }
  await finishImportRun(run.id, "succeeded");
  report();
  return { status: "succeeded", runId: run.id, counters, error: null };
}
