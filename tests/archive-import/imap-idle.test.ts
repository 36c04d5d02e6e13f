// IMAP IDLE in the import worker (importer/imap-idle.ts, importer/worker.ts)
// against a real Dovecot started for this file. The poll interval is an hour,
// so only IDLE can explain mail arriving in the archive within seconds.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ImapFlow } from "imapflow";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { db } from "~/utils/db.server";
import { backoffDelay, IdleWatchers, throttleDelayOf, type IdleStateEvent } from "../../importer/imap-idle.ts";
import type { ImapSyncResult } from "../../importer/imap-sync.ts";
import { startImportWorker, type ImportWorkerOptions } from "../../importer/worker.ts";
import { startDovecot, type DovecotServer } from "../support/dovecot";
import { eml, makeList } from "./support";

const run = promisify(execFile);

let dovecot: DovecotServer;
let mailboxCounter = 0;
let messageCounter = 0;
let stopWorker: (() => Promise<void>) | null = null;

beforeAll(async () => {
  dovecot = await startDovecot();
  process.env.TEST_IMAP_PASSWORD = dovecot.password;
}, 60_000);

afterEach(async () => {
  await stopWorker?.();
  stopWorker = null;
});

afterAll(async () => {
  await dovecot?.stop();
});

async function withClient<T>(fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
    disableAutoIdle: true,
  });
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.logout().catch(() => client.close());
  }
}

async function newMailbox(): Promise<string> {
  mailboxCounter += 1;
  const name = `idle${mailboxCounter}`;
  await withClient((client) => client.mailboxCreate(name));
  return name;
}

function message(): Buffer {
  messageCounter += 1;
  return eml({ "Message-ID": `<idle-${messageCounter}@example.org>`, Subject: `idle test ${messageCounter}`, Date: "Thu, 1 Jun 2000 10:00:00 +0000" });
}

async function append(mailbox: string, count: number): Promise<void> {
  await withClient(async (client) => {
    for (let i = 0; i < count; i++) await client.append(mailbox, message(), ["\\Seen"]);
  });
}

/** An active IMAP list; every other list is switched off so the worker sees only this account's lists. */
async function imapList(mailbox: string, keepActive: number[] = []) {
  const list = await makeList({
    sourceType: "imap",
    imapHost: dovecot.host,
    imapPort: String(dovecot.port),
    imapTls: false,
    imapUser: dovecot.user,
    imapPasswordEnv: "TEST_IMAP_PASSWORD",
    imapMailbox: mailbox,
  });
  await db.mailingList.updateMany({ where: { id: { notIn: [list.id, ...keepActive] } }, data: { active: false } });
  return list;
}

const archived = (listId: number) => db.mailMessage.count({ where: { listId, kind: "message" } });

