// `npm test`: the whole suite in one command. Checks the system packages,
// type-checks and lints, runs the unit and integration tests (Vitest),
// builds the production bundle and runs the end-to-end tests (Playwright)
// against it, then prints one closing line with the totals.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { describeMissing, missingRequirements } from "./system-check";

const outputDir = path.resolve("tests/.output");
fs.mkdirSync(outputDir, { recursive: true });

const missing = missingRequirements();
if (missing.length) {
  console.error(describeMissing(missing));
  process.exit(1);
}

function run(label: string, command: string, args: string[]): boolean {
  console.log(`\n▶ ${label}`);
  const result = spawnSync(command, args, { stdio: "inherit", env: process.env });
  return result.status === 0;
}

type Totals = { passed: number; failed: number; skipped: number };
const totals: Totals = { passed: 0, failed: 0, skipped: 0 };

function readVitest(file: string) {
  if (!fs.existsSync(file)) return;
  const report = JSON.parse(fs.readFileSync(file, "utf8"));
  totals.passed += report.numPassedTests ?? 0;
  // A file that fails to load has no failed tests but a failed suite.
  totals.failed += Math.max(report.numFailedTests ?? 0, report.numFailedTestSuites ?? 0);
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

function readPlaywright(file: string) {
  if (!fs.existsSync(file)) return;
  const stats = JSON.parse(fs.readFileSync(file, "utf8")).stats ?? {};
  totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  totals.failed += stats.unexpected ?? 0;
  totals.skipped += stats.skipped ?? 0;
}

const vitestReport = path.join(outputDir, "vitest.json");
const playwrightReport = path.join(outputDir, "playwright.json");
for (const file of [vitestReport, playwrightReport]) fs.rmSync(file, { force: true });

const steps: [string, () => boolean][] = [
  ["Type check", () => run("Type check", "npx", ["tsc"])],
  ["Lint", () => run("Lint", "npx", ["eslint", "."])],
  [
    "Unit and integration tests",
    () => run("Unit and integration tests", "npx", ["vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${vitestReport}`]),
  ],
  ["Production build", () => run("Production build", "npx", ["remix", "vite:build"])],
  ["End-to-end tests", () => run("End-to-end tests", "npx", ["playwright", "test"])],
];

const failedSteps: string[] = [];
for (const [label, step] of steps) {
  if (!step()) {
    failedSteps.push(label);
    // Without a build there is nothing to test end to end.
    if (label === "Production build") break;
  }
}
readVitest(vitestReport);
readPlaywright(playwrightReport);

console.log("");
if (failedSteps.length) console.log(`Failed steps: ${failedSteps.join(", ")}`);
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : "";
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(failedSteps.length || totals.failed ? 1 : 0);
