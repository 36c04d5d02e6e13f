// The batched writer (app/archive/ingest-bulk.server.ts) and the parse worker
// pipeline (importer/mbox-import.ts, importer/parse-pool.ts) against the
// one-message-at-a-time path: same rows, same threads, same counters, whatever
// the batch boundaries, and the rare cases handed to the per-message path in
// the middle of a batch.
import { describe, expect, it } from "vitest";
import { ingestBatch, type IngestItem } from "~/archive/ingest.server";
import { db } from "~/utils/db.server";
import { importMbox } from "../../importer/mbox-import.ts";
import { IMAGEMAGICK, PONYMAIL_ATTACHMENTS, archiveViolations, eml, fixture, makeList, mboxMessages, parentMap, threadShape } from "./support";

const manual = { kind: "manual" as const };

async function rowsOf(listId: number) {
  const rows = await db.mailMessage.findMany({
    where: { listId },
    orderBy: { messageId: "asc" },
    select: {
      messageId: true,
      publicId: true,
      kind: true,
      parentMessageId: true,
      claimsParent: true,
      inferredParent: true,
      subject: true,
      textBody: true,
      htmlBody: true,
      date: true,
      rawSha256: true,
      hiddenAt: true,
      sourceKind: true,
      sourceFile: true,
      sourceOffset: true,
      attachments: { select: { position: true, filename: true, sha256: true, size: true }, orderBy: { position: "asc" } },
    },
  });
  return rows.map(({ hiddenAt, ...row }) => ({ ...row, hidden: hiddenAt !== null }));
}

async function countersOf(listId: number) {
  const list = await db.mailingList.findUniqueOrThrow({ where: { id: listId }, select: { messageCount: true, threadCount: true, lastMessageAt: true } });
  const threads = await db.mailThread.findMany({
    where: { listId },
    orderBy: { publicId: "asc" },
    select: { publicId: true, subject: true, messageCount: true, missingCount: true, firstAt: true, lastAt: true },
  });
  return { list, threads };
}

async function outboxIds(listId: number): Promise<number[]> {
  const rows = await db.mailMessage.findMany({ where: { listId }, select: { id: true } });
  const ids = new Set(rows.map((r) => r.id));
  const entries = await db.searchOutbox.findMany({ where: { kind: "mail" }, select: { targetId: true } });
  return entries.map((e) => e.targetId).filter((id) => ids.has(id)).sort((a, b) => a - b);
}

