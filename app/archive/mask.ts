// Email masking for visitors who are not logged in.
//
// The rule: keep the domain, keep the first character of the local part when
// the local part has three or more characters, and replace the rest with an
// ellipsis:
//
//   jane.doe@example.org  →  j…@example.org      (pages, feeds, API)
//   jane.doe@example.org  →  j...@example.org    (raw and mbox downloads)
//   jd@example.org        →  …@example.org
//
// The domain says which organisation wrote (useful when reading a thread), the
// local part is what identifies a person and what harvesters need. Downloads
// use three ASCII dots because their bytes must stay 7-bit safe in headers and
// valid in whatever charset a part declares. Both forms are idempotent (masking
// a masked text changes nothing), and "j...@" is itself not a valid address.
//
// Message-IDs look like addresses; pages show them as identifiers (they are
// needed for /mid/ links) and downloads leave the Message-ID, In-Reply-To,
// References and Content-ID headers alone so a masked mbox still threads.
// Addresses given in `keep` (the list's own posting address) stay readable.

export const TEXT_ELLIPSIS = "…";
export const BYTES_ELLIPSIS = "...";

export type MaskOptions = {
  /** Addresses left as they are (compared case-insensitively), e.g. the list's posting address. */
  keep?: Iterable<string | null | undefined>;
};

// An address is up to 64 local-part characters, "@", and a domain of up to 11
// labels. The pattern is tried only where an address can start, found by
// walking back from each "@": tried at every position of a text it costs
// ~40 µs per KB, and nearly every real mail body has an "@" (attribution
// lines), which made masking most of a thread page's time.
type AddressPattern = { address: RegExp; localChar: RegExp };

const TEXT_PATTERN: AddressPattern = {
  address: /([\p{L}\p{N}._%+-]{1,64})@([\p{L}\p{N}-]{1,63}(?:\.[\p{L}\p{N}-]{1,63}){1,10})/uy,
  localChar: /^[\p{L}\p{N}._%+-]$/u,
};
// ASCII only for byte-level masking, so a multi-byte character is never cut.
const BYTES_PATTERN: AddressPattern = {
  address: /([A-Za-z0-9._%+-]{1,64})@([A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,10})/y,
  localChar: /^[A-Za-z0-9._%+-]$/,
};
const MAX_LOCAL = 64;

/** Where the address whose "@" is at `at` would start: up to 64 local-part characters back, never before `floor`. */
function localPartStart(text: string, at: number, floor: number, localChar: RegExp): number {
  let start = at;
  for (let count = 0; start > floor && count < MAX_LOCAL; count++) {
    let previous = start - 1;
    const code = text.charCodeAt(previous);
    // A character outside the BMP is two code units; the pattern counts it as one.
    if (code >= 0xdc00 && code <= 0xdfff && previous > floor && (text.charCodeAt(previous - 1) & 0xfc00) === 0xd800) previous--;
    if (!localChar.test(text.slice(previous, start))) break;
    start = previous;
  }
  return start;
}

/** What a global replace with the pattern would give, trying it only where an address can start. */
function replaceAddresses(text: string, pattern: AddressPattern, replace: (whole: string, local: string, domain: string) => string): string {
  let out = "";
  let copied = 0;
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    const start = localPartStart(text, at, copied, pattern.localChar);
    if (start === at) continue;
    pattern.address.lastIndex = start;
    const match = pattern.address.exec(text);
    if (!match) continue;
    out += text.slice(copied, start) + replace(match[0], match[1]!, match[2]!);
    copied = start + match[0].length;
    at = copied - 1;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

function keepSet(options: MaskOptions | undefined): Set<string> {
  const set = new Set<string>();
  for (const address of options?.keep ?? []) if (address) set.add(address.trim().toLowerCase());
  return set;
}

function maskLocal(local: string, ellipsis: string): string {
  const chars = Array.from(local);
  return chars.length >= 3 ? `${chars[0]}${ellipsis}` : ellipsis;
}

function replacer(ellipsis: string, keep: Set<string>) {
  return (whole: string, local: string, domain: string) =>
    keep.has(whole.toLowerCase()) ? whole : `${maskLocal(local, ellipsis)}@${domain}`;
}

/** Masks every address in a text shown on a page, in a feed or in the API. */
export function maskEmails(text: string, options?: MaskOptions): string {
  if (!text.includes("@")) return text;
  return replaceAddresses(text, TEXT_PATTERN, replacer(TEXT_ELLIPSIS, keepSet(options)));
}

/** One address (a From address): masked the same way. */
export function maskAddress(address: string, options?: MaskOptions): string {
  return maskEmails(address, options);
}

/** Byte-level masking of a latin1-decoded string (one char per byte). */
export function maskBinaryString(text: string, options?: MaskOptions): string {
  if (!text.includes("@")) return text;
  return replaceAddresses(text, BYTES_PATTERN, replacer(BYTES_ELLIPSIS, keepSet(options)));
}

// ---------------------------------------------------------------------------
// Raw messages. Works on a latin1 view of the bytes, so everything that is not
// an address survives byte for byte. Headers are masked field by field
// (including RFC 2047 encoded words), bodies part by part: plain, 8bit and
// quoted-printable text directly, base64 text parts decoded, masked and
// re-encoded. Binary parts (images, archives) are left alone.

const EXEMPT_HEADERS = new Set(["message-id", "in-reply-to", "references", "content-id", "resent-message-id", "list-id"]);
const MAX_DEPTH = 20;

/** The raw message with every address masked (see the rule above). */
export function maskRawMessage(raw: Buffer, options?: MaskOptions): Buffer {
  const keep = [...keepSet(options)];
  const text = raw.toString("latin1");
  if (!text.includes("@") && !text.includes("=?")) return raw;
  return Buffer.from(maskEntity(text, { keep }, 0), "latin1");
}

function maskEntity(text: string, options: MaskOptions, depth: number): string {
  if (depth > MAX_DEPTH) return maskBinaryString(text, options);
  const split = splitHeaderBody(text);
  const fields = splitFields(split.header);
  const header = fields.map((field) => maskField(field, options)).join("");
  const contentType = headerValue(fields, "content-type");
  const encoding = headerValue(fields, "content-transfer-encoding").trim().toLowerCase();
  return header + split.separator + maskBody(split.body, contentType, encoding, options, depth);
}

function splitHeaderBody(text: string): { header: string; separator: string; body: string } {
  // A part may have no header at all: it then starts with the blank line.
  const leading = /^\r?\n/.exec(text);
  if (leading) return { header: "", separator: leading[0], body: text.slice(leading[0].length) };
  const blank = /\r?\n(\r?\n)/.exec(text);
  if (!blank) return { header: text, separator: "", body: "" };
  const end = blank.index + blank[0].length - blank[1]!.length;
  return { header: text.slice(0, end), separator: blank[1]!, body: text.slice(blank.index + blank[0].length) };
}

/** Header fields with their continuation lines and line endings, verbatim. */
function splitFields(header: string): string[] {
  const lines = header.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const fields: string[] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && fields.length > 0) fields[fields.length - 1] += line;
    else fields.push(line);
  }
  return fields;
}

