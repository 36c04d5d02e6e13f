import { setImmediate as nextTurn } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { CoalescingStream } from "~/utils/coalescing-stream.server";

function collect(stream: CoalescingStream): Buffer[] {
  const chunks: Buffer[] = [];
  stream.on("data", (chunk: Buffer) => chunks.push(chunk));
  return chunks;
}

describe("CoalescingStream", () => {
  it("passes a burst of small writes on as one chunk, byte for byte", async () => {
    const stream = new CoalescingStream();
    const chunks = collect(stream);
    const pieces = Array.from({ length: 80 }, (_, i) => Buffer.from(`<li>${i}</li>`.repeat(20)));
    for (const piece of pieces) stream.write(piece);
    await nextTurn();
    await nextTurn();
    expect(chunks).toHaveLength(1);
    expect(Buffer.concat(chunks).equals(Buffer.concat(pieces))).toBe(true);
  });

  it("keeps streaming: what is written in a later turn goes out separately, the first part without waiting for the end", async () => {
    const stream = new CoalescingStream();
    const chunks = collect(stream);
    stream.write(Buffer.from("<html><head>"));
    stream.write(Buffer.from("</head>"));
    await nextTurn();
    await nextTurn();
    expect(chunks.map(String)).toEqual(["<html><head></head>"]);
    stream.write(Buffer.from("<body>late</body>"));
    stream.end(Buffer.from("</html>"));
    await new Promise((resolve) => stream.on("end", resolve));
    expect(chunks.map(String)).toEqual(["<html><head></head>", "<body>late</body></html>"]);
  });

  it("lets a large burst out in pieces of at least 64 KB without waiting for the turn to end", () => {
    const stream = new CoalescingStream();
    const chunks = collect(stream);
    for (let i = 0; i < 40; i++) stream.write(Buffer.alloc(2048, 97 + (i % 26)));
    // 40 × 2 KB = 80 KB written synchronously: the first 64 KB already left.
    expect(chunks.map((chunk) => chunk.length)).toEqual([64 * 1024]);
  });
});