async function waitFor(what: string, check: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** IMAP sessions Dovecot has open for the test user. */
async function serverSessions(): Promise<number> {
  const { stdout } = await run("/usr/bin/doveadm", ["-c", dovecot.configFile, "who", "-1", dovecot.user]).catch(() => ({ stdout: "" }));
  return stdout.split("\n").filter((line) => line.trim().startsWith(dovecot.user)).length;
}

const openSockets = () => process.getActiveResourcesInfo().filter((kind) => kind === "TCPSocketWrap").length;

/** Starts a worker with IDLE on and an hourly poll, and waits until the first round is done and IDLE is running. */
async function startWorker(overrides: ImportWorkerOptions = {}) {
  const states: IdleStateEvent[] = [];
  const idleSyncs: ImapSyncResult[] = [];
  let rounds = 0;
  stopWorker = startImportWorker({
    intervalMs: 60 * 60_000,
    idle: true,
    idleDebounceMs: 400,
    syncOptions: { backoffBaseMs: 50, backoffMaxMs: 400, commandTimeoutMs: 15_000, connectTimeoutMs: 10_000 },
    onRound: () => (rounds += 1),
    onIdleSync: (result) => idleSyncs.push(result),
    ...overrides,
    idleOptions: { backoffBaseMs: 100, backoffMaxMs: 500, connectTimeoutMs: 5000, ...overrides.idleOptions, onState: (event) => states.push(event) },
  });
  await waitFor("the first round", () => rounds === 1);
  if (overrides.idle !== false) await waitFor("IDLE", () => states.at(-1)?.state === "idling");
  return { states, idleSyncs, rounds: () => rounds, stop: stopWorker };
}

const created = (results: ImapSyncResult[]) => results.reduce((sum, r) => sum + (r.status === "succeeded" ? r.counters.created : 0), 0);

describe("IMAP IDLE in the import worker", { timeout: 30_000 }, () => {
  it("archives a new message within seconds although the next poll is an hour away", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    await append(mailbox, 2);
    const worker = await startWorker();
    expect(await archived(list.id)).toBe(2); // by the first round
    expect(worker.states.at(-1)).toEqual({ slugs: [list.slug], mailbox, state: "idling" });

    const sent = Date.now();
    await append(mailbox, 1);
    await waitFor("the new message", async () => (await archived(list.id)) === 3, 5000);
    expect(Date.now() - sent).toBeLessThan(4000);
    await waitFor("the sync to finish", () => worker.idleSyncs.length === 1);
    expect(worker.rounds()).toBe(1);
    expect(worker.idleSyncs).toMatchObject([{ status: "succeeded", slug: list.slug, counters: { created: 1 } }]);
  });

  it("turns a burst of five messages into one sync (two at most)", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    const worker = await startWorker();
    await append(mailbox, 5);
    await waitFor("the burst", async () => (await archived(list.id)) === 5, 6000);
    await new Promise((r) => setTimeout(r, 600)); // a second debounce window, had there been one
    expect(worker.idleSyncs.length).toBeGreaterThanOrEqual(1);
    expect(worker.idleSyncs.length).toBeLessThanOrEqual(2);
    expect(created(worker.idleSyncs)).toBe(5);
    expect(worker.rounds()).toBe(1);
  });

  it("logs out of the IDLE connection when the worker stops: no session or socket is left", async () => {
    const mailbox = await newMailbox();
    await imapList(mailbox);
    await waitFor("earlier connections to close", () => openSockets() === 0, 2000);
    const worker = await startWorker();
    expect(await serverSessions()).toBe(1);
    expect(openSockets()).toBe(1);

    const started = Date.now();
    await worker.stop();
    stopWorker = null;
    expect(Date.now() - started).toBeLessThan(1500);
    expect(worker.states.at(-1)?.state).toBe("stopped");
    await waitFor("Dovecot to end the session", async () => (await serverSessions()) === 0, 3000);
    await waitFor("the socket to close", () => openSockets() === 0, 1000);
  });

  it("reconnects when the server drops the session, and when it restarts; mail still arrives", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    const worker = await startWorker();

    const idlingCount = () => worker.states.filter((s) => s.state === "idling").length;
    await dovecot.kick();
    await waitFor("IDLE after the kick", () => idlingCount() === 2);
    expect(worker.states.map((s) => s.state)).toEqual(["connecting", "idling", "waiting", "connecting", "idling"]);
    await append(mailbox, 1);
    await waitFor("mail after the kick", async () => (await archived(list.id)) === 1, 5000);

    await dovecot.restart();
    await waitFor("IDLE after the restart", () => idlingCount() === 3, 15_000);
    await append(mailbox, 1);
    await waitFor("mail after the restart", async () => (await archived(list.id)) === 2, 5000);
    expect(worker.rounds()).toBe(1);
    expect(await serverSessions()).toBe(1);
  });

  it("syncs mail that arrived while the connection was down, once it is back", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    // A slow reconnect leaves time for mail to arrive while nothing watches.
    const worker = await startWorker({ idleOptions: { backoffBaseMs: 1500, backoffMaxMs: 1500 } });
    await dovecot.kick();
    await waitFor("the drop", () => worker.states.at(-1)?.state === "waiting");
    await append(mailbox, 2);
    await waitFor("the missed mail", async () => (await archived(list.id)) === 2, 6000);
    expect(worker.rounds()).toBe(1);
  });

  it("keeps one connection per account: a second mailbox on the account is left to the poll, a second list on the watched mailbox is synced too", async () => {
    const watchedMailbox = await newMailbox();
    const otherMailbox = await newMailbox();
    const first = await imapList(watchedMailbox);
    const sameMailbox = await imapList(watchedMailbox, [first.id]);
    const other = await imapList(otherMailbox, [first.id, sameMailbox.id]);
    const worker = await startWorker();
    expect(await serverSessions()).toBe(1);
    expect(worker.states.at(-1)).toEqual({ slugs: [first.slug, sameMailbox.slug], mailbox: watchedMailbox, state: "idling" });

    await append(otherMailbox, 1);
    await append(watchedMailbox, 1);
    await waitFor("the watched mailbox's mail", async () => (await archived(first.id)) === 1 && (await archived(sameMailbox.id)) === 1, 5000);
    await waitFor("both syncs to finish", () => worker.idleSyncs.length === 2);
    expect(await archived(other.id)).toBe(0); // until the next poll
    expect(worker.idleSyncs.map((r) => r.slug).sort()).toEqual([first.slug, sameMailbox.slug].sort());
  });

  it("restarts IDLE on the same connection every reidleMs, and mail still arrives", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    // write() is how imapflow puts a command on the wire (not in its public types).
    const write = vi.spyOn(ImapFlow.prototype as unknown as { write(chunk: unknown): void }, "write");
    let worker: Awaited<ReturnType<typeof startWorker>>;
    try {
      worker = await startWorker({ idleOptions: { reidleMs: 150 } });
      await new Promise((r) => setTimeout(r, 700));
      // Each restart ends the running IDLE with DONE.
      expect(write.mock.calls.filter(([chunk]) => chunk === "DONE").length).toBeGreaterThanOrEqual(3);
    } finally {
      write.mockRestore();
    }
    await append(mailbox, 1);
    await waitFor("the new message", async () => (await archived(list.id)) === 1, 5000);
    expect(worker.states.map((s) => s.state)).toEqual(["connecting", "idling"]); // never reconnected
    expect(await serverSessions()).toBe(1);
  });

  it("follows list changes at the next refresh: another mailbox, or no list at all, closes the old connection first", async () => {
    const first = await newMailbox();
    const second = await newMailbox();
    const list = await imapList(first);
    const states: IdleStateEvent[] = [];
    const woken: number[][] = [];
    const watchers = new IdleWatchers({ onNewMail: (ids) => woken.push(ids), onState: (event) => states.push(event) });
    try {
      await watchers.refresh();
      await waitFor("IDLE on the first mailbox", () => states.at(-1)?.state === "idling");
      await db.mailingList.update({ where: { id: list.id }, data: { imapMailbox: second } });
      await watchers.refresh();
      await waitFor("IDLE on the second mailbox", () => states.at(-1)?.mailbox === second && states.at(-1)?.state === "idling");
      expect(states.map((s) => `${s.mailbox} ${s.state}`)).toEqual([`${first} connecting`, `${first} idling`, `${first} stopped`, `${second} connecting`, `${second} idling`]);
      expect(await serverSessions()).toBe(1);
      await append(second, 1);
      await waitFor("the wake-up", () => woken.length === 1);
      expect(woken).toEqual([[list.id]]);

      await db.mailingList.update({ where: { id: list.id }, data: { active: false } });
      await watchers.refresh();
      expect(states.at(-1)).toMatchObject({ mailbox: second, state: "stopped" });
      await waitFor("Dovecot to end the session", async () => (await serverSessions()) === 0, 3000);
    } finally {
      await watchers.stop();
    }
  });

  it("only polls when IDLE is off", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    const worker = await startWorker({ idle: false });
    expect(await serverSessions()).toBe(0);
    await append(mailbox, 1);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await archived(list.id)).toBe(0);
    expect(worker.states).toEqual([]);
    expect(worker.idleSyncs).toEqual([]);
  });

  it("backs off exponentially with jitter, and longer when the server throttles", () => {
    expect(backoffDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, 60_000, () => 1)).toBe(1000);
    expect(backoffDelay(4, 1000, 60_000, () => 1)).toBe(8000);
    expect(backoffDelay(20, 1000, 60_000, () => 1)).toBe(60_000);
    expect(throttleDelayOf(Object.assign(new Error("x"), { code: "ETHROTTLE", throttleReset: 90_000 }), undefined, 60_000)).toBe(90_000);
    expect(throttleDelayOf(Object.assign(new Error("x"), { serverResponseCode: "UNAVAILABLE", authenticationFailed: true }), undefined, 60_000)).toBe(60_000);
    expect(throttleDelayOf(new Error("closed"), "Too many simultaneous connections", 60_000)).toBe(60_000);
    expect(throttleDelayOf(Object.assign(new Error("x"), { authenticationFailed: true, serverResponseCode: "AUTHENTICATIONFAILED" }), undefined, 60_000)).toBe(0);
  });
});
