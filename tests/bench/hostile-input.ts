// How long the Markdown renderer and the personal-data scanner take on inputs
// built to make them backtrack or go quadratic (tests/support/hostile-input.ts).
// Every case should stay far below a second; one that does not is a
// denial-of-service hole, since members submit these texts.
import os from "node:os";
import { renderMarkdown } from "~/content/markdown.server";
import { findPersonalData } from "~/content/personal-data";
import { HOSTILE_MARKDOWN, HOSTILE_TEXT } from "../support/hostile-input";
import type { Benchmark, BenchContext, BenchReport } from "./types";

const BUDGET_MS = 1000;
const RUNS = 3;

function slowest(work: () => void): number {
  let worst = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    work();
    worst = Math.max(worst, performance.now() - started);
  }
  return worst;
}

async function run(context: BenchContext): Promise<BenchReport> {
  const rows: string[][] = [];
  const cases: Array<[string, string, () => void]> = [
    ...Object.entries(HOSTILE_MARKDOWN).map(([name, source]): [string, string, () => void] => ["renderMarkdown", name, () => void renderMarkdown(source.slice(0, 100_000))]),
    ...Object.entries(HOSTILE_TEXT).map(([name, text]): [string, string, () => void] => ["findPersonalData", name, () => void findPersonalData(text.slice(0, 100_000))]),
  ];
  let over = 0;
  for (const [what, name, work] of cases) {
    context.signal.throwIfAborted();
    const ms = slowest(work);
    if (ms >= BUDGET_MS) over += 1;
    rows.push([what, name, ms.toFixed(1), ms < BUDGET_MS ? "met" : "missed"]);
  }
  context.log(`${cases.length} hostile inputs, ${over} over ${BUDGET_MS} ms.`);
  return {
    settings: [
      `Each input (up to 100,000 characters) run ${RUNS} times in the benchmark process; the slowest run is shown.`,
      `Machine load: 1-minute load average ${os.loadavg()[0]!.toFixed(2)} at the end of the run.`,
    ],
    tables: [{ columns: ["Function", "Input", "Slowest ms", `Under ${BUDGET_MS} ms`], rows }],
    notes: over ? [`${over} input(s) took longer than ${BUDGET_MS} ms: look for backtracking or quadratic work.`] : [],
  };
}

export const hostileInput: Benchmark = {
  name: "hostile-input",
  title: "Hostile input",
  description: "Time the Markdown renderer and the personal-data scanner take on inputs built to make them backtrack or go quadratic.",
  run,
};
