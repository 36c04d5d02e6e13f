import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "~/generated/prisma/client";
import { resolveDatabaseUrl } from "./database-url";
import { logger } from "./logger.server";
import { serializeTransactions } from "./serialized-adapter.server";

const SLOW_QUERY_MS = 20;

function createClient() {
  const adapter = new PrismaBetterSQLite3({
    url: resolveDatabaseUrl(process.env),
    // better-sqlite3's busy timeout: wait for a writer instead of failing.
    timeout: 5_000,
  });
  const client = new PrismaClient({
    adapter: serializeTransactions(adapter),
    log: [{ level: "query", emit: "event" }],
  });
  client.$on("query", (event) => {
    if (event.duration > SLOW_QUERY_MS) {
      // The statement only: parameters may hold personal data.
      logger.warn({ durationMs: event.duration, query: event.query }, "slow query");
    }
  });
  return client;
}

type Db = ReturnType<typeof createClient>;

// One client per process, kept across dev-server reloads.
const globalForDb = globalThis as unknown as { threadlineDb?: Db; threadlineDbReady?: Promise<void> };

export const db: Db = (globalForDb.threadlineDb ??= createClient());

/**
 * Connection settings every connection needs: write-ahead logging so readers
 * never wait for the writer, foreign keys enforced, and a sane sync level.
 */
export function ensureDbReady(): Promise<void> {
  globalForDb.threadlineDbReady ??= (async () => {
    await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
    await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
    await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  })();
  return globalForDb.threadlineDbReady;
}

export async function disconnectDb() {
  await db.$disconnect();
  globalForDb.threadlineDb = undefined;
  globalForDb.threadlineDbReady = undefined;
}