describe("batched import", { timeout: 120_000 }, () => {
  it("stores the same archive with parse workers and odd batch sizes as one message per transaction", async () => {
    for (const file of [IMAGEMAGICK, PONYMAIL_ATTACHMENTS, fixture("dovecot-imaptest-threading/thread.mbox"), fixture("dovecot-imaptest-threading/thread-orderedsubject.mbox")]) {
      const one = await makeList();
      for (const e of await mboxMessages(file)) {
        await ingestBatch(one, [{ raw: e.raw, provenance: { kind: "mbox", file: file.split("/").pop()!, offset: e.offset, fromLine: e.fromLine } }]);
      }
      const bulk = await makeList();
      const result = await importMbox(bulk, file, { parseWorkers: 2, messagesPerTransaction: 7 });
      expect(result.status, file).toBe("succeeded");
      expect(await archiveViolations(bulk.id), file).toEqual([]);
      expect(await threadShape(bulk.id), file).toEqual(await threadShape(one.id));
      const strip = (rows: Awaited<ReturnType<typeof rowsOf>>) => rows.map(({ publicId: _p, ...row }) => row);
      expect(strip(await rowsOf(bulk.id)), file).toEqual(strip(await rowsOf(one.id)));
      const [a, b] = [await countersOf(bulk.id), await countersOf(one.id)];
      expect(a.list, file).toEqual(b.list);
      // Thread publicIds differ between lists (they include the slug): compare the rest, in one order.
      const comparable = (threads: typeof a.threads) => threads.map(({ publicId: _p, ...t }) => JSON.stringify(t)).sort();
      expect(comparable(a.threads), file).toEqual(comparable(b.threads));
      // Every visible message has its search outbox entry, exactly once.
      const visible = await db.mailMessage.findMany({ where: { listId: bulk.id, kind: "message", hiddenAt: null }, select: { id: true }, orderBy: { id: "asc" } });
      expect(await outboxIds(bulk.id), file).toEqual(visible.map((r) => r.id));
    }
  });

  it("handles placeholders filled, duplicates, tombstones and subject groups inside one batch", async () => {
    const list = await makeList();
    await db.mailTombstone.create({ data: { listId: list.id, messageId: "gone@x", reason: "takedown: request" } });
    const items: IngestItem[] = [
      eml({ "Message-ID": "<root@x>", Subject: "Release plan", Date: "Sun, 1 Jan 2023 10:00:00 +0000" }),
      // A reply naming a missing parent: a placeholder...
      eml({ "Message-ID": "<r2@x>", "In-Reply-To": "<mid@x>", References: "<root@x> <mid@x>", Subject: "Re: Release plan", Date: "Mon, 2 Jan 2023 12:00:00 +0000" }),
      // ...which arrives in the same batch (the per-message path turns the placeholder into it).
      eml({ "Message-ID": "<mid@x>", "In-Reply-To": "<root@x>", Subject: "Re: Release plan", Date: "Mon, 2 Jan 2023 10:00:00 +0000" }),
      // A duplicate of a message written earlier in the batch.
      eml({ "Message-ID": "<root@x>", Subject: "Release plan (again)", Date: "Sun, 1 Jan 2023 10:00:00 +0000" }),
      // Tombstoned: stored hidden.
      eml({ "Message-ID": "<gone@x>", "In-Reply-To": "<root@x>", Subject: "Re: Release plan", Date: "Mon, 2 Jan 2023 11:00:00 +0000" }),
      // No references, same base subject within 31 days: grouped under the thread made in this batch.
      eml({ "Message-ID": "<again@x>", Subject: "RE: Release plan", Date: "Tue, 10 Jan 2023 10:00:00 +0000" }),
      // Same subject, too late: a thread of its own.
      eml({ "Message-ID": "<late@x>", Subject: "Release plan", Date: "Sat, 1 Apr 2023 10:00:00 +0000" }),
    ].map((raw) => ({ raw, provenance: manual }));
    const results = await ingestBatch(list, items, { messagesPerTransaction: 50 });
    expect(results.map((r) => r.status)).toEqual(["created", "created", "created", "duplicate", "tombstoned", "created", "created"]);
    const parents = await parentMap(list.id);
    expect(parents.get("mid@x")).toEqual({ parent: "root@x", placeholder: false, inferred: false });
    expect(parents.get("r2@x")).toEqual({ parent: "mid@x", placeholder: false, inferred: false });
    expect(parents.get("again@x")).toEqual({ parent: "root@x", placeholder: false, inferred: true });
    expect(parents.get("late@x")).toEqual({ parent: null, placeholder: false, inferred: false });
    expect(await archiveViolations(list.id)).toEqual([]);
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 5, threadCount: 2 });
    const gone = await db.mailMessage.findUniqueOrThrow({ where: { listId_messageId: { listId: list.id, messageId: "gone@x" } } });
    expect(gone.hiddenReason).toBe("takedown: request");
    expect(await outboxIds(list.id)).not.toContain(gone.id);
    expect(await outboxIds(list.id)).toHaveLength(5);

    // The same mail again adds nothing.
    const again = await ingestBatch(list, items, { messagesPerTransaction: 50 });
    expect(again.every((r) => r.status === "duplicate")).toBe(true);
    expect(await outboxIds(list.id)).toHaveLength(5);
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("never moves a message a moderator placed, even when a later References chain would", async () => {
    const list = await makeList();
    await ingestBatch(list, [{ raw: eml({ "Message-ID": "<b@x>", Subject: "b", Date: "Sun, 1 Jan 2023 10:00:00 +0000" }), provenance: manual }]);
    // A moderator detached b on purpose: it stays a root without a claimed parent.
    await db.mailMessage.update({ where: { listId_messageId: { listId: list.id, messageId: "b@x" } }, data: { parentSetAt: new Date() } });
    // c's References say a > b > c; without the moderator's placement b would move under a placeholder for a.
    await ingestBatch(list, [{ raw: eml({ "Message-ID": "<c@x>", References: "<a@x> <b@x>", Subject: "Re: b", Date: "Mon, 2 Jan 2023 10:00:00 +0000" }), provenance: manual }]);
    const parents = await parentMap(list.id);
    expect(parents.get("b@x")?.parent).toBeNull();
    expect(parents.get("c@x")?.parent).toBe("b@x");
    expect(parents.has("a@x")).toBe(false);
    expect(await archiveViolations(list.id)).toEqual([]);
  });
});
