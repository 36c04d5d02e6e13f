import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

// Builds one migrated SQLite database for the whole run; every test file then
// copies it (tests/support/per-file-database.ts), so tests never share state.
export default function setup({ provide }: { provide: (key: string, value: string) => void }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-test-"));
  const template = path.join(dir, "template.db");
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${template}` },
    stdio: "pipe",
  });
  provide("templateDatabase", template);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}
