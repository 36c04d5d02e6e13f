// IMAP sync (importer/imap-sync.ts, importer/worker.ts) against a real Dovecot
// started for this file (tests/support/dovecot.ts). Messages are put in place
// with IMAP APPEND through imapflow, like a list subscription would receive them.
import { spawn } from "node:child_process";
import { gunzipSync } from "node:zlib";
import { ImapFlow } from "imapflow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { syncImapList } from "../../importer/imap-sync.ts";
import { importMbox } from "../../importer/mbox-import.ts";
import { writeMbox } from "../../importer/mbox-writer.ts";
import { startImportWorker } from "../../importer/worker.ts";
import { startDovecot, type DovecotServer } from "../support/dovecot";
import { IMAGEMAGICK, REPO, archiveViolations, eml, makeList, mboxMessages, runTsx, tempFile, threadShape } from "./support";

let dovecot: DovecotServer;
let samples: Buffer[] = [];
let mailboxCounter = 0;

beforeAll(async () => {
  dovecot = await startDovecot();
  process.env.TEST_IMAP_PASSWORD = dovecot.password;
  samples = (await mboxMessages(IMAGEMAGICK)).map((m) => m.raw);
}, 60_000);

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
  const name = `list${mailboxCounter}`;
  await withClient((client) => client.mailboxCreate(name));
  return name;
}

async function append(mailbox: string, raws: Buffer[]): Promise<void> {
  await withClient(async (client) => {
    for (const raw of raws) await client.append(mailbox, raw, ["\\Seen"], new Date("2000-06-01T00:00:00Z"));
  });
}

async function imapList(mailbox: string, passwordEnv = "TEST_IMAP_PASSWORD") {
  return makeList({
    sourceType: "imap",
    imapHost: dovecot.host,
    imapPort: String(dovecot.port),
    imapTls: false,
    imapUser: dovecot.user,
    imapPasswordEnv: passwordEnv,
    imapMailbox: mailbox,
  });
}

const fast = { backoffBaseMs: 50, backoffMaxMs: 400, commandTimeoutMs: 15_000, connectTimeoutMs: 10_000 };

async function storedUids(listId: number): Promise<number[]> {
  const rows = await db.mailMessage.findMany({ where: { listId, kind: "message" }, select: { sourceUid: true } });
  return rows.map((r) => Number(r.sourceUid)).sort((a, b) => a - b);
}

