// A parse worker thread of importer/parse-pool.ts: prepares each raw message
// it is sent (MIME parsing, attachment files, gzip, HTML sanitising; see
// app/archive/ingest-prepare.server.ts) and answers with the outcome. It never
// touches the database: the thread that owns the transaction does that.
import { parentPort } from "node:worker_threads";
import { prepareOutcome, type PrepareOptions } from "~/archive/ingest-prepare.server";

export type ParseRequest = { seq: number; raw: Uint8Array; options: PrepareOptions };
export type ParseReply = { seq: number; outcome: Awaited<ReturnType<typeof prepareOutcome>> } | { seq: number; error: string };

const port = parentPort;
if (!port) throw new Error("parse-worker.ts must run in a worker thread");

port.on("message", (request: ParseRequest) => {
  const raw = Buffer.from(request.raw.buffer, request.raw.byteOffset, request.raw.byteLength);
  prepareOutcome(raw, request.options).then(
    (outcome) => port.postMessage({ seq: request.seq, outcome } satisfies ParseReply),
    // Parse problems are outcomes; what lands here (a full disk while storing
    // an attachment, say) stops the import, as it would in one thread.
    (error: unknown) => port.postMessage({ seq: request.seq, error: error instanceof Error ? error.message : String(error) } satisfies ParseReply),
  );
});
port.postMessage("ready");
