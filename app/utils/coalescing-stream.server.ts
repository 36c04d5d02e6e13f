import { Transform, type TransformCallback } from "node:stream";

/** A chunk is passed on at once when this much has gathered. */
const MAX_CHUNK_BYTES = 64 * 1024;

/**
 * Gathers the small writes of a burst into one chunk. React's streaming
 * renderer writes a page in pieces of about 2 KB; each piece then costs a
 * round trip through compression's zlib thread and a socket write, which on a
 * 170 KB archive page was a third of the server's time for it. Whatever is
 * written in one turn of the event loop goes out together (on setImmediate),
 * so a streamed shell still leaves as soon as React has written it.
 */
export class CoalescingStream extends Transform {
  private chunks: Buffer[] = [];
  private size = 0;
  private scheduled = false;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    if (this.size >= MAX_CHUNK_BYTES) {
      this.release();
    } else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.release());
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    this.release();
    done();
  }

  private release(): void {
    this.scheduled = false;
    if (this.size === 0) return;
    const chunk = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
    this.chunks = [];
    this.size = 0;
    this.push(chunk);
  }
}