describe("IMAP sync against Dovecot", { timeout: 90_000 }, () => {
  it("syncs incrementally by UID: 10, then 3 more, then nothing; a late reply joins its thread", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    await append(mailbox, samples.slice(0, 10));
    const first = await syncImapList(list.slug, fast);
    expect(first).toMatchObject({ status: "succeeded", counters: { fetched: 10, created: 10, duplicates: 0, failed: 0 }, lastUid: 10n, resynced: false });
    const stored = await db.mailingList.findUniqueOrThrow({ where: { id: list.id } });
    expect(stored).toMatchObject({ lastUid: 10n, messageCount: 10, syncLockOwner: null, syncLockedUntil: null });
    expect(stored.uidValidity).not.toBeNull();
    expect(stored.lastSyncedAt).not.toBeNull();

    await append(mailbox, samples.slice(10, 13));
    const second = await syncImapList(list.slug, fast);
    expect(second).toMatchObject({ status: "succeeded", counters: { fetched: 3, created: 3, duplicates: 0 }, lastUid: 13n });
    expect(await db.mailMessage.count({ where: { listId: list.id, kind: "message" } })).toBe(13);
    expect(await storedUids(list.id)).toEqual(Array.from({ length: 13 }, (_, i) => i + 1));
    const row = await db.mailMessage.findFirstOrThrow({ where: { listId: list.id, sourceUid: 11n } });
    expect(row).toMatchObject({ sourceKind: "imap", sourceMailbox: mailbox, sourceUidValidity: stored.uidValidity });

    const third = await syncImapList(list.slug, fast);
    expect(third).toMatchObject({ status: "succeeded", counters: { fetched: 0, created: 0 }, lastUid: 13n });

    // A new message arrives: a reply to the first one.
    const firstRow = await db.mailMessage.findFirstOrThrow({ where: { listId: list.id, sourceUid: 1n } });
    await append(mailbox, [eml({ "Message-ID": "<late-reply@example.org>", "In-Reply-To": `<${firstRow.messageId}>`, Subject: `Re: ${firstRow.subject}`, Date: "Thu, 10 Feb 2000 10:00:00 +0000" })]);
    expect(await syncImapList(list.slug, fast)).toMatchObject({ status: "succeeded", counters: { created: 1 }, lastUid: 14n });
    const reply = await db.mailMessage.findUniqueOrThrow({ where: { listId_messageId: { listId: list.id, messageId: "late-reply@example.org" } } });
    expect(reply).toMatchObject({ parentMessageId: firstRow.messageId, threadId: firstRow.threadId });
    const runs = await db.importRun.findMany({ where: { listId: list.id }, orderBy: { id: "asc" } });
    expect(runs.map((r) => [r.kind, r.status, r.created])).toEqual([["imap", "succeeded", 10], ["imap", "succeeded", 3], ["imap", "succeeded", 0], ["imap", "succeeded", 1]]);
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("resumes without gaps or duplicates when the connection drops or the server restarts mid-sync", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    await append(mailbox, samples.slice(0, 14));
    const committed: bigint[] = [];
    const result = await syncImapList(list.slug, {
      ...fast,
      batchSize: 3,
      onBatch: async ({ batch, lastUid }) => {
        committed.push(lastUid);
        // The recorded position is the one just committed.
        expect((await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).lastUid).toBe(lastUid);
        if (batch === 1) await dovecot.kick(); // the server drops our session
        if (batch === 3) await dovecot.restart(); // the server goes away and comes back
      },
    });
    expect(result).toMatchObject({ status: "succeeded", counters: { created: 14, duplicates: 0, failed: 0 }, lastUid: 14n });
    expect(result.status === "succeeded" && result.reconnects).toBeGreaterThanOrEqual(2);
    expect(committed).toEqual([3n, 6n, 9n, 12n, 14n]);
    expect(await storedUids(list.id)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("reads the mailbox again when UIDVALIDITY changes, and de-duplicates by Message-ID", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    await append(mailbox, samples.slice(20, 28));
    expect(await syncImapList(list.slug, fast)).toMatchObject({ status: "succeeded", counters: { created: 8 } });
    const before = await db.mailingList.findUniqueOrThrow({ where: { id: list.id } });
    const shape = await threadShape(list.id);

    await withClient(async (client) => {
      await client.mailboxDelete(mailbox);
      await client.mailboxCreate(mailbox);
    });
    await append(mailbox, samples.slice(20, 28));
    const result = await syncImapList(list.slug, fast);
    expect(result).toMatchObject({ status: "succeeded", resynced: true, counters: { fetched: 8, created: 0, duplicates: 8 }, lastUid: 8n });
    const after = await db.mailingList.findUniqueOrThrow({ where: { id: list.id } });
    expect(after.uidValidity).not.toBe(before.uidValidity);
    expect(after).toMatchObject({ messageCount: before.messageCount, threadCount: before.threadCount, lastUid: 8n });
    expect(await threadShape(list.id)).toEqual(shape);
  });

  it("adds nothing when a mailbox's messages come back in an mbox export, an id-less one included", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    const idless = eml({ From: "Ann <ann@example.org>", Subject: "no Message-ID", Date: "Thu, 1 Jun 2000 10:00:00 +0000" }, "Sent by a client that sets none.\n");
    await append(mailbox, [idless, samples[0]!]);
    expect(await syncImapList(list.slug, fast)).toMatchObject({ status: "succeeded", counters: { created: 2 } });
    const synced = await db.mailMessage.findFirstOrThrow({ where: { listId: list.id, messageIdSynthetic: true }, include: { raw: true } });
    expect(gunzipSync(synced.raw!.gz).includes("\r\n")).toBe(true); // IMAP hands out CRLF

    // The server's own copies (LF), written as an mbox file and imported into the same list.
    const exported = await dovecot.storedMessages(mailbox);
    expect(exported).toHaveLength(2);
    expect(exported.some((raw) => raw.includes("\r\n"))).toBe(false);
    const file = tempFile("export.mbox", writeMbox(exported.map((raw) => ({ raw }))));
    const reimport = await importMbox(list, file);
    expect(reimport.counters).toMatchObject({ fetched: 2, created: 0, duplicates: 2, failed: 0 });
    const rows = await db.mailMessage.findMany({ where: { listId: list.id, kind: "message" }, select: { messageId: true, publicId: true } });
    expect(rows).toHaveLength(2);
    expect(rows).toContainEqual({ messageId: synced.messageId, publicId: synced.publicId });
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("keeps malformed and oversize messages as import failures and archives the others", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    const garbage = Buffer.from("this line is not a header\r\nneither is this one\r\n\r\nbody\r\n");
    const good = (n: number) => eml({ "Message-ID": `<good${n}@example.org>`, Subject: `good ${n}`, Date: "Thu, 1 Jun 2000 10:00:00 +0000" });
    const huge = eml({ "Message-ID": "<huge@example.org>", Subject: "huge" }, `${"0123456789".repeat(400)}\n`);
    await append(mailbox, [good(1), garbage, good(3), huge, good(5)]);
    // Tiny limits: every message is fetched on its own, the 4 KB one is too big.
    const result = await syncImapList(list.slug, { ...fast, maxMessageBytes: 3000, maxFetchBytes: 100 });
    expect(result).toMatchObject({ status: "succeeded", counters: { fetched: 5, created: 3, failed: 2 }, lastUid: 5n });
    const runId = result.status === "succeeded" ? result.runId : -1;
    const failures = await db.importFailure.findMany({ where: { listId: list.id }, orderBy: { id: "asc" } });
    expect(failures.map((f) => [f.reason, f.runId, f.gz === null])).toEqual([
      ["headers could not be parsed", runId, false],
      ["message is larger than 3 KB", runId, true],
    ]);
    expect(failures[0]!.source).toMatch(new RegExp(`^imap:${mailbox};UIDVALIDITY=\\d+;UID=2$`));
    expect(failures[1]!.source).toMatch(/;UID=4$/);
    expect(await db.importRun.findUniqueOrThrow({ where: { id: runId } })).toMatchObject({ fetched: 5, created: 3, failed: 2 });
    expect(await storedUids(list.id)).toEqual([1, 3, 5]);
  });

  it("says clearly when the password variable is not set", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox, "THREADLINE_TEST_UNSET_PASSWORD");
    delete process.env.THREADLINE_TEST_UNSET_PASSWORD;
    const result = await syncImapList(list.slug, fast);
    expect(result.status).toBe("failed");
    const error = result.status === "failed" ? result.error : "";
    expect(error).toContain("THREADLINE_TEST_UNSET_PASSWORD");
    expect(error).toContain("not set");
    expect(await db.importRun.findFirstOrThrow({ where: { listId: list.id } })).toMatchObject({ status: "failed", error });
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ syncLockOwner: null });

    const cli = await runTsx("importer/cli.ts", ["imap", list.slug]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain(`${list.slug}: FAILED: The IMAP password for list "${list.slug}" is read from the environment variable THREADLINE_TEST_UNSET_PASSWORD, which is not set.`);

  });

  it("lets only one of two concurrent syncs of a list run; a stale lock is taken over", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    await append(mailbox, samples.slice(0, 6));
    const [a, b] = await Promise.all([
      syncImapList(list.slug, { ...fast, owner: "worker-a", batchSize: 2 }),
      syncImapList(list.slug, { ...fast, owner: "worker-b", batchSize: 2 }),
    ]);
    expect([a.status, b.status].sort()).toEqual(["locked", "succeeded"]);
    const locked = a.status === "locked" ? a : b;
    expect(locked).toMatchObject({ lockedBy: a.status === "locked" ? "worker-b" : "worker-a" });
    expect(await db.mailMessage.count({ where: { listId: list.id, kind: "message" } })).toBe(6);
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ syncLockOwner: null, syncLockedUntil: null });

    // A worker that died left its lock behind: once expired, it is taken over.
    await db.mailingList.update({ where: { id: list.id }, data: { syncLockOwner: "dead-worker", syncLockedUntil: new Date(Date.now() + 60_000) } });
    expect(await syncImapList(list.slug, { ...fast, owner: "worker-c" })).toMatchObject({ status: "locked", lockedBy: "dead-worker" });
    await db.mailingList.update({ where: { id: list.id }, data: { syncLockedUntil: new Date(Date.now() - 1000) } });
    expect(await syncImapList(list.slug, { ...fast, owner: "worker-c" })).toMatchObject({ status: "succeeded" });
  });

  it("runs from the scheduled worker and from `npm run import -- imap --all`, and stops cleanly", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    // Lists from earlier tests whose passwords are unset would fail: switch them off.
    await db.mailingList.updateMany({ where: { id: { not: list.id } }, data: { active: false } });
    await append(mailbox, samples.slice(0, 4));
    let rounds = 0;
    let roundDone!: () => void;
    const firstRound = new Promise<void>((resolve) => (roundDone = resolve));
    const stop = startImportWorker({
      intervalMs: 60_000,
      syncOptions: fast,
      onRound: () => {
        rounds += 1;
        roundDone();
      },
    });
    await firstRound;
    await stop(); // resolves once idle; no second round is scheduled
    expect(rounds).toBe(1);
    expect(await db.mailMessage.count({ where: { listId: list.id, kind: "message" } })).toBe(4);

    await append(mailbox, samples.slice(4, 6));
    const cli = await runTsx("importer/cli.ts", ["imap", "--all"]);
    expect(cli.code).toBe(0);
    expect(cli.stdout).toContain(`${list.slug}: 2 fetched, 2 new, 0 already archived, 0 skipped, 0 failed; last UID 6.`);
    expect(await db.mailMessage.count({ where: { listId: list.id, kind: "message" } })).toBe(6);
  });

  it("`npm run worker` polls, syncs, and exits cleanly on SIGTERM", async () => {
    const mailbox = await newMailbox();
    const list = await imapList(mailbox);
    await db.mailingList.updateMany({ where: { id: { not: list.id } }, data: { active: false } });
    await append(mailbox, samples.slice(0, 3));
    const child = spawn(process.execPath, ["--import", "tsx", "importer/worker.ts"], {
      cwd: REPO,
      env: { ...process.env, LOG_LEVEL: "info", IMPORT_POLL_MINUTES: "0.02" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && (await db.mailMessage.count({ where: { listId: list.id, kind: "message" } })) < 3) await new Promise((r) => setTimeout(r, 100));
    await append(mailbox, samples.slice(3, 4)); // picked up by a later round
    while (Date.now() < deadline && (await db.mailMessage.count({ where: { listId: list.id, kind: "message" } })) < 4) await new Promise((r) => setTimeout(r, 100));
    expect(await db.mailMessage.count({ where: { listId: list.id, kind: "message" } })).toBe(4);
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ syncLockOwner: null });
    // Logs name the list and counts, never senders or subjects.
    expect(output).toContain(`"list":"${list.slug}"`);
    expect(output).toContain("import worker stopped");
    expect(output).not.toMatch(/@|Subject:|ImageMagick/); // (slow-query warnings may name the subject column)
  });

  // Last: Dovecot slows down further logins from an address after a failed one.
  it("does not retry a missing mailbox or a wrong password", async () => {
    const missing = await imapList("NoSuchMailbox");
    expect(await syncImapList(missing.slug, fast)).toMatchObject({ status: "failed", reconnects: 0, error: 'The mailbox "NoSuchMailbox" does not exist on the IMAP server.' });

    const mailbox = await newMailbox();
    process.env.THREADLINE_TEST_WRONG_PASSWORD = "not the password";
    const wrong = await imapList(mailbox, "THREADLINE_TEST_WRONG_PASSWORD");
    const started = Date.now();
    const denied = await syncImapList(wrong.slug, fast);
    expect(denied).toMatchObject({ status: "failed", reconnects: 0 });
    expect(denied.status === "failed" && denied.error).toMatch(/auth/i);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(await db.importRun.findFirstOrThrow({ where: { listId: wrong.id } })).toMatchObject({ status: "failed" });

  });
});
