// Turning benchmark reports into a console table and into the sections of
// docs/BENCHMARKS.md. Each section lives between
// `<!-- bench:<name>:start -->` and `<!-- bench:<name>:end -->` and is replaced
// on every run of that benchmark; everything else in the file is left alone.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import type { Benchmark, BenchReport, BenchTable } from "../types";

function readProc(file: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

/** The machine a run happened on: CPUs available (nproc), CPU model, memory, OS and Node version. */
export function describeMachine(): string {
  let cpus: number;
  try {
    cpus = Number(execFileSync("nproc", { encoding: "utf8" }).trim());
  } catch {
    cpus = os.availableParallelism();
  }
  const model = /^model name\s*:\s*(.+)$/m.exec(readProc("/proc/cpuinfo"))?.[1]?.trim() || os.cpus()[0]?.model || "unknown CPU";
  const memKiB = Number(/^MemTotal:\s+(\d+)\s+kB$/m.exec(readProc("/proc/meminfo"))?.[1] ?? os.totalmem() / 1024);
  const memory = `${(memKiB / 1024 / 1024).toFixed(1)} GiB RAM`;
  return `${cpus} CPU${cpus === 1 ? "" : "s"} (${model}), ${memory}, ${os.type()} ${os.release()} ${os.arch()}, Node ${process.version}`;
}

export function formatDate(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

const NUMERIC = /^(-?[\d.,]+( MiB| ms| KiB)?|n\/a)$/;
const isNumericColumn = (table: BenchTable, column: number) =>
  table.rows.length > 0 && table.rows.every((row) => NUMERIC.test(row[column] ?? ""));

export function consoleTable(table: BenchTable): string {
  const rows = [table.columns, ...table.rows].map((row) => row.map((cell) => cell.replaceAll("`", "")));
  const widths = table.columns.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  const line = (row: string[]) =>
    row.map((cell, column) => (isNumericColumn(table, column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join("  ");
  return [line(rows[0]!), widths.map((width) => "-".repeat(width)).join("  "), ...rows.slice(1).map(line)].join("\n");
}

export function markdownTable(table: BenchTable): string {
  const escape = (cell: string) => cell.replaceAll("|", "\\|");
  const align = table.columns.map((_, column) => (isNumericColumn(table, column) ? "---:" : "---"));
  return [
    `| ${table.columns.map(escape).join(" | ")} |`,
    `| ${align.join(" | ")} |`,
    ...table.rows.map((row) => `| ${row.map(escape).join(" | ")} |`),
  ].join("\n");
}

const startMarker = (name: string) => `<!-- bench:${name}:start -->`;
const endMarker = (name: string) => `<!-- bench:${name}:end -->`;

/** Replaces the marked section `name` in `document`, or adds it (at the start for "intro", else at the end). */
export function upsertSection(document: string, name: string, content: string): string {
  const block = `${startMarker(name)}\n${content.trim()}\n${endMarker(name)}`;
  const start = document.indexOf(startMarker(name));
  const end = document.indexOf(endMarker(name));
  if (start !== -1 && end > start) {
    return document.slice(0, start) + block + document.slice(end + endMarker(name).length);
  }
  if (name === "intro") return `${block}\n\n${document.trimStart()}`;
  return `${document.trimEnd()}${document.trim() ? "\n\n" : ""}${block}\n`;
}

export function introSection(benchmarks: Benchmark[], machine: string, date: Date): string {
  return `# Benchmarks

Measured by \`npm run bench\` (tests/bench/run.ts), which writes the figures
below itself after each run: do not edit them by hand, run the benchmark
again. Each benchmark's section is replaced only when that benchmark runs, so
sections may come from different days or machines; each one names its own.
Text outside the \`<!-- bench:... -->\` markers is kept.

How to run:

\`\`\`sh
npm run bench                                  # every benchmark, 10 s per scenario, 50 connections
npm run bench -- --only http-pages             # one benchmark (comma-separate several)
npm run bench -- --duration 30 --connections 100
npm run bench -- --build                       # rebuild the production bundle first
npm run bench -- --list                        # the available benchmarks
npm run bench -- --no-write                    # print the results without updating this file
\`\`\`

Everything runs on one machine over the loopback interface, so the load
generator competes with the server for the CPU: compare figures from the same
machine only, and treat them as a floor, not a capacity plan.

What is measured:

${benchmarks.map((benchmark) => `- **${benchmark.name}**: ${benchmark.description}`).join("\n")}

Most recent run: ${formatDate(date)} on ${machine}.`;
}

export function benchmarkSection(benchmark: Benchmark, report: BenchReport, meta: { date: Date; command: string; machine: string }) {
  return [
    `## ${benchmark.title} (\`${benchmark.name}\`)`,
    "",
    benchmark.description,
    "",
    `- Date: ${formatDate(meta.date)}`,
    `- Command: \`${meta.command}\``,
    `- Machine: ${meta.machine}`,
    ...report.settings.map((line) => `- ${line}`),
    "",
    ...report.tables.flatMap((table) => [markdownTable(table), ""]),
    ...report.notes.map((note) => `- ${note}`),
  ].join("\n");
}
