// Turns one raw RFC 5322 message into the normalised record the archive
// stores. Never throws: archives are full of broken mail, and one bad message
// must become an import failure row, not a crashed import run.

import { createHash } from "node:crypto";
import { simpleParser, type ParsedMail } from "mailparser";
import { normalizeSubject } from "./base-subject.ts";
import { isBlank } from "./bytes.ts";
import { allValues, firstValue, readHeaderBlock, type HeaderField } from "./header-block.ts";
import { parseMailDate } from "./mail-date.ts";
import { extractMessageIds, isSingleBracketedId, parseMessageIdHeader, syntheticMessageId } from "./message-id.ts";
import { countMimeParts } from "./mime-limits.ts";
import { toAttachments, type ParsedAttachment } from "./parsed-attachments.ts";
import { htmlToText, parseFrom } from "./parsed-parts.ts";

export { parseFromLineDate } from "./mail-date.ts";
export type { ParsedAttachment } from "./parsed-attachments.ts";

export interface ParseOptions {
  /** Used when the Date header is missing or implausible: From_ line date, IMAP INTERNALDATE. */
  fallbackDate?: Date;
  /** "Now" for the future-date check; defaults to the real clock. */
  now?: Date;
  maxMessageBytes?: number;
  maxHeaderBytes?: number;
  maxParts?: number;
  maxAttachmentBytes?: number;
  /** Headers copied verbatim (unfolded) into `headers`, lower-case names. */
  headerAllowList?: readonly string[];
}

export interface ParsedMessage {
  messageId: string;
  messageIdSynthetic: boolean;
  /** Other ids the archive may hold this message under (synthetic ids only, see syntheticMessageId). */
  messageIdAliases: string[];
  inReplyTo: string | null;
  /** False when In-Reply-To held more than one bare id (prose, comments, trailers). */
  inReplyToTrusted: boolean;
  references: string[];
  subject: string;
  normalizedSubject: string;
  fromName: string;
  fromAddress: string | null;
  date: Date;
  dateFallback: boolean;
  text: string;
  html: string | null;
  attachments: ParsedAttachment[];
  listId: string | null;
  noArchive: boolean;
  archivedAt: string | null;
  headers: Record<string, string[]>;
  /** sha256 of the raw bytes, hex: stable identity for duplicate detection. */
  sha256: string;
  /** sha256 of the message with its other line endings (synthetic ids only): tombstones match these too. */
  sha256Aliases: string[];
  size: number;
}

export type ParseResult = { ok: true; message: ParsedMessage } | { ok: false; reason: string };

export const DEFAULT_HEADER_ALLOW_LIST = [
  "list-id", "list-post", "list-archive", "list-help", "list-subscribe", "list-unsubscribe",
  "list-owner", "archived-at", "x-mailing-list", "mailing-list", "x-no-archive", "archive",
  "precedence", "x-mailer", "user-agent", "organization", "mime-version", "content-type",
] as const;

const MB = 1024 * 1024;
const EARLIEST_PLAUSIBLE = Date.UTC(1980, 0, 1);
const FUTURE_SLACK_MS = 2 * 24 * 60 * 60 * 1000;

function formatBytes(bytes: number): string {
  return bytes % MB === 0 ? `${bytes / MB} MB` : `${Math.round(bytes / 1024)} KB`;
}

// A leading mbox From_ line (Maildir files written by some MDAs keep it) is
// not a header and would confuse the header parser.
function stripFromLine(raw: Buffer): Buffer {
  if (raw.subarray(0, 5).toString("latin1") !== "From ") return raw;
  const nl = raw.indexOf(0x0a);
  return nl === -1 ? Buffer.alloc(0) : raw.subarray(nl + 1);
}

function pickDate(fields: HeaderField[], options: ParseOptions): { date: Date; fallback: boolean } {
  const now = (options.now ?? new Date()).getTime();
  const parsed = parseMailDate(firstValue(fields, "date"));
  const t = parsed?.getTime();
  if (parsed && t !== undefined && t >= EARLIEST_PLAUSIBLE && t <= now + FUTURE_SLACK_MS) {
    return { date: parsed, fallback: false };
  }
  return { date: options.fallbackDate ?? new Date(now), fallback: true };
}

function pickHeaders(fields: HeaderField[], allow: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const name of allow) {
    const values = allValues(fields, name);
    if (values.length > 0) out[name] = values;
  }
  return out;
}

// List-Id and Archived-At put their value in angle brackets after an optional phrase.
function unbracket(value: string | null): string | null {
  if (!value) return null;
  const bracketed = /<([^<>]+)>/.exec(value);
  const id = (bracketed?.[1] ?? value).trim();
  return id === "" ? null : id;
}

