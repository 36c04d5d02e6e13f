// Prisma CLI configuration. We use the JavaScript schema engine with the
// better-sqlite3 driver adapter so that no native Prisma engine has to be
// downloaded (see docs/decisions/0002-prisma-driver-adapters.md).
import "dotenv/config";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { resolveDatabaseUrl } from "./app/utils/database-url";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: {
    path: path.join("prisma", "migrations"),
    seed: "tsx prisma/seed.ts",
  },
  async adapter() {
    return new PrismaBetterSQLite3({ url: resolveDatabaseUrl(process.env) });
  },
});
