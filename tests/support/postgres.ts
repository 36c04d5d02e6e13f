// A throwaway PostgreSQL cluster for tests: initdb into a temp folder, then
// pg_ctl starts it on a free loopback port with its socket in that folder,
// trust authentication and durability switched off (nothing here must
// survive). PostgreSQL refuses to run as root, so under root the cluster
// belongs to the `postgres` system user (or `nobody`).
//
// findPostgres() returns null when the binaries are missing, so a suite can
// skip its PostgreSQL variant visibly (CI installs the Debian package
// `postgresql`; the system check names it).
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port";

const run = promisify(execFile);

export interface PostgresServer {
  url: string;
  port: number;
  dir: string;
  /** Runs one statement as the superuser and returns its rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  stop(): Promise<void>;
  log(): string;
}

/** The folder holding initdb, pg_ctl and postgres, or null when PostgreSQL is not installed. */
export function findPostgres(): string | null {
  const candidates = [process.env.PG_BIN];
  const root = "/usr/lib/postgresql";
  if (fs.existsSync(root)) {
    const versions = fs.readdirSync(root).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((version) => path.join(root, version, "bin")));
  }
  candidates.push("/usr/local/pgsql/bin", "/usr/local/bin", "/usr/bin");
  for (const dir of candidates) {
    if (dir && ["initdb", "pg_ctl", "postgres"].every((name) => fs.existsSync(path.join(dir, name)))) return dir;
  }
  return null;
}


/** Who owns and runs the cluster: the current user, or an unprivileged one under root. */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if ((process.getuid?.() ?? 0) !== 0) return undefined;
  const passwd = fs.readFileSync("/etc/passwd", "utf8");
  const entry = (name: string) => passwd.split("\n").find((line) => line.startsWith(`${name}:`))?.split(":");
  const chosen = entry("postgres") ?? entry("nobody");
  if (!chosen) throw new Error("Neither a 'postgres' nor a 'nobody' system user exists to own the test cluster (PostgreSQL refuses root).");
  return { uid: Number(chosen[2]), gid: Number(chosen[3]) };
}

export async function startPostgres(): Promise<PostgresServer> {
  const bin = findPostgres();
  if (!bin) {
    throw new Error("PostgreSQL is not installed. Install it with: sudo apt-get update && sudo apt-get install -y postgresql");
  }
  // Short path: the unix socket lives here too (108-byte limit).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tl-pg-"));
  const data = path.join(dir, "data");
  const logFile = path.join(dir, "postgres.log");
  const owner = clusterOwner();
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const as = { ...(owner ?? {}), env: { ...process.env, LC_ALL: "C", TZ: "UTC" } };

  await run(path.join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"], as);
  const port = await freePort();
  const settings = [
    `-p ${port}`,
    `-k ${dir}`,
    "-c listen_addresses=127.0.0.1",
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=50",
    "-c shared_buffers=16MB",
  ].join(" ");
  const pgCtl = path.join(bin, "pg_ctl");
  try {
    await run(pgCtl, ["-D", data, "-l", logFile, "-o", settings, "-w", "-t", "30", "start"], as);
  } catch (error) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "(no log)";
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`PostgreSQL did not start: ${(error as Error).message}\n${log}`);
  }
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const { default: pg } = await import("pg");

  return {
    url,
    port,
    dir,
    async query<T>(sql: string, params: unknown[] = []) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query(sql, params)).rows as T[];
      } finally {
        await client.end();
      }
    },
    async stop() {
      await run(pgCtl, ["-D", data, "-m", "immediate", "-w", "stop"], as).catch(() => {});
      fs.rmSync(dir, { recursive: true, force: true });
    },
    log() {
      return fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
    },
  };
}