function fieldName(field: string): string {
  const colon = field.indexOf(":");
  return colon > 0 ? field.slice(0, colon).trim().toLowerCase() : "";
}

function headerValue(fields: string[], name: string): string {
  const field = fields.find((f) => fieldName(f) === name);
  return field ? field.slice(field.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim() : "";
}

function maskField(field: string, options: MaskOptions): string {
  if (EXEMPT_HEADERS.has(fieldName(field))) return field;
  return maskBinaryString(maskEncodedWords(field, options), options);
}

/** RFC 2047 encoded words ("=?utf-8?B?…?=") decoded, masked and re-encoded when they held an address. */
function maskEncodedWords(text: string, options: MaskOptions): string {
  if (!text.includes("=?")) return text;
  return text.replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (whole, charset: string, kind: string, payload: string) => {
    const b = kind.toUpperCase() === "B";
    const decoded = b ? Buffer.from(payload, "base64").toString("latin1") : decodeQ(payload);
    if (!decoded.includes("@")) return whole;
    const masked = maskBinaryString(decoded, options);
    if (masked === decoded) return whole;
    return `=?${charset}?${kind}?${b ? Buffer.from(masked, "latin1").toString("base64") : encodeQ(masked)}?=`;
  });
}

function decodeQ(payload: string): string {
  return payload.replace(/_/g, " ").replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

function encodeQ(text: string): string {
  let out = "";
  for (const ch of text) {
    if (ch === " ") out += "_";
    else if (/[A-Za-z0-9!*+\-/.]/.test(ch)) out += ch;
    else out += `=${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

function boundaryOf(contentType: string): string | null {
  const match = /boundary\s*=\s*(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match ? (match[1] ?? match[2] ?? null) : null;
}

function maskBody(body: string, rawContentType: string, encoding: string, options: MaskOptions, depth: number): string {
  const contentType = rawContentType.toLowerCase();
  if (contentType.startsWith("multipart/")) {
    // Boundaries are case-sensitive.
    const boundary = boundaryOf(rawContentType);
    if (boundary) return maskMultipart(body, boundary, options, depth);
  }
  if (contentType.startsWith("message/rfc822") && encoding !== "base64") return maskEntity(body, options, depth + 1);
  if (encoding === "base64") {
    const textual = contentType === "" || contentType.startsWith("text/");
    return textual ? maskBase64(body, options) : body;
  }
  return maskBinaryString(body, options);
}

function maskMultipart(body: string, boundary: string, options: MaskOptions, depth: number): string {
  const lines = body.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  const delimiter = `--${boundary}`;
  let out = "";
  let part = "";
  let inPart = false;
  let closed = false;
  for (const line of lines) {
    const bare = line.replace(/[ \t]*\r?\n$/, "").replace(/[ \t]+$/, "");
    if (!closed && (bare === delimiter || bare === `${delimiter}--`)) {
      out += inPart ? maskEntity(part, options, depth + 1) : maskBinaryString(part, options);
      out += line;
      part = "";
      inPart = bare === delimiter;
      closed = bare !== delimiter;
      continue;
    }
    part += line;
  }
  // Epilogue, or an unterminated last part.
  out += inPart && !closed ? maskEntity(part, options, depth + 1) : maskBinaryString(part, options);
  return out;
}

function maskBase64(body: string, options: MaskOptions): string {
  const trailing = /(\r?\n)*$/.exec(body)?.[0] ?? "";
  const content = body.slice(0, body.length - trailing.length);
  if (!/^[A-Za-z0-9+/=\s]*$/.test(content)) return body; // not base64 after all: leave it
  const decoded = Buffer.from(content.replace(/\s+/g, ""), "base64").toString("latin1");
  const masked = maskBinaryString(decoded, options);
  if (masked === decoded) return body;
  const eol = body.includes("\r\n") ? "\r\n" : "\n";
  const encoded = Buffer.from(masked, "latin1").toString("base64");
  const wrapped = encoded.match(/.{1,76}/g)?.join(eol) ?? "";
  return wrapped + (trailing || eol);
}
