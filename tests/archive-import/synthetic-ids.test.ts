// Messages without a Message-ID get a synthetic id from their bytes. The same
// message comes with CRLF line endings over IMAP and with LF from an mbox
// file: it must be stored once, whatever came first, in archives made before
// ids ignored line endings too (their IMAP imports hold the CRLF-derived id),
// and a takedown of it must hold whichever way it comes back.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { messagePublicId, threadPublicId } from "~/archive/ids";
import { ingestBatch, ingestMessage, type ArchiveListRef, type IngestProvenance } from "~/archive/ingest.server";
import { hideMessage } from "~/archive/takedown.server";
import { db } from "~/utils/db.server";
import { importMbox } from "../../importer/mbox-import.ts";
import { writeMbox } from "../../importer/mbox-writer.ts";
import { createTestUser } from "../support/factories";
import { archiveViolations, eml, makeList, tempFile } from "./support";

const imap: IngestProvenance = { kind: "imap", mailbox: "INBOX", uidValidity: 7n, uid: 1n };
const manual: IngestProvenance = { kind: "manual" };

/** An id-less message as an mbox file has it (LF line endings). */
function idless(subject: string): Buffer {
  return eml({ From: "Ann <ann@example.org>", Subject: subject, Date: "Sun, 1 Jan 2023 10:00:00 +0000" }, "No Message-ID here.\nSecond line.\n");
}

/** The same message as an IMAP server sends it. */
function crlf(raw: Buffer): Buffer {
  return Buffer.from(raw.toString("latin1").replace(/\n/g, "\r\n"), "latin1");
}

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");
/** The synthetic id the archive has always given these exact bytes. */
const idOf = (bytes: Buffer) => `synthetic.${sha256(bytes).slice(0, 32)}@threadline.invalid`;

function mboxFile(raws: Buffer[]): string {
  return tempFile("export.mbox", writeMbox(raws.map((raw) => ({ raw, sender: "ann@example.org", date: new Date("2023-01-01T10:00:00Z") }))));
}

async function rowsOf(listId: number) {
  return db.mailMessage.findMany({ where: { listId, kind: "message" }, select: { messageId: true, publicId: true, hiddenAt: true, hiddenReason: true } });
}

/**
 * Rewrites the row of a message imported over IMAP (CRLF) the way the
 * archive stored it before ids ignored line endings: under the id of the
 * CRLF bytes, with the permalink and thread id made from that.
 */
async function makeLegacy(list: ArchiveListRef, lf: Buffer): Promise<{ messageId: string; publicId: string }> {
  const row = await db.mailMessage.findUniqueOrThrow({ where: { listId_messageId: { listId: list.id, messageId: idOf(lf) } } });
  expect(row.rawSha256).toBe(sha256(crlf(lf)));
  const messageId = idOf(crlf(lf));
  const publicId = messagePublicId(list.slug, messageId);
  await db.$executeRaw`UPDATE "MailMessage" SET "messageId" = ${messageId}, "publicId" = ${publicId} WHERE "id" = ${row.id}`;
  await db.$executeRaw`UPDATE "MailThread" SET "publicId" = ${threadPublicId(list.slug, messageId)} WHERE "id" = ${row.threadId}`;
  return { messageId, publicId };
}

async function rebuild(listId: number): Promise<void> {
  await db.mailMessage.deleteMany({ where: { listId } });
  await db.mailThread.deleteMany({ where: { listId } });
  await db.mailingList.update({ where: { id: listId }, data: { messageCount: 0, threadCount: 0, lastMessageAt: null } });
}

