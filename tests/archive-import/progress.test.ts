// The import progress line (importer/progress.ts): a redrawn bar on a
// terminal, plain periodic lines in logs.
import { describe, expect, it } from "vitest";
import { formatDuration, ProgressReporter } from "../../importer/progress.ts";
import { isCommentPreamble } from "../../importer/mbox-import.ts";

function sink(isTTY: boolean) {
  const writes: string[] = [];
  const stream = { isTTY, write: (text: string) => writes.push(text) } as unknown as NodeJS.WriteStream;
  return { stream, writes };
}

const snapshot = { messages: 500, bytesRead: 25, totalBytes: 100, created: 480, duplicates: 15, failed: 5, skipped: 0 };

describe("import progress", () => {
  it("draws one line with a bar, messages, messages per second and ETA on a terminal", () => {
    let now = 0;
    const { stream, writes } = sink(true);
    const reporter = new ProgressReporter({ stream, now: () => now });
    now = 10_000; // 500 messages in 10 s, a quarter of the bytes: 30 s left
    reporter.update(snapshot);
    expect(writes).toEqual(["\r\x1b[2K[######------------------]  25% 500 messages, 50 msg/s, ETA 30s"]);
    reporter.update(snapshot); // too soon to redraw
    expect(writes).toHaveLength(1);
    reporter.done();
    expect(writes[1]).toBe("\r\x1b[2K");
  });

  it("writes a plain line every N seconds in logs", () => {
    let now = 0;
    const { stream, writes } = sink(false);
    const reporter = new ProgressReporter({ stream, now: () => now, intervalSeconds: 10 });
    now = 5_000;
    reporter.update(snapshot);
    expect(writes).toEqual([]);
    now = 10_000;
    reporter.update(snapshot);
    expect(writes).toEqual(["progress: 25% 500 messages, 50 msg/s, 480 new, 15 duplicates, 5 failed, ETA 30s\n"]);
    reporter.done();
    expect(writes).toHaveLength(1);
  });

  it("formats durations and recognises a # preamble", () => {
    expect([formatDuration(42), formatDuration(125), formatDuration(3 * 3600 + 120), formatDuration(Number.NaN)]).toEqual(["42s", "2m05s", "3h02m", "?"]);
    expect(isCommentPreamble("# The list is hosted by X.\n# Questions go to X.\n\n")).toBe(true);
    expect(isCommentPreamble("Notes\n# not only comments\n")).toBe(false);
  });
});
