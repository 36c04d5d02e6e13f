// Reads the top-level header block of a raw message ourselves, because the
// threading and archiving decisions need the raw values: mailparser rewrites
// Message-ID-like headers (it wraps junk in brackets) and replaces a broken
// Date with "now".

export interface HeaderField {
  name: string; // lower-cased
  value: string; // unfolded, trimmed, not RFC 2047-decoded
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** Byte length of the header block including the blank line that ends it. */
  length: number;
  /** True when no blank line was found: the whole input is headers. */
  unterminated: boolean;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

function decode(bytes: Buffer): string {
  try {
    return utf8.decode(bytes); // RFC 6532 allows raw UTF-8 in headers
  } catch {
    return bytes.toString("latin1"); // 8-bit junk: keep every byte visible
  }
}

/** Offset just after the blank line that ends the header block, or -1. */
export function findHeaderEnd(raw: Buffer, limit: number): number {
  const window = raw.subarray(0, Math.min(raw.length, limit));
  if (window[0] === 0x0a) return 1;
  if (window[0] === 0x0d && window[1] === 0x0a) return 2;
  const lf = window.indexOf("\n\n");
  const crlf = window.indexOf("\r\n\r\n");
  if (lf === -1 && crlf === -1) return -1;
  if (crlf === -1 || (lf !== -1 && lf < crlf)) return lf + 2;
  return crlf + 4;
}

export function readHeaderBlock(raw: Buffer, maxHeaderBytes: number): HeaderBlock | null {
  const end = findHeaderEnd(raw, maxHeaderBytes);
  if (end === -1 && raw.length > maxHeaderBytes) return null;
  const length = end === -1 ? raw.length : end;
  const text = decode(raw.subarray(0, length));
  const fields: HeaderField[] = [];
  for (const line of text.split(/\r?\n/)) {
    const last = fields[fields.length - 1];
    if (/^[ \t]/.test(line)) {
      if (last) last.value = `${last.value} ${line.trim()}`.trim();
      continue;
    }
    const m = /^([!-9;-~]+)[ \t]*:(.*)$/.exec(line);
    if (m) fields.push({ name: (m[1] ?? "").toLowerCase(), value: (m[2] ?? "").trim() });
  }
  return { fields, length, unterminated: end === -1 };
}

export function firstValue(fields: HeaderField[], name: string): string | null {
  return fields.find((f) => f.name === name)?.value ?? null;
}

export function allValues(fields: HeaderField[], name: string): string[] {
  return fields.filter((f) => f.name === name).map((f) => f.value);
}
