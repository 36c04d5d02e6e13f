// The work on one raw message that needs no database: MIME parsing, storing
// its attachment files, gzip of the raw bytes, sanitising the HTML part. It
// runs in the importer's parse worker threads (importer/parse-pool.ts) as
// well as in the caller's thread, so it must stay free of database access.
import { gzipSync } from "node:zlib";
import { parseFromLineDate, parseMessage, type ParsedAttachment, type ParsedMessage, type ParseOptions } from "../../importer/parse-message.ts";
import { sanitizeMailHtml } from "~/content/sanitize.server";
import { storeAttachment } from "./attachments-store.server";

/** Where a raw message came from; stored on the message row. */
export type IngestProvenance =
  | { kind: "mbox"; file: string; offset: number; fromLine?: string }
  | { kind: "imap"; mailbox: string; uidValidity: bigint; uid: bigint; internalDate?: Date | null }
  | { kind: "manual"; label?: string };

export type IngestItem = { raw: Buffer; provenance: IngestProvenance };

export type StoredAttachment = Omit<ParsedAttachment, "content" | "skipped"> & { stored: boolean; skipped: string | null };

/** What the database writer needs of a parsed message (no attachment contents, no unsanitised HTML). */
export type PreparedMessage = Omit<ParsedMessage, "attachments" | "html" | "headers">;

export type PrepareOptions = Pick<ParseOptions, "now" | "maxMessageBytes" | "maxHeaderBytes" | "maxParts" | "maxAttachmentBytes" | "fallbackDate">;

/** The outcome of preparing one message, without the message's own bytes. */
export type PreparedOutcome =
  | { kind: "parsed"; message: PreparedMessage; gz: Uint8Array<ArrayBuffer>; htmlBody: string | null; attachments: StoredAttachment[] }
  | { kind: "failed"; reason: string }
  | { kind: "no-archive"; messageId: string };

export function fallbackDateOf(provenance: IngestProvenance): Date | undefined {
  if (provenance.kind === "mbox") return (provenance.fromLine ? parseFromLineDate(provenance.fromLine) : null) ?? undefined;
  if (provenance.kind === "imap") return provenance.internalDate ?? undefined;
  return undefined;
}

/**
 * Parses `raw` and does everything that can happen before the database
 * transaction: attachment files are written here (content-addressed, so a
 * message that later turns out to be a duplicate only reuses them).
 */
export async function prepareOutcome(raw: Buffer, options: PrepareOptions): Promise<PreparedOutcome> {
  const parsed = await parseMessage(raw, options);
  if (!parsed.ok) return { kind: "failed", reason: parsed.reason };
  const { attachments: parsedAttachments, html, headers: _headers, ...message } = parsed.message;
  if (message.noArchive) return { kind: "no-archive", messageId: message.messageId };
  const attachments: StoredAttachment[] = [];
  for (const attachment of parsedAttachments) {
    const { content, skipped, ...meta } = attachment;
    if (content) await storeAttachment(content, attachment.sha256);
    attachments.push({ ...meta, stored: content !== null, skipped: skipped ?? null });
  }
  return {
    kind: "parsed",
    message,
    // zlib output is backed by a plain ArrayBuffer, which is what Prisma's Bytes wants.
    gz: gzipSync(raw) as Uint8Array<ArrayBuffer>,
    htmlBody: html ? sanitizeMailHtml(html) : null,
    attachments,
  };
}

/** A message ready for the database transaction, with its bytes and provenance. */
export type Prepared = (PreparedOutcome & { item: IngestItem }) | { kind: "duplicate"; messageId: string; publicId: string };

export type ParsedPrepared = Extract<Prepared, { kind: "parsed" }>;
