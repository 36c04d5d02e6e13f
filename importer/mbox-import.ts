// Imports an mbox file (mboxo, mboxrd, optionally gzip-compressed) into a
// list. Streams the file: memory stays bounded by the largest message, so a
// multi-gigabyte archive is fine.
//
// Idempotent and kill-safe: each message is committed whole or not at all
// (ingest.server.ts) and known Message-IDs are skipped as duplicates, so
// running the same import again after a crash or a kill -9 completes it
// without losing or duplicating anything.
import fs from "node:fs";
import { describeProvenance, ingestBatch, mboxSourceName, type ArchiveListRef, type IngestItem } from "~/archive/ingest.server";
import { addCounters, finishImportRun, oversizeReason, recordImportFailure, startImportRun, tallyResults, zeroCounters, type RunCounters } from "~/archive/ingest-runs.server";
import { db } from "~/utils/db.server";
import { openBytes } from "./byte-source.ts";
import { readMbox, type MboxFormat } from "./mbox-reader.ts";

export interface MboxProgress {
  messages: number;
  bytesRead: number;
  totalBytes: number;
  counters: RunCounters;
}

export interface MboxImportOptions {
  format?: MboxFormat;
  maxMessageBytes?: number;
  /** Messages per database transaction (default 25). */
  messagesPerTransaction?: number;
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

/**
 * Imports `file` into `list`, recording an ImportRun. Throws only for a file
 * that cannot be opened at all (the CLI reports that); problems met while
 * reading fail the run, problems with single messages become ImportFailure rows.
 */
export async function importMbox(list: ArchiveListRef, file: string, options: MboxImportOptions = {}): Promise<MboxImportResult> {
  const stat = await fs.promises.stat(file);
  if (!stat.isFile()) throw new Error(`${file} is not a file`);
  await fs.promises.access(file, fs.constants.R_OK);
  const sourceName = mboxSourceName(file);
  const run = await startImportRun(list.id, "mbox", `mbox:${sourceName}`);
  const counters = zeroCounters();
  const counter = { bytes: 0 };
  const maxMessageBytes = options.maxMessageBytes ?? 25 * MB;
  let format: MboxFormat = options.format ?? "auto";
  let pending: IngestItem[] = [];
  const report = () => options.onProgress?.({ messages: counters.fetched, bytesRead: counter.bytes, totalBytes: stat.size, counters: { ...counters } });

  const flush = async () => {
    if (pending.length === 0) return;
    const results = await ingestBatch(list, pending, {
      runId: run.id,
      messagesPerTransaction: options.messagesPerTransaction,
      parse: { maxMessageBytes },
    });
    tallyResults(counters, results);
    pending = [];
    report();
  };

  const recordEntryFailure = async (reason: string, source: string, size: number, raw: Buffer | null) => {
    await db.$transaction(async (tx) => {
      await recordImportFailure(tx, { listId: list.id, runId: run.id, reason, raw, size, source });
      await tx.importRun.update({ where: { id: run.id }, data: { fetched: { increment: 1 }, failed: { increment: 1 } } });
    });
    addCounters(counters, { fetched: 1, created: 0, duplicates: 0, failed: 1, skipped: 0 });
  };

  try {
    format = await effectiveFormat(file, format);
    let first = true;
    for await (const entry of readMbox(countedChunks(file, counter), { format, maxMessageBytes })) {
      if (options.signal?.aborted) throw new Error("stopped before the end of the file");
      const leading = first && entry.fromLine === "" && entry.offset === 0;
      first = false;
      const source = `mbox:${sourceName}@${entry.offset}`;
      if (leading) {
        // Text before the first From_ line: our own downloads start with a
        // "#" ownership preamble, anything else is not an mbox message.
        if (!entry.oversize && isCommentPreamble(entry.raw.toString("latin1"))) continue;
        await flush();
        await recordEntryFailure("text before the first message", source, entry.oversize ? entry.size : entry.raw.length, entry.oversize ? null : entry.raw);
        continue;
      }
      if (entry.oversize) {
        await flush();
        await recordEntryFailure(oversizeReason(maxMessageBytes), source, entry.size, null);
        continue;
      }
      pending.push({ raw: entry.raw, provenance: { kind: "mbox", file: sourceName, offset: entry.offset, fromLine: entry.fromLine } });
      if (pending.length >= (options.messagesPerTransaction ?? 25)) await flush();
    }
    await flush();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const where = pending[0] ? ` (near ${describeProvenance(pending[0].provenance)})` : "";
    await finishImportRun(run.id, "failed", `${message}${where}`);
    return { status: "failed", runId: run.id, counters, error: message };
  }
  await finishImportRun(run.id, "succeeded");
  report();
  return { status: "succeeded", runId: run.id, counters, error: null };
}
