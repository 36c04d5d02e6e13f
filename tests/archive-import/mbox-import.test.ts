// `npm run import -- mbox` (importer/cli.ts, importer/mbox-import.ts), run as a
// child process against this file's database, plus the mbox import API for
// the cases the CLI does not expose (message size limit).
import { spawn } from "node:child_process";
import fs from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { db } from "~/utils/db.server";
import { importMbox } from "../../importer/mbox-import.ts";
import { writeMbox } from "../../importer/mbox-writer.ts";
import {
  IMAGEMAGICK,
  PONYMAIL_2019,
  PONYMAIL_2022,
  PONYMAIL_TESTS,
  REPO,
  archiveViolations,
  exportListMbox,
  makeList,
  mboxMessages,
  runTsx,
  tempFile,
  threadShape,
} from "./support";

const importCli = (...args: string[]) => runTsx("importer/cli.ts", args);

async function messageIds(listId: number): Promise<string[]> {
  const rows = await db.mailMessage.findMany({ where: { listId, kind: "message" }, select: { messageId: true } });
  return rows.map((r) => r.messageId).sort();
}

describe("npm run import -- mbox", { timeout: 120_000 }, () => {
  it("imports real list archives with their threads, and a second run adds nothing", async () => {
    const list = await makeList();
    const first = await importCli("mbox", PONYMAIL_2019, "--list", list.slug);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/4 messages read, 4 new, 0 already archived, 0 skipped \(X-No-Archive\), 0 failed \(import run \d+\)\./);
    const second = await importCli("mbox", PONYMAIL_2022, "--list", list.slug);
    expect(second.code).toBe(0);

    const threads = await db.mailThread.findMany({ where: { listId: list.id }, orderBy: { firstAt: "asc" } });
    expect(threads.map((t) => [t.subject, t.messageCount, t.missingCount])).toEqual([
      ["How do I search the Apache-wide announce mailing list?", 4, 0],
      ["External search form", 3, 0],
      ["How can I see attachments?", 3, 0],
    ]);
    // Folded In-reply-to / References / Message-ID headers ("Header:" then the id on the next line).
    const folded = await db.mailMessage.findUniqueOrThrow({
      where: { listId_messageId: { listId: list.id, messageId: "pony-79a78de0-1ff7-464a-a6b9-996ecbd34813-users@ponymail.apache.org" } },
    });
    expect(folded).toMatchObject({ parentMessageId: "CAOqetn9H_th-AuTrLQ9R=NS5MxbiCchSiMon2RFMCHqW9qYTHQ@mail.gmail.com", claimsParent: true, inferredParent: false });
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 10, threadCount: 3 });
    expect(await archiveViolations(list.id)).toEqual([]);

    const shapeBefore = await threadShape(list.id);
    const again = await importCli("mbox", PONYMAIL_2022, "--list", list.slug);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("6 messages read, 0 new, 6 already archived");
    expect(await threadShape(list.id)).toEqual(shapeBefore);
    const run = await db.importRun.findFirstOrThrow({ where: { listId: list.id }, orderBy: { id: "desc" } });
    expect(run).toMatchObject({ kind: "mbox", source: "mbox:users_ponymail_apache_org_2022-01.mbox", status: "succeeded", fetched: 6, created: 0, duplicates: 6, failed: 0 });
    expect(run.finishedAt).not.toBeNull();
  });

  it("keeps the raw bytes, and an exported mbox (mboxrd, ownership preamble) re-imports to the same archive", async () => {
    const list = await makeList();
    for (const file of [IMAGEMAGICK, PONYMAIL_TESTS]) {
      const result = await importMbox(list, file);
      expect(result.status).toBe("succeeded");
    }
    // Byte-exact raw copies (tests.mbox has ">From" and ">>From" body lines).
    for (const file of [IMAGEMAGICK, PONYMAIL_TESTS]) {
      for (const entry of await mboxMessages(file)) {
        const rows = await db.mailMessage.findMany({ where: { listId: list.id, sourceFile: file.split("/").pop(), sourceOffset: BigInt(entry.offset) }, include: { raw: true } });
        expect(rows).toHaveLength(1);
        expect(gunzipSync(rows[0]!.raw!.gz).equals(entry.raw)).toBe(true);
      }
    }
    const stored = await db.mailingList.findUniqueOrThrow({ where: { id: list.id } });

    const exported = await exportListMbox(list.id);
    expect(exported.toString("utf8").startsWith("# The List ")).toBe(true);
    const file = tempFile("export.mbox", exported);
    const copy = await makeList();
    // No --format: the "#" preamble marks our own (mboxrd) downloads.
    const result = await importCli("mbox", file, "--list", copy.slug);
    expect(result.code).toBe(0);
    expect(await db.importFailure.count({ where: { listId: copy.id } })).toBe(0);
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: copy.id } })).toMatchObject({
      messageCount: stored.messageCount,
      threadCount: stored.threadCount,
    });
    expect(await messageIds(copy.id)).toEqual(await messageIds(list.id));
    expect(await threadShape(copy.id)).toEqual(await threadShape(list.id));
    // Every message that ended with a line break comes back byte for byte.
    const originals = await db.mailMessage.findMany({ where: { listId: list.id, kind: "message" }, include: { raw: true } });
    for (const original of originals) {
      const twin = await db.mailMessage.findUniqueOrThrow({ where: { listId_messageId: { listId: copy.id, messageId: original.messageId } }, include: { raw: true } });
      const bytes = gunzipSync(original.raw!.gz);
      if (bytes[bytes.length - 1] === 0x0a) expect(gunzipSync(twin.raw!.gz).equals(bytes), original.messageId).toBe(true);
    }
  });

  it("reads gzip-compressed files, and keeps text before the first message aside unless it is a # preamble", async () => {
    const list = await makeList();
    const gz = tempFile("magick.mbox.gz", gzipSync(fs.readFileSync(IMAGEMAGICK)));
    const result = await importCli("mbox", gz, "--list", list.slug);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("45 messages read, 45 new");

    const two = writeMbox([
      { raw: Buffer.from("Message-ID: <one@x>\nSubject: one\n\nbody\n"), date: new Date("2021-01-01T00:00:00Z") },
      { raw: Buffer.from("Message-ID: <two@x>\nSubject: two\n\nFrom the start\n"), date: new Date("2021-01-02T00:00:00Z") },
    ]);
    const withJunk = await makeList();
    const junkFile = tempFile("junk.mbox", Buffer.concat([Buffer.from("Some notes someone pasted here.\n\n"), two]));
    expect((await importCli("mbox", junkFile, "--list", withJunk.slug, "--format", "mboxrd")).code).toBe(0);
    expect(await messageIds(withJunk.id)).toEqual(["one@x", "two@x"]);
    expect(await db.importFailure.findMany({ where: { listId: withJunk.id }, select: { reason: true, source: true } })).toEqual([
      { reason: "text before the first message", source: "mbox:junk.mbox@0" },
    ]);

    const withPreamble = await makeList();
    const preambleFile = tempFile("preamble.mbox", Buffer.concat([Buffer.from("# Exported from somewhere.\n# Second comment line.\n\n"), two]));
    expect((await importCli("mbox", preambleFile, "--list", withPreamble.slug, "--format", "mboxrd")).code).toBe(0);
    expect(await messageIds(withPreamble.id)).toEqual(["one@x", "two@x"]);
    expect(await db.importFailure.count({ where: { listId: withPreamble.id } })).toBe(0);
    const body = await db.mailMessage.findFirstOrThrow({ where: { listId: withPreamble.id, messageId: "two@x" } });
    expect(body.textBody).toBe("From the start\n"); // un-escaped
  });

  it("records oversize messages and X-No-Archive skips in the run", async () => {
    const list = await makeList();
    const big = Buffer.from(`Message-ID: <big@x>\nSubject: big\n\n${"x".repeat(3000)}\n`);
    const file = tempFile("mixed.mbox", writeMbox([
      { raw: Buffer.from("Message-ID: <small@x>\nSubject: small\n\nhi\n") },
      { raw: big },
      { raw: Buffer.from("Message-ID: <private@x>\nX-No-Archive: yes\nSubject: private\n\nsecret\n") },
    ]));
    const result = await importMbox(list, file, { format: "mboxrd", maxMessageBytes: 2048 });
    expect(result).toMatchObject({ status: "succeeded", counters: { fetched: 3, created: 1, failed: 1, skipped: 1 } });
    expect(await db.importRun.findUniqueOrThrow({ where: { id: result.runId } })).toMatchObject({ fetched: 3, created: 1, failed: 1, skipped: 1, duplicates: 0 });
    const failure = await db.importFailure.findFirstOrThrow({ where: { listId: list.id } });
    expect(failure.reason).toBe("message is larger than 2 KB");
    expect(failure.gz).toBeNull();
    expect(failure.size).toBeGreaterThan(3000);
    expect(await messageIds(list.id)).toEqual(["small@x"]);
    // Run again: the failure is not recorded twice.
    await importMbox(list, file, { format: "mboxrd", maxMessageBytes: 2048 });
    expect(await db.importFailure.count({ where: { listId: list.id } })).toBe(1);
  });

  it("fails with exit code 1 for an unreadable file or an unknown list, 2 for bad usage", async () => {
    const list = await makeList();
    const missing = await importCli("mbox", "/nonexistent/archive.mbox", "--list", list.slug);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("Cannot read /nonexistent/archive.mbox: no such file.");
    const unknown = await importCli("mbox", IMAGEMAGICK, "--list", "no-such-list");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no archived list "no-such-list".');
    const corrupt = tempFile("corrupt.mbox.gz", gzipSync(fs.readFileSync(IMAGEMAGICK)).subarray(0, 4000));
    const broken = await importCli("mbox", corrupt, "--list", list.slug);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toContain("The import stopped:");
    expect(await db.importRun.findFirst({ where: { listId: list.id }, orderBy: { id: "desc" } })).toMatchObject({ status: "failed" });
    const usage = await importCli("mbox", IMAGEMAGICK);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("mbox needs --list <slug>.");
    const format = await importCli("mbox", IMAGEMAGICK, "--list", list.slug, "--format", "maildir");
    expect(format.code).toBe(2);
  });

  it("survives kill -9 in the middle of an import: the rerun completes it, nothing lost or doubled", async () => {
    const N = 1500;
    const messages = Array.from({ length: N }, (_, i) => {
      const thread = Math.floor(i / 5);
      const k = i % 5;
      const refs = Array.from({ length: k }, (_, j) => `<t${thread}.m${j}@gen.example>`);
      const headers = [
        `From: Member ${i % 37} <member${i % 37}@gen.example>`,
        `Subject: ${k ? "Re: " : ""}Topic ${thread}`,
        `Date: ${new Date(Date.UTC(2020, 0, 1) + i * 3_600_000).toUTCString()}`,
        `Message-ID: <t${thread}.m${k}@gen.example>`,
        ...(k ? [`In-Reply-To: ${refs[k - 1]}`, `References: ${refs.join(" ")}`] : []),
      ];
      return { raw: Buffer.from(`${headers.join("\n")}\n\nMessage ${i}.\n${"Words about the topic. ".repeat(30)}\n`), date: new Date(Date.UTC(2020, 0, 1) + i * 3_600_000) };
    });
    const file = tempFile("big.mbox", writeMbox(messages));
    const list = await makeList();

    const child = spawn("npx", ["tsx", "importer/cli.ts", "mbox", file, "--list", list.slug], {
      cwd: REPO,
      env: { ...process.env, LOG_LEVEL: "silent" },
      stdio: "ignore",
      detached: true, // its own process group: npx, tsx and node die together
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 60_000;
    let stored = 0;
    while (Date.now() < deadline) {
      stored = await db.mailMessage.count({ where: { listId: list.id, kind: "message" } });
      if (stored >= 100) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    process.kill(-child.pid!, "SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const afterKill = await db.mailMessage.count({ where: { listId: list.id, kind: "message" } });
    expect(afterKill).toBeGreaterThanOrEqual(100);
    expect(afterKill).toBeLessThan(N); // really killed in the middle
    expect(await archiveViolations(list.id)).toEqual([]); // whole messages only, counters consistent

    const rerun = await importCli("mbox", file, "--list", list.slug);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toContain(`${N} messages read, ${N - afterKill} new, ${afterKill} already archived`);

    const clean = await makeList();
    expect((await importMbox(clean, file)).counters.created).toBe(N);
    expect(await messageIds(list.id)).toEqual(await messageIds(clean.id));
    expect(await threadShape(list.id)).toEqual(await threadShape(clean.id));
    expect(await db.mailRaw.count({ where: { message: { listId: list.id } } })).toBe(N);
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: N, threadCount: N / 5 });
    expect(await archiveViolations(list.id)).toEqual([]);
    const runs = await db.importRun.findMany({ where: { listId: list.id }, orderBy: { id: "asc" } });
    expect(runs.map((r) => r.status)).toEqual(["failed", "succeeded"]);
    expect(runs[0]!.error).toMatch(/^interrupted/);
  });
});
