import fs from "node:fs";
import path from "node:path";

/**
 * The database location: DATABASE_URL when given, otherwise a file inside
 * DATA_DIR so that one folder holds the whole state of an installation.
 * Shared by the app, the Prisma CLI config and the test harness.
 */
export function resolveDatabaseUrl(env: NodeJS.ProcessEnv): string {
  if (env.DATABASE_URL) return env.DATABASE_URL;
  const dataDir = path.resolve(env.DATA_DIR || "./data");
  fs.mkdirSync(dataDir, { recursive: true });
  return `file:${path.join(dataDir, "threadline.db")}`;
}

/** The file path inside a `file:` URL (SQLite only). */
export function databaseFilePath(url: string): string {
  return url.replace(/^file:/, "");
}