function checkLimits(raw: Buffer, o: Required<Pick<ParseOptions, "maxMessageBytes" | "maxParts">>): string | null {
  if (raw.length > o.maxMessageBytes) return `message is larger than ${formatBytes(o.maxMessageBytes)}`;
  if (isBlank(raw)) return "message is empty";
  if (countMimeParts(raw, o.maxParts) > o.maxParts) return `too many MIME parts (over ${o.maxParts})`;
  return null;
}

async function parseChecked(raw: Buffer, options: ParseOptions): Promise<ParseResult> {
  const maxHeaderBytes = options.maxHeaderBytes ?? 256 * 1024;
  const limitError = checkLimits(raw, {
    maxMessageBytes: options.maxMessageBytes ?? 25 * MB,
    maxParts: options.maxParts ?? 500,
  });
  if (limitError) return { ok: false, reason: limitError };
  const block = readHeaderBlock(raw, maxHeaderBytes);
  if (!block) return { ok: false, reason: `headers are larger than ${formatBytes(maxHeaderBytes)}` };
  // A message may have no headers at all (it then starts with the blank line),
  // but a header block of lines that are not fields is not mail.
  const emptyHeaderBlock = block.length <= 2 && !block.unterminated;
  if (block.fields.length === 0 && !emptyHeaderBlock) return { ok: false, reason: "headers could not be parsed" };

  let mail: ParsedMail;
  try {
    mail = await simpleParser(raw, {
      keepCidLinks: true, // cid: links are rewritten to attachment URLs at render time
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      maxHtmlLengthToParse: 5 * MB,
    });
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message.slice(0, 120)}` : "";
    return { ok: false, reason: `MIME structure could not be parsed${detail}` };
  }

  const { fields } = block;
  const ownId = parseMessageIdHeader(firstValue(fields, "message-id"));
  const synthetic = ownId === null ? syntheticMessageId(raw) : null;
  const sha256 = synthetic?.sha256 ?? createHash("sha256").update(raw).digest("hex");
  const messageId = ownId ?? synthetic!.messageId;
  const inReplyToHeader = firstValue(fields, "in-reply-to");
  const inReplyTo = extractMessageIds(inReplyToHeader).find((id) => id !== messageId) ?? null;
  const references = [...new Set(allValues(fields, "references").flatMap((v) => extractMessageIds(v)))]
    .filter((id) => id !== messageId);
  const subject = (mail.subject ?? "").trim();
  const html = typeof mail.html === "string" && mail.html.trim() !== "" ? mail.html : null;
  let text = mail.text ?? "";
  if (text.trim() === "" && html) text = await htmlToText(html);
  const { date, fallback } = pickDate(fields, options);
  const from = parseFrom(firstValue(fields, "from"), mail.from);

  return {
    ok: true,
    message: {
      messageId,
      messageIdSynthetic: ownId === null,
      messageIdAliases: synthetic?.aliases ?? [],
      inReplyTo,
      inReplyToTrusted: inReplyTo !== null && isSingleBracketedId(inReplyToHeader),
      references,
      subject,
      normalizedSubject: normalizeSubject(subject),
      fromName: from.name,
      fromAddress: from.address,
      date,
      dateFallback: fallback,
      text,
      html,
      attachments: toAttachments(mail.attachments, options.maxAttachmentBytes ?? 10 * MB),
      listId: unbracket(firstValue(fields, "list-id")),
      noArchive: /^yes\b/i.test(firstValue(fields, "x-no-archive") ?? "") ||
        /^no\b/i.test(firstValue(fields, "archive") ?? ""),
      archivedAt: unbracket(firstValue(fields, "archived-at")),
      headers: pickHeaders(fields, options.headerAllowList ?? DEFAULT_HEADER_ALLOW_LIST),
      sha256,
      sha256Aliases: synthetic?.sha256Aliases ?? [],
      size: raw.length,
    },
  };
}

export async function parseMessage(raw: Buffer, options: ParseOptions = {}): Promise<ParseResult> {
  try {
    if (!Buffer.isBuffer(raw)) return { ok: false, reason: "message is not a byte buffer" };
    return await parseChecked(stripFromLine(raw), options);
  } catch (error) {
    // Last line of defence: a bug or a parser edge case must not stop an import.
    const detail = error instanceof Error ? `: ${error.message.slice(0, 120)}` : "";
    return { ok: false, reason: `message could not be parsed${detail}` };
  }
}