describe("synthetic Message-IDs across line endings", () => {
  it("stores an id-less message once, one message at a time, whichever line endings come first", async () => {
    const lf = idless("single path");
    for (const [first, second] of [[crlf(lf), lf], [lf, crlf(lf)]] as const) {
      const list = await makeList();
      const created = await ingestMessage(list, first, imap);
      expect(created).toMatchObject({ status: "created", messageId: idOf(lf), publicId: messagePublicId(list.slug, idOf(lf)) });
      const again = await ingestMessage(list, second, manual);
      expect(again).toEqual({ status: "duplicate", messageId: idOf(lf), publicId: messagePublicId(list.slug, idOf(lf)) });
      expect(await rowsOf(list.id)).toHaveLength(1);
      expect(await archiveViolations(list.id)).toEqual([]);
    }
  });

  it("stores an id-less message once through the mbox import, before, after or beside its IMAP copy", async () => {
    const lf = idless("bulk path");
    const other = idless("another one without an id");

    // IMAP first, then an mbox export of the list.
    const imapFirst = await makeList();
    await ingestMessage(imapFirst, crlf(lf), imap);
    const fromMbox = await importMbox(imapFirst, mboxFile([lf, other]));
    expect(fromMbox.counters).toMatchObject({ fetched: 2, created: 1, duplicates: 1, failed: 0 });
    expect(await rowsOf(imapFirst.id)).toHaveLength(2);

    // The mbox first, then IMAP (a batch, as the sync writes it).
    const mboxFirst = await makeList();
    await importMbox(mboxFirst, mboxFile([lf]));
    const fromImap = await ingestBatch(mboxFirst, [{ raw: crlf(lf), provenance: imap }, { raw: crlf(other), provenance: imap }]);
    expect(fromImap.map((r) => r.status)).toEqual(["duplicate", "created"]);
    expect(await rowsOf(mboxFirst.id)).toHaveLength(2);

    // Both forms in one mbox file (one batch).
    const both = await makeList();
    const mixed = await importMbox(both, mboxFile([crlf(lf), lf]));
    expect(mixed.counters).toMatchObject({ fetched: 2, created: 1, duplicates: 1 });
    for (const list of [imapFirst, mboxFirst, both]) expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("recognises a row an older archive stored under the id of the CRLF bytes, and keeps its permalink", async () => {
    const lf = idless("imported over IMAP long ago");
    const list = await makeList();
    await ingestMessage(list, crlf(lf), imap);
    const legacy = await makeLegacy(list, lf);
    expect(legacy.messageId).not.toBe(idOf(lf));

    expect(await ingestMessage(list, lf, manual)).toEqual({ status: "duplicate", ...legacy });
    expect(await ingestMessage(list, crlf(lf), imap)).toEqual({ status: "duplicate", ...legacy });
    const reimport = await importMbox(list, mboxFile([lf]));
    expect(reimport.counters).toMatchObject({ fetched: 1, created: 0, duplicates: 1, failed: 0 });
    // In IMAP-sync batches (the look-up before parsing) too.
    const batch = await ingestBatch(list, [{ raw: lf, provenance: manual }, { raw: crlf(lf), provenance: imap }], { messagesPerTransaction: 1 });
    expect(batch).toEqual([{ status: "duplicate", ...legacy }, { status: "duplicate", ...legacy }]);

    expect(await rowsOf(list.id)).toEqual([{ ...legacy, hiddenAt: null, hiddenReason: null }]);
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("keeps a hidden id-less message of an older archive hidden on resync and when the archive is rebuilt from an mbox", async () => {
    const moderator = await createTestUser({ role: "moderator" });
    const lf = idless("please remove this");
    const list = await makeList();
    await ingestMessage(list, crlf(lf), imap);
    const legacy = await makeLegacy(list, lf);
    expect(await hideMessage(moderator.id, list, legacy.publicId, "takedown", "author request")).toMatchObject({ ok: true });
    expect(await db.mailTombstone.findFirstOrThrow({ where: { listId: list.id } })).toMatchObject({ messageId: legacy.messageId, rawSha256: sha256(crlf(lf)) });

    expect(await ingestMessage(list, lf, manual)).toMatchObject({ status: "duplicate", publicId: legacy.publicId });
    expect((await rowsOf(list.id))[0]?.hiddenReason).toBe("takedown: author request");

    await rebuild(list.id);
    const rerun = await importMbox(list, mboxFile([lf]));
    expect(rerun.counters).toMatchObject({ created: 1, failed: 0 });
    const [back] = await rowsOf(list.id);
    expect(back?.hiddenAt).not.toBeNull();
    expect(back?.hiddenReason).toBe("takedown: author request");
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 0, threadCount: 0 });
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("matches a tombstone by the other form's id or sha256, one at a time and in the mbox import", async () => {
    const cases: Array<{ label: string; hiddenFrom: Buffer; comesBack: Buffer; tombstone: (hiddenFrom: Buffer) => { messageId: string; rawSha256: string | null } }> = [];
    const lf = idless("taken down");
    for (const [hiddenFrom, comesBack] of [[crlf(lf), lf], [lf, crlf(lf)]] as const) {
      const label = hiddenFrom === lf ? "hidden from LF" : "hidden from CRLF";
      cases.push({ label: `${label}, tombstone by id`, hiddenFrom, comesBack, tombstone: (raw) => ({ messageId: idOf(raw), rawSha256: null }) });
      cases.push({ label: `${label}, tombstone by sha256`, hiddenFrom, comesBack, tombstone: (raw) => ({ messageId: "elsewhere@example.org", rawSha256: sha256(raw) }) });
    }
    for (const c of cases) {
      for (const path of ["single", "mbox"] as const) {
        const list = await makeList();
        await db.mailTombstone.create({ data: { listId: list.id, ...c.tombstone(c.hiddenFrom), reason: "takedown: court order" } });
        if (path === "single") {
          const result = await ingestMessage(list, c.comesBack, c.comesBack === lf ? manual : imap);
          expect(result, `${c.label}, ${path}`).toMatchObject({ status: "tombstoned", reason: "takedown: court order" });
        } else {
          const result = await importMbox(list, mboxFile([c.comesBack, idless("a visible neighbour")]));
          expect(result.counters, `${c.label}, ${path}`).toMatchObject({ created: 2, failed: 0 });
        }
        const rows = await rowsOf(list.id);
        expect(rows.filter((r) => r.hiddenReason === "takedown: court order"), `${c.label}, ${path}`).toHaveLength(1);
        expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: path === "single" ? 0 : 1 });
        expect(await archiveViolations(list.id)).toEqual([]);
      }
    }
  });
});

describe("import failures", () => {
  it("are one failure whether the broken message came with CRLF or LF line endings", async () => {
    const { recordImportFailure } = await import("~/archive/ingest-runs.server");
    const list = await makeList();
    const broken = Buffer.from("Content-Type: multipart/mixed\nthis is not a header\n\nbody\n", "latin1");
    const first = await recordImportFailure(db, { listId: list.id, reason: "headers could not be parsed", raw: crlf(broken), source: "imap:INBOX uid 3" });
    const again = await recordImportFailure(db, { listId: list.id, reason: "headers could not be parsed", raw: broken, source: "mbox:export.mbox@0" });
    expect(again).toEqual({ id: first.id, existing: true });
    const other = await recordImportFailure(db, { listId: list.id, reason: "headers could not be parsed", raw: Buffer.from("another\n"), source: "mbox:export.mbox@90" });
    expect(other.existing).toBe(false);
    expect(await db.importFailure.count({ where: { listId: list.id } })).toBe(2);
  });
});
