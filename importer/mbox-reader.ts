// Streaming mbox splitter. Works chunk by chunk with memory bounded by
// `maxMessageBytes` (plus one chunk), so multi-gigabyte archives are fine.
//
// Bytes are copied only when a message is complete: runs of ordinary lines are
// kept as slices of the input chunks, and only lines that start with "F" or
// ">" (possible separators or escaped From lines) are looked at closely.

import { openBytes, type ByteInput } from "./byte-source.ts";
import { isBlank } from "./bytes.ts";
import { escapePrefixLength, isFromSeparator, MAX_SEPARATOR_LENGTH, type MboxFormat } from "./mbox-separator.ts";

export type { MboxFormat } from "./mbox-separator.ts";

export interface MboxMessage {
  oversize: false;
  /** The message without its From_ line, un-escaped, trailing mbox blank line removed. */
  raw: Buffer;
  /** Byte offset of the From_ line in the uncompressed input. */
  offset: number;
  /** The From_ line without its line ending ("" when the input did not start with one). */
  fromLine: string;
}

export interface MboxOversizeMessage {
  oversize: true;
  offset: number;
  fromLine: string;
  /** Bytes between this From_ line and the next one. */
  size: number;
}

export type MboxEntry = MboxMessage | MboxOversizeMessage;

export interface MboxReadOptions {
  format?: MboxFormat;
  maxMessageBytes?: number;
}

const LF = 0x0a;

class MessageBuffer {
  parts: Buffer[] = [];
  size = 0;
  oversize = false;
  constructor(readonly offset: number, readonly fromLine: string, readonly max: number) {}

  append(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.size += bytes.length;
    if (this.size > this.max) {
      this.oversize = true;
      this.parts = []; // release memory; keep counting only
    }
    if (!this.oversize) this.parts.push(bytes);
  }

  finish(): MboxEntry | null {
    if (this.oversize) return { oversize: true, offset: this.offset, fromLine: this.fromLine, size: this.size };
    let raw = Buffer.concat(this.parts, this.size);
    // mbox writers add one blank line after each message; it is not part of it.
    if (raw.subarray(-4).toString("latin1") === "\r\n\r\n") raw = raw.subarray(0, -2);
    else if (raw.subarray(-2).toString("latin1") === "\n\n") raw = raw.subarray(0, -1);
    if (isBlank(raw)) return null; // separator with no message
    return { oversize: false, raw, offset: this.offset, fromLine: this.fromLine };
  }
}

function lineText(line: Buffer): string {
  return line.toString("latin1").replace(/\r?\n$/, "");
}

/** Splits an mbox (path, Readable or byte iterable; gzip is detected) into messages. */
export async function* readMbox(input: ByteInput, options: MboxReadOptions = {}): AsyncGenerator<MboxEntry> {
  const format = options.format ?? "auto";
  const max = options.maxMessageBytes ?? 25 * 1024 * 1024;
  let current: MessageBuffer | null = null;
  let pending: Buffer | null = null; // start of a possibly special line, split across chunks
  let pendingOffset = 0;
  let midLine = false; // inside an ordinary line whose end is in a later chunk
  let streamOffset = 0;
  let atStart = true;

  const emit = (bytes: Buffer, offset: number) => {
    if (bytes.length === 0) return;
    current ??= new MessageBuffer(offset, "", max); // input without a leading From_ line
    current.append(bytes);
  };

  for await (const chunk of openBytes(input)) {
    let buf = chunk;
    let base = streamOffset;
    streamOffset += chunk.length;
    if (pending) {
      buf = Buffer.concat([pending, chunk]);
      base = pendingOffset;
      pending = null;
    }
    let pos = 0;
    let runStart = 0; // start of bytes not yet handed to the current message
    if (midLine) {
      const nl = buf.indexOf(LF);
      if (nl === -1) {
        emit(buf, base);
        continue;
      }
      pos = nl + 1;
      midLine = false;
    }
    while (pos < buf.length) {
      const first = buf[pos];
      const nl = buf.indexOf(LF, pos);
      if (first !== 0x46 /* F */ && first !== 0x3e /* > */) {
        atStart = false;
        if (nl === -1) {
          midLine = true;
          break;
        }
        pos = nl + 1;
        continue;
      }
      const lineEnd = nl === -1 ? buf.length : nl + 1;
      if (nl === -1 && buf.length - pos < MAX_SEPARATOR_LENGTH) {
        // Not enough of this line yet to classify it: keep it for the next chunk.
        emit(buf.subarray(runStart, pos), base + runStart);
        pending = Buffer.from(buf.subarray(pos));
        pendingOffset = base + pos;
        runStart = buf.length;
        break;
      }
      const line = buf.subarray(pos, Math.min(lineEnd, pos + MAX_SEPARATOR_LENGTH));
      const text = lineText(line);
      if (nl !== -1 && lineEnd - pos <= MAX_SEPARATOR_LENGTH && isFromSeparator(text, atStart)) {
        emit(buf.subarray(runStart, pos), base + runStart);
        const done: MboxEntry | null = current ? (current as MessageBuffer).finish() : null;
        if (done) yield done;
        current = new MessageBuffer(base + pos, text, max);
        runStart = lineEnd;
      } else if (escapePrefixLength(text, format) > 0) {
        emit(buf.subarray(runStart, pos), base + runStart);
        runStart = pos + 1; // drop one ">"
      }
      atStart = false;
      if (nl === -1) {
        midLine = true;
        break;
      }
      pos = lineEnd;
    }
    if (runStart < buf.length) emit(buf.subarray(runStart), base + runStart);
  }
  if (pending) {
    // The input ended inside a line that might be special.
    const text = lineText(pending);
    if (isFromSeparator(text, atStart)) {
      const done: MboxEntry | null = current ? (current as MessageBuffer).finish() : null;
      if (done) yield done;
      current = null;
    } else {
      const skip = escapePrefixLength(text, format);
      emit(pending.subarray(skip), pendingOffset + skip);
    }
  }
  const last: MboxEntry | null = current ? (current as MessageBuffer).finish() : null;
  if (last) yield last;
}
