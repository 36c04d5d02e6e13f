// Turns a file path or a Readable into a stream of Buffers, gunzipping
// transparently. Gzip is recognised by its magic bytes rather than by the
// ".gz" suffix: list archives are often served as "2019-March.txt.gz" or
// renamed on download.

import fs from "node:fs";
import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

export type ByteInput = string | Readable | AsyncIterable<Buffer | Uint8Array | string>;

async function* asBuffers(source: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<Buffer> {
  for await (const chunk of source) {
    yield typeof chunk === "string" ? Buffer.from(chunk, "latin1") : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

async function* gunzip(head: Buffer[], rest: AsyncIterator<Buffer>): AsyncGenerator<Buffer> {
  async function* compressed(): AsyncGenerator<Buffer> {
    yield* head;
    for (let r = await rest.next(); !r.done; r = await rest.next()) yield r.value;
  }
  const input = Readable.from(compressed());
  const inflater = createGunzip();
  input.on("error", (error) => inflater.destroy(error));
  input.pipe(inflater);
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } finally {
    input.destroy(); // the reader may stop early; release the file handle now
  }
}

/** Uncompressed bytes of `input`, chunk by chunk; never buffers the whole input. */
export async function* openBytes(input: ByteInput): AsyncGenerator<Buffer> {
  const source = typeof input === "string" ? fs.createReadStream(input, { highWaterMark: 64 * 1024 }) : input;
  const iterator = asBuffers(source)[Symbol.asyncIterator]();
  // The magic number may arrive split across tiny chunks.
  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  while (headLength < 2) {
    const r = await iterator.next();
    if (r.done) {
      ended = true;
      break;
    }
    head.push(r.value);
    headLength += r.value.length;
  }
  const first = Buffer.concat(head);
  if (first[0] === 0x1f && first[1] === 0x8b) {
    yield* gunzip(head, iterator);
    return;
  }
  yield* head;
  if (ended) return;
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) yield r.value;
}
