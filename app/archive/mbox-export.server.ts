// Threads and months as mbox files (mboxrd flavour), streamed: a month of a
// busy list is hundreds of megabytes, so messages are read from the database
// in small batches while the response is being written.
//
// Each message is its original bytes (addresses masked for visitors who are
// not logged in), preceded by a From_ line and with every body line matching
// /^>*From / escaped by one more ">". Hidden messages and placeholders are
// never exported. The ownership notice comes first as "#" comment lines,
// before the first From_ line; our importer skips such lines.
import { gunzipSync } from "node:zlib";
import { db } from "~/utils/db.server";
import { maskBinaryString, maskRawMessage } from "./mask";
import { ownershipPreamble } from "./ownership";
import { downloadCacheHeaders, noticeHeader } from "./read-download.server";
import type { ListRow, Viewer } from "./read.server";

const BATCH = 50;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** asctime(3) in UTC: "Wed Feb  9 22:02:00 2000". */
export function asctime(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return (
    `${WEEKDAYS[date.getUTCDay()]} ${MONTHS[date.getUTCMonth()]} ${String(date.getUTCDate()).padStart(2, " ")} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${date.getUTCFullYear()}`
  );
}

export function fromLine(address: string | null, date: Date): string {
  const sender = address && /^[^\s@]+@[^\s@]+$/.test(address) ? address : "MAILER-DAEMON";
  return `From ${sender} ${asctime(date)}\n`;
}

/** mboxrd: one more ">" on every line that starts with zero or more ">" and "From ". Works on a latin1 view. */
export function escapeMboxrd(text: string): string {
  return text.replace(/(^|\n)(>*From )/g, "$1>$2");
}

export type MboxMessage = { raw: Buffer; fromAddress: string | null; date: Date };
export type MboxOptions = { mask: boolean; keep?: (string | null)[] };

/** One mbox entry: From_ line, escaped message, blank line. */
export function mboxEntry(message: MboxMessage, options: MboxOptions): Buffer {
  const bytes = options.mask ? maskRawMessage(message.raw, { keep: options.keep }) : message.raw;
  let text = escapeMboxrd(bytes.toString("latin1"));
  if (!text.endsWith("\n")) text += "\n";
  const address = message.fromAddress && options.mask ? maskBinaryString(message.fromAddress, { keep: options.keep }) : message.fromAddress;
  return Buffer.concat([Buffer.from(fromLine(address, message.date), "latin1"), Buffer.from(`${text}\n`, "latin1")]);
}

/** The notice (and, for visitors, a word on masking) as comment lines. */
export function mboxPreamble(list: ListRow, masked: boolean): Buffer {
  const masking = masked ? "# Email addresses are masked. Log in to download the original messages.\n" : "";
  return Buffer.from(`${ownershipPreamble(list)}${masking}`, "utf8");
}

type Where = { listId?: number; threadId?: number; date?: { gte: Date; lt: Date } };

/**
 * An mbox as a stream: `preamble` first, then the messages whose row ids
 * `ids()` gives, in that order, read in small batches as the client reads.
 * Rows hidden or deleted since the ids were read are skipped. `optionsFor`
 * says how to mask each message (by its list).
 */
export function mboxEntriesStream(
  preamble: Buffer,
  ids: () => Promise<number[]>,
  optionsFor: (row: { listId: number }) => MboxOptions,
): ReadableStream<Uint8Array> {
  let pending: number[] | null = null;
  let next = 0;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (pending === null) {
          pending = await ids();
          controller.enqueue(preamble);
          return;
        }
        // Keep reading until something is written: a pull that enqueues nothing may never be called again.
        for (;;) {
          if (next >= pending.length) {
            controller.close();
            return;
          }
          const batch = pending.slice(next, next + BATCH);
          next += BATCH;
          const rows = await db.mailMessage.findMany({
            where: { id: { in: batch }, hiddenAt: null },
            select: { id: true, listId: true, fromAddress: true, date: true, fetchedAt: true, raw: { select: { gz: true } } },
          });
          const byId = new Map(rows.map((row) => [row.id, row]));
          const chunks: Buffer[] = [];
          for (const id of batch) {
            const row = byId.get(id);
            if (!row?.raw) continue; // hidden or deleted since the export started
            chunks.push(mboxEntry({ raw: gunzipSync(row.raw.gz), fromAddress: row.fromAddress, date: row.date ?? row.fetchedAt }, optionsFor(row)));
          }
          if (chunks.length) {
            controller.enqueue(Buffer.concat(chunks));
            return;
          }
        }
      } catch (error) {
        controller.error(error);
      }
    },
  });
}

/** The whole mbox of a list as a stream; `where` narrows to a thread or a month. */
export function mboxStream(list: ListRow, where: Where, viewer: Viewer): ReadableStream<Uint8Array> {
  const options: MboxOptions = { mask: !viewer.seeAddresses, keep: [list.listAddress] };
  const ids = async () => {
    const rows = await db.mailMessage.findMany({
      where: { ...where, listId: list.id, kind: "message", hiddenAt: null, raw: { isNot: null } },
      orderBy: [{ date: "asc" }, { id: "asc" }],
      select: { id: true },
    });
    return rows.map((row) => row.id);
  };
  return mboxEntriesStream(mboxPreamble(list, options.mask), ids, () => options);
}

export function mboxResponse(list: ListRow, where: Where, viewer: Viewer, filename: string): Response {
  return new Response(mboxStream(list, where, viewer), {
    headers: {
      "Content-Type": "application/mbox",
      "Content-Disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "X-Content-Type-Options": "nosniff",
      "X-Archive-Notice": noticeHeader(list),
      ...downloadCacheHeaders(viewer),
    },
  });
}
