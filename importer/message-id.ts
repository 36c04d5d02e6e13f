// Message-ID extraction for Message-ID, In-Reply-To and References headers.
//
// Real headers carry comments ("<a@b> (garbage)"), prose ("Your message of
// ... <a@b>"), Outlook-style trailers ("<a@b>; from x on ..."), unbracketed
// ids and broken tokens. We only ever return ids that are safe to use as keys.

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
