// A real Dovecot IMAP server for the importer tests, started from the test
// setup with its own configuration in a temp folder: loopback only, a free
// port, plain-text login without TLS, one passwd-file user, Maildir storage,
// a non-root mail uid, and run/state/log folders inside the temp folder (no
// systemd, nothing shared with a system Dovecot).
//
// Dovecot must be installed (Debian: dovecot-imapd). When it is missing the
// start fails with a message saying so: the tests must not be skipped.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port";

const run = promisify(execFile);

const DOVECOT_CANDIDATES = ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"];
const DOVEADM_CANDIDATES = ["/usr/bin/doveadm", "/usr/local/bin/doveadm"];

export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
  dir: string;
  configFile: string;
  /** Disconnects every IMAP session of the user (the server drops the connection). */
  kick(user?: string): Promise<void>;
  /**
   * The messages of a mailbox as Dovecot stores them (doveadm fetch), in UID
   * order: with LF line endings, where IMAP hands out CRLF.
   */
  storedMessages(mailbox: string, user?: string): Promise<Buffer[]>;
  /** Stops the server and starts it again on the same port (same mail store). */
  restart(): Promise<void>;
  stop(): Promise<void>;
  log(): string;
}

function findBinary(candidates: string[], name: string): string {
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) {
    throw new Error(
      `Dovecot is not installed (no ${name} in ${candidates.join(", ")}). The IMAP importer tests need a real IMAP server: ` +
        "sudo apt-get update && sudo apt-get install -y dovecot-imapd",
    );
  }
  return found;
}


async function waitForGreeting(port: number, timeoutMs: number, logFile: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = "";
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      let data = "";
      const done = (value: boolean) => {
        socket.destroy();
        resolve(value);
      };
      socket.setTimeout(1000, () => done(false));
      socket.on("data", (chunk) => {
        data += chunk.toString("latin1");
        if (/^\* OK .*ready/m.test(data)) done(true);
      });
      socket.on("error", (error) => {
        lastError = error.message;
        done(false);
      });
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "(no log)";
  throw new Error(`Dovecot did not answer on port ${port} within ${timeoutMs} ms (${lastError}). Log:\n${log}`);
}

/** The uid/gid mail is stored under: never root (Dovecot refuses it by default, and tests must not need it). */
function mailIdentity(): { uid: number; gid: number; user: string; group: string; internalUser: string; loginUser: string } {
  const myUid = process.getuid?.() ?? 0;
  if (myUid !== 0) {
    const me = os.userInfo();
    return { uid: me.uid, gid: me.gid, user: me.username, group: String(me.gid), internalUser: me.username, loginUser: me.username };
  }
  const passwd = fs.readFileSync("/etc/passwd", "utf8");
  const entry = (name: string) => passwd.split("\n").find((line) => line.startsWith(`${name}:`))?.split(":");
  const dovecot = entry("dovecot");
  const nobody = entry("nobody");
  const chosen = dovecot ?? nobody;
  if (!chosen) throw new Error("Neither a 'dovecot' nor a 'nobody' system user exists to run Dovecot's mail processes.");
  const loginUser = entry("dovenull") ? "dovenull" : chosen[0]!;
  return { uid: Number(chosen[2]), gid: Number(chosen[3]), user: chosen[0]!, group: chosen[3]!, internalUser: chosen[0]!, loginUser };
}

function config(dir: string, port: number, id: ReturnType<typeof mailIdentity>): string {
  return `# Written by tests/support/dovecot.ts
protocols = imap
listen = 127.0.0.1
base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/log/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u/Maildir
mail_uid = ${id.uid}
mail_gid = ${id.gid}
first_valid_uid = 1
first_valid_gid = 1
default_internal_user = ${id.internalUser}
default_login_user = ${id.loginUser}
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = passwd-file
  args = username_format=%u ${dir}/passwd
  default_fields = uid=${id.uid} gid=${id.gid} home=${dir}/mail/%u
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
`;
}

export async function startDovecot(options: { user?: string; password?: string } = {}): Promise<DovecotServer> {
  const dovecot = findBinary(DOVECOT_CANDIDATES, "dovecot");
  const doveadm = findBinary(DOVEADM_CANDIDATES, "doveadm");
  // Short path: Dovecot's unix sockets live under base_dir (108-byte limit).
  const dir = fs.mkdtempSync(path.join("/tmp", "tl-dovecot-"));
  fs.chmodSync(dir, 0o755); // the unprivileged login and mail processes must reach their folders
  for (const sub of ["run", "state", "log", "mail"]) fs.mkdirSync(path.join(dir, sub));
  const id = mailIdentity();
  fs.chownSync(path.join(dir, "mail"), id.uid, id.gid);
  const user = options.user ?? "archiver";
  const password = options.password ?? `pw-${randomBytes(8).toString("hex")}`;
  fs.writeFileSync(path.join(dir, "passwd"), `${user}:{PLAIN}${password}::::::\n`, { mode: 0o644 });
  const port = await freePort();
  const configFile = path.join(dir, "dovecot.conf");
  fs.writeFileSync(configFile, config(dir, port, id));
  const logFile = path.join(dir, "log", "dovecot.log");

  let child: ChildProcess | null = null;
  const launch = async () => {
    // Its own process group, so that stopping it also ends the IMAP session
    // processes (the master alone leaves them running): a real server restart.
    const started = spawn(dovecot, ["-F", "-c", configFile], { stdio: ["ignore", "pipe", "pipe"], detached: true });
    let stderr = "";
    started.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    started.stdout?.resume();
    const exited = new Promise<never>((_, reject) =>
      started.once("exit", (code) => reject(new Error(`Dovecot exited at start (code ${code}): ${stderr.trim()}`))),
    );
    exited.catch(() => {});
    await Promise.race([waitForGreeting(port, 15_000, logFile), exited]);
    started.removeAllListeners("exit");
    child = started;
  };
  const halt = async () => {
    const running = child;
    child = null;
    if (!running || running.exitCode !== null) return;
    const gone = new Promise<void>((resolve) => running.once("exit", () => resolve()));
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-running.pid!, signal);
      } catch {
        // already gone
      }
    };
    signalGroup("SIGTERM");
    const timer = setTimeout(() => signalGroup("SIGKILL"), 5000);
    await gone;
    clearTimeout(timer);
    signalGroup("SIGKILL"); // session processes that outlived the master
  };

  await launch();
  return {
    host: "127.0.0.1",
    port,
    user,
    password,
    dir,
    configFile,
    async kick(who = user) {
      await run(doveadm, ["-c", configFile, "kick", who]);
    },
    async storedMessages(mailbox, who = user) {
      const fetch = (field: string, search: string[]) =>
        run(doveadm, ["-c", configFile, "fetch", "-u", who, field, "mailbox", mailbox, ...search], { encoding: "buffer", maxBuffer: 64 * 1024 * 1024 });
      const uids = (await fetch("uid", ["all"])).stdout.toString("latin1").match(/\d+/g) ?? [];
      const out: Buffer[] = [];
      for (const uid of uids) {
        const { stdout } = await fetch("text", ["uid", uid]);
        if (stdout.subarray(0, 6).toString("latin1") !== "text:\n") throw new Error(`unexpected doveadm fetch output for UID ${uid}`);
        out.push(stdout.subarray(6));
      }
      return out;
    },
    async restart() {
      await halt();
      await launch();
    },
    async stop() {
      await halt();
      fs.rmSync(dir, { recursive: true, force: true });
    },
    log() {
      return fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : "";
    },
  };
}
