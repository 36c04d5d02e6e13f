import { describe, expect, it } from "vitest";
import { defaultParseWorkers } from "../../importer/mbox-import.ts";

const MB = 1024 * 1024;

describe("defaultParseWorkers", () => {
  it("leaves two CPUs to the importing thread and the search indexer, and uses at most two workers", () => {
    expect([1, 2, 3, 4, 8, 64].map((cpus) => defaultParseWorkers(500 * MB, cpus))).toEqual([0, 0, 1, 2, 2, 2]);
  });

  it("starts no worker for a file under 1 MB", () => {
    expect(defaultParseWorkers(MB - 1, 8)).toBe(0);
    expect(defaultParseWorkers(MB, 8)).toBe(2);
  });
});
