// Message-ID extraction for Message-ID, In-Reply-To and References headers.
//
// Real headers carry comments ("<a@b> (garbage)"), prose ("Your message of
// ... <a@b>"), Outlook-style trailers ("<a@b>; from x on ..."), unbracketed
// ids and broken tokens. We only ever return ids that are safe to use as keys.
// Messages without a usable Message-ID get a synthetic one (syntheticMessageId).

import { createHash } from "node:crypto";

const MAX_ID_LENGTH = 998;

/** True when `id` (without angle brackets) is usable as a Message-ID key. */
export function isValidMessageId(id: string): boolean {
  return id.length > 0 && id.length <= MAX_ID_LENGTH && !/[\s<>\u0000-\u001f\u007f]/.test(id);
}

/**
 * All valid bracketed ids in a header value, in order. RFC 5322 comments are
 * skipped so "(see <x@y>)" is not read as a reference. When the value holds no
 * bracketed token at all, bare whitespace-separated "local@domain" tokens are
 * accepted: some old clients never used brackets.
 */
export function extractMessageIds(value: string | null | undefined): string[] {
  if (!value) return [];
  const ids: string[] = [];
  let outside = "";
  let depth = 0;
  let current: string | null = null;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (current !== null) {
      if (ch === ">") {
        const id = current.trim();
        if (isValidMessageId(id)) ids.push(id);
        current = null;
      } else if (ch === "<") {
        current = ""; // an unclosed "<" before this one was junk
      } else {
        current += ch;
      }
    } else if (depth > 0) {
      if (ch === "\\") i++;
      else if (ch === "(") depth++;
      else if (ch === ")") depth--;
    } else if (ch === "(") {
      depth = 1;
    } else if (ch === "<") {
      current = "";
    } else {
      outside += ch;
    }
  }
  if (ids.length > 0) return ids;
  return outside
    .split(/[\s,]+/)
    .filter((token) => /^[^@"';]+@[^@"';]+$/.test(token) && isValidMessageId(token));
}

/** The Message-ID in a Message-ID header value, or null when missing or broken. */
export function parseMessageIdHeader(value: string | null | undefined): string | null {
  return extractMessageIds(value)[0] ?? null;
}

/**
 * True when an In-Reply-To value is exactly one bracketed id and nothing else.
 * Only such values are trusted over References (see threading.ts): prose or
 * trailers usually come from clients that also write a better References.
 */
export function isSingleBracketedId(value: string | null | undefined): boolean {
  if (!value) return false;
  const m = /^\s*<([^<>]*)>\s*$/.exec(value);
  return m !== null && isValidMessageId((m[1] ?? "").trim());
}

/** A synthetic Message-ID and what older archives may know the same message by. */
export interface SyntheticMessageId {
  messageId: string;
  /** Ids archives may already hold for this message (see syntheticMessageId), never `messageId` itself. */
  aliases: string[];
  /** sha256 (hex) of the bytes as given. */
  sha256: string;
  /** sha256 of the message's other line-ending forms, for tombstones made from another source. */
  sha256Aliases: string[];
}

const sha256Hex = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
const idOf = (sha256: string) => `synthetic.${sha256.slice(0, 32)}@threadline.invalid`;

// latin1 keeps every byte as one character, so these change line endings only.
function withLf(raw: Buffer): Buffer {
  return raw.includes("\r\n") ? Buffer.from(raw.toString("latin1").replace(/\r\n/g, "\n"), "latin1") : raw;
}

function withCrlf(lf: Buffer): Buffer {
  return lf.includes(0x0a) ? Buffer.from(lf.toString("latin1").replace(/\n/g, "\r\n"), "latin1") : lf;
}

/** sha256 (hex) of a message's bytes as given, and of its LF and CRLF forms. */
export interface LineEndingHashes {
  sha256: string;
  lfSha256: string;
  crlfSha256: string;
}

/**
 * The same message arrives with CRLF line endings over IMAP and usually with
 * LF from an mbox file: what identifies it by content must accept both forms.
 */
export function lineEndingHashes(raw: Buffer): LineEndingHashes {
  const lf = withLf(raw);
  const lfSha256 = sha256Hex(lf);
  const sha256 = lf === raw ? lfSha256 : sha256Hex(raw);
  const crlf = withCrlf(lf);
  const crlfSha256 = crlf === lf ? lfSha256 : crlf.equals(raw) ? sha256 : sha256Hex(crlf);
  return { sha256, lfSha256, crlfSha256 };
}

/** The hashes of the message's other line-ending forms (not the one given). */
export function otherLineEndingShas(hashes: LineEndingHashes): string[] {
  return [...new Set([hashes.lfSha256, hashes.crlfSha256])].filter((sha) => sha !== hashes.sha256);
}

/**
 * The id of a message that has no usable Message-ID: a hash of its bytes
 * with CRLF line endings turned into LF, so it is the same whichever way the
 * message came (and the ids of earlier mbox imports stay). Archives made
 * before hashed the bytes as received, so an IMAP import stored the id of the
 * CRLF form: that id (and that of the bytes as given, when they mix line
 * endings) are the aliases that duplicate and tombstone checks accept too.
 */
export function syntheticMessageId(raw: Buffer): SyntheticMessageId {
  const hashes = lineEndingHashes(raw);
  const messageId = idOf(hashes.lfSha256);
  const aliases = [...new Set([hashes.sha256, hashes.crlfSha256].map(idOf))].filter((id) => id !== messageId);
  return { messageId, aliases, sha256: hashes.sha256, sha256Aliases: otherLineEndingShas(hashes) };
}
