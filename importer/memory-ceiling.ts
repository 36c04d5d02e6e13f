// Keeps a long import's memory flat. V8 lets a busy heap grow to several
// times what is alive before it collects: the importer allocates a lot of
// short-lived data per message (parsed text, query parameters, statements
// whose native memory V8 does not see), so its RSS climbed to ~500 MB on a
// 200,000-message file with under 100 MB alive. A full collection between
// batches, only when the process is over its budget, keeps it under the
// import's memory goal for a few milliseconds per collection.
//
// Node has no public API for a collection without --expose-gc at start-up,
// which the CLI cannot require of every caller; the flag can be set at run
// time, and a fresh context then exposes gc().
import v8 from "node:v8";
import vm from "node:vm";

let collect: (() => void) | null = null;

function fullCollection(): void {
  if (!collect) {
    v8.setFlagsFromString("--expose-gc");
    collect = vm.runInNewContext("gc") as () => void;
  }
  collect();
}

/** Runs a full garbage collection when the process's resident memory is over `budgetBytes`. */
export function collectIfOver(budgetBytes: number): boolean {
  if (process.memoryUsage.rss() <= budgetBytes) return false;
  fullCollection();
  return true;
}
