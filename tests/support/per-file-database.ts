import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, inject } from "vitest";

// Runs before each test file: a private copy of the template database and a
// private DATA_DIR, set before any app module reads the environment.
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-file-"));
const dbFile = path.join(dataDir, "threadline.db");
fs.copyFileSync(inject("templateDatabase"), dbFile);
process.env.DATA_DIR = dataDir;
process.env.DATABASE_URL = `file:${dbFile}`;
process.env.NODE_ENV = "test";

afterAll(async () => {
  const { disconnectDb } = await import("~/utils/db.server");
  await disconnectDb();
  fs.rmSync(dataDir, { recursive: true, force: true });
});
