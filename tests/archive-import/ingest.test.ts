// ingest.server.ts and takedown.server.ts against this file's own database:
// threading into rows (placeholders, merges, subject fallback), duplicates,
// X-No-Archive, failures, attachments on disk, charsets, hiding and tombstones.
import { createHash } from "node:crypto";
import fs from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { attachmentPath } from "~/archive/attachments-store.server";
import { messagePublicId, threadPublicId } from "~/archive/ids";
import { ingestMessage, retryImportFailure, type IngestResult } from "~/archive/ingest.server";
import { listImportFailures } from "~/archive/ingest-runs.server";
import { hideMessage, unhideMessage } from "~/archive/takedown.server";
import { db } from "~/utils/db.server";
import { importMbox } from "../../importer/mbox-import.ts";
import { createTestUser } from "../support/factories";
import {
  IMAGEMAGICK,
  PONYMAIL_ATTACHMENTS,
  archiveViolations,
  batchParentMap,
  eml,
  fixture,
  makeList,
  mboxMessages,
  parentMap,
} from "./support";

const manual = { kind: "manual" as const };

function expectStatus(result: IngestResult, status: IngestResult["status"]) {
  expect(result.status, JSON.stringify(result)).toBe(status);
}

describe("threading into the database", () => {
  it("threads the ImageMagick folder exactly like batch JWZ and counts the 5 missing parents", async () => {
    const list = await makeList();
    const result = await importMbox(list, IMAGEMAGICK);
    expect(result).toMatchObject({ status: "succeeded", counters: { fetched: 45, created: 45, failed: 0 } });
    expect(await parentMap(list.id)).toEqual(await batchParentMap(IMAGEMAGICK));
    expect(await archiveViolations(list.id)).toEqual([]);

    const stored = await db.mailingList.findUniqueOrThrow({ where: { id: list.id } });
    expect(stored).toMatchObject({ messageCount: 45, threadCount: 22 });
    const threads = await db.mailThread.findMany({ where: { listId: list.id } });
    expect(threads.reduce((sum, t) => sum + t.missingCount, 0)).toBe(5); // the "*-" dummies of the Mail::Box dump
    // "Same thread from its (dummy) start: two replies whose common parent is missing"
    const resizing = threads.find((t) => t.subject === "Problem resizing images through perl script");
    expect(resizing).toMatchObject({ messageCount: 5, missingCount: 1 });
    const root = await db.mailMessage.findUniqueOrThrow({ where: { publicId: resizing!.publicId } });
    expect(root.kind).toBe("placeholder");
    expect(await db.mailMessage.count({ where: { listId: list.id, parentMessageId: root.messageId } })).toBe(2);
  });

  it("gives the same header-based threads whatever order the messages arrive in", async () => {
    // Subject grouping attaches to "the most recent matching thread", which
    // depends on what has arrived so far; links from headers must not.
    const headerLinks = (map: Map<string, { parent: string | null; placeholder: boolean; inferred: boolean }>) =>
      new Map([...map].map(([id, e]) => [id, { ...e, parent: e.inferred ? null : e.parent, inferred: false }]));
    const entries = await mboxMessages(IMAGEMAGICK);
    const forward = await makeList();
    for (const e of entries) await ingestMessage(forward, e.raw, { kind: "mbox", file: "x", offset: e.offset, fromLine: e.fromLine });
    const expected = headerLinks(await parentMap(forward.id));

    const orders = [[...entries].reverse(), shuffled(entries, 7), shuffled(entries, 1234)];
    for (const order of orders) {
      const list = await makeList();
      for (const e of order) await ingestMessage(list, e.raw, { kind: "mbox", file: "x", offset: e.offset, fromLine: e.fromLine });
      expect(await archiveViolations(list.id)).toEqual([]);
      expect(headerLinks(await parentMap(list.id))).toEqual(expected);
    }
  }, 60_000);

  it("turns a placeholder into the message when it arrives, keeping its replies", async () => {
    const list = await makeList();
    const reply = await ingestMessage(list, eml({ "Message-ID": "<r1@x>", "In-Reply-To": "<p@x>", References: "<p@x>", Subject: "Re: plan", Date: "Mon, 2 Jan 2023 10:00:00 +0000" }), manual);
    expectStatus(reply, "created");
    const placeholder = await db.mailMessage.findUniqueOrThrow({ where: { listId_messageId: { listId: list.id, messageId: "p@x" } } });
    expect(placeholder.kind).toBe("placeholder");
    const thread = await db.mailThread.findUniqueOrThrow({ where: { id: placeholder.threadId! } });
    expect(thread).toMatchObject({ publicId: threadPublicId(list.slug, "p@x"), messageCount: 1, missingCount: 1, subject: "Re: plan" });

    const parent = await ingestMessage(list, eml({ "Message-ID": "<p@x>", Subject: "plan", Date: "Sun, 1 Jan 2023 10:00:00 +0000" }), manual);
    expect(parent).toMatchObject({ status: "created", publicId: messagePublicId(list.slug, "p@x"), threadPublicId: thread.publicId });
    const row = await db.mailMessage.findUniqueOrThrow({ where: { listId_messageId: { listId: list.id, messageId: "p@x" } } });
    expect(row).toMatchObject({ id: placeholder.id, kind: "message", parentMessageId: null, subject: "plan" });
    expect(await db.mailThread.findUniqueOrThrow({ where: { id: thread.id } })).toMatchObject({ messageCount: 2, missingCount: 0, subject: "plan" });
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("merges threads when a References chain connects them; the old thread id still finds its root", async () => {
    const list = await makeList();
    await ingestMessage(list, eml({ "Message-ID": "<b1@x>", "In-Reply-To": "<b@x>", Subject: "Re: b", Date: "Mon, 2 Jan 2023 10:00:00 +0000" }), manual);
    await ingestMessage(list, eml({ "Message-ID": "<c1@x>", "In-Reply-To": "<c@x>", Subject: "Re: c", Date: "Mon, 2 Jan 2023 11:00:00 +0000" }), manual);
    expect(await db.mailThread.count({ where: { listId: list.id } })).toBe(2);
    const oldThread = threadPublicId(list.slug, "b@x");

    // d names the chain a > b > d, and c1 claims nothing about a: b's tree moves under a.
    await ingestMessage(list, eml({ "Message-ID": "<d@x>", References: "<a@x> <b@x>", "In-Reply-To": "<b@x>", Subject: "Re: b", Date: "Tue, 3 Jan 2023 10:00:00 +0000" }), manual);
    const threads = await db.mailThread.findMany({ where: { listId: list.id }, orderBy: { id: "asc" } });
    expect(threads.map((t) => t.publicId).sort()).toEqual([threadPublicId(list.slug, "a@x"), threadPublicId(list.slug, "c@x")].sort());
    const merged = threads.find((t) => t.publicId === threadPublicId(list.slug, "a@x"))!;
    expect(merged).toMatchObject({ messageCount: 2, missingCount: 2 });
    // A link to the absorbed thread can be redirected: its id is the publicId of a row.
    const formerRoot = await db.mailMessage.findUniqueOrThrow({ where: { publicId: oldThread }, select: { threadId: true } });
    expect(formerRoot.threadId).toBe(merged.id);
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 3, threadCount: 2 });
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("moves a placeholder's subtree when the real message names another parent, and prunes the empty placeholder", async () => {
    const list = await makeList();
    await ingestMessage(list, eml({ "Message-ID": "<root@x>", Subject: "topic", Date: "Sun, 1 Jan 2023 09:00:00 +0000" }), manual);
    // c's References put the missing m under the missing g.
    await ingestMessage(list, eml({ "Message-ID": "<c@x>", References: "<g@x> <m@x>", Subject: "Re: topic", Date: "Mon, 2 Jan 2023 10:00:00 +0000" }), manual);
    expect((await parentMap(list.id)).get("m@x")).toEqual({ parent: "g@x", placeholder: true, inferred: false });
    // m arrives and says it answers root.
    await ingestMessage(list, eml({ "Message-ID": "<m@x>", "In-Reply-To": "<root@x>", Subject: "Re: topic", Date: "Sun, 1 Jan 2023 12:00:00 +0000" }), manual);
    const parents = await parentMap(list.id);
    expect(parents.get("m@x")).toEqual({ parent: "root@x", placeholder: false, inferred: false });
    expect(parents.get("c@x")?.parent).toBe("m@x");
    expect(parents.has("g@x")).toBe(false);
    expect(await db.mailThread.count({ where: { listId: list.id } })).toBe(1);
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("groups a reference-less message by subject within 31 days only, and marks the link as inferred", async () => {
    const list = await makeList();
    await ingestMessage(list, eml({ "Message-ID": "<s1@x>", Subject: "Build broken", Date: "Sun, 1 Jan 2023 10:00:00 +0000" }), manual);
    await ingestMessage(list, eml({ "Message-ID": "<s2@x>", Subject: "RE: [dev] Build broken", Date: "Tue, 10 Jan 2023 10:00:00 +0000" }), manual);
    await ingestMessage(list, eml({ "Message-ID": "<s3@x>", Subject: "Re: Build broken", Date: "Sat, 1 Apr 2023 10:00:00 +0000" }), manual);
    // A reply with an (unknown) In-Reply-To is never grouped by subject.
    await ingestMessage(list, eml({ "Message-ID": "<s4@x>", Subject: "Re: Build broken", "In-Reply-To": "<gone@x>", Date: "Wed, 11 Jan 2023 10:00:00 +0000" }), manual);
    // Subject-less messages are never grouped.
    await ingestMessage(list, eml({ "Message-ID": "<e1@x>", Subject: "", Date: "Sun, 1 Jan 2023 11:00:00 +0000" }), manual);
    await ingestMessage(list, eml({ "Message-ID": "<e2@x>", Subject: "Re:", Date: "Sun, 1 Jan 2023 12:00:00 +0000" }), manual);
    const parents = await parentMap(list.id);
    expect(parents.get("s2@x")).toEqual({ parent: "s1@x", placeholder: false, inferred: true });
    expect(parents.get("s3@x")).toEqual({ parent: null, placeholder: false, inferred: false });
    expect(parents.get("s4@x")).toEqual({ parent: "gone@x", placeholder: false, inferred: false });
    expect(parents.get("e1@x")?.parent).toBeNull();
    expect(parents.get("e2@x")?.parent).toBeNull();
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("survives reference cycles and duplicate Message-IDs (Dovecot imaptest threading mboxes)", async () => {
    for (const name of ["thread.mbox", "thread2.mbox", "thread3.mbox", "thread4.mbox", "thread5.mbox", "thread6.mbox", "thread7.mbox", "thread8.mbox", "thread-orderedsubject.mbox"]) {
      const list = await makeList();
      const result = await importMbox(list, fixture(`dovecot-imaptest-threading/${name}`));
      expect(result.status, name).toBe("succeeded");
      expect(await archiveViolations(list.id), name).toEqual([]);
    }
  });
});

describe("what gets stored", () => {
  it("keeps the raw bytes, sanitized HTML, sender, dates and provenance", async () => {
    const list = await makeList();
    const raw = fs.readFileSync(fixture("enmime-testdata/mail/html-only-inline.raw"));
    const internalDate = new Date("2012-10-14T00:00:00Z");
    const result = await ingestMessage(list, raw, { kind: "imap", mailbox: "INBOX", uidValidity: 77n, uid: 5n, internalDate });
    expectStatus(result, "created");
    const row = await db.mailMessage.findUniqueOrThrow({ where: { publicId: (result as { publicId: string }).publicId }, include: { raw: true, attachments: true } });
    expect(gunzipSync(row.raw!.gz).equals(raw)).toBe(true);
    expect(row.rawSha256).toBe(createHash("sha256").update(raw).digest("hex"));
    expect(row).toMatchObject({
      messageId: "4E2E5A48-1A2C-4450-8663-D41B451DA93E@makita.skynet",
      fromName: "James Hillyerd",
      fromAddress: "james@makita.skynet",
      dateFallback: false,
      sourceKind: "imap",
      sourceMailbox: "INBOX",
      sourceUidValidity: 77n,
      sourceUid: 5n,
      size: raw.length,
    });
    expect(row.textBody).toContain("Test of HTML section");
    expect(row.htmlBody).toContain("Test of HTML section");
    expect(row.htmlBody).not.toMatch(/<img|style=/);
    expect(row.htmlBody).toContain('data-cid="8B8481A2-25CA-4886-9B5A-8EB9115DD064@skynet"');
    expect(row.attachments).toEqual([
      expect.objectContaining({ position: 0, filename: "favicon.png", contentType: "image/png", inline: true, contentId: "8B8481A2-25CA-4886-9B5A-8EB9115DD064@skynet", skipped: null }),
    ]);

    // No Date header: the IMAP INTERNALDATE is used and flagged.
    const undated = await ingestMessage(list, fs.readFileSync(fixture("webklex-php-imap/missing_date.eml")), { kind: "imap", mailbox: "INBOX", uidValidity: 77n, uid: 6n, internalDate });
    const undatedRow = await db.mailMessage.findUniqueOrThrow({ where: { publicId: (undated as { publicId: string }).publicId } });
    expect(undatedRow).toMatchObject({ date: internalDate, dateFallback: true });
  });

  it("stores attachments once, by sha256, under DATA_DIR/attachments", async () => {
    const list = await makeList();
    await importMbox(list, PONYMAIL_ATTACHMENTS);
    const attachments = await db.mailAttachment.findMany({ where: { message: { listId: list.id } }, orderBy: [{ messageRowId: "asc" }, { position: "asc" }] });
    expect(attachments.map((a) => [a.filename, a.size])).toEqual([
      ["testáè.tmp", expect.any(Number)],
      ["testtext.txt", expect.any(Number)],
      ["testutf8body.txt", expect.any(Number)],
      ["test2áè.tmp", expect.any(Number)],
      ["empty.txt", 0],
    ]);
    for (const a of attachments) {
      const file = attachmentPath(a.sha256!);
      expect(file).toBe(`${process.env.DATA_DIR}/attachments/${a.sha256!.slice(0, 2)}/${a.sha256!.slice(2, 4)}/${a.sha256}`);
      const content = fs.readFileSync(file);
      expect(content.length).toBe(a.size);
      expect(createHash("sha256").update(content).digest("hex")).toBe(a.sha256);
    }
    // The same attachments in another list reuse the files.
    const before = fs.statSync(attachmentPath(attachments[1]!.sha256!)).mtimeMs;
    const other = await makeList();
    await importMbox(other, PONYMAIL_ATTACHMENTS);
    expect(fs.statSync(attachmentPath(attachments[1]!.sha256!)).mtimeMs).toBe(before);
  });

  it("decodes legacy charsets into the stored text", async () => {
    const list = await makeList();
    const cases: Array<[string, string, string]> = [
      ["ruby-mail-fixtures/multi_charset/japanese_iso_2022.eml", "まみむめも", "すみません。"],
      ["ruby-mail-fixtures/multi_charset/japanese_shift_jis.eml", "", "このメールはテスト用のメールです。"],
      ["ruby-mail-fixtures/multi_charset/ks_c_5601-1987.eml", "", "스티해"],
      ["webklex-php-imap/ks_c_5601-1987_headers.eml", "RE: 회원님께 Ersi님이 메시지를 보냈습니다.", ""],
      ["stalwart-mail-parser/thirdparty/002.eml", "", "päivää"],
    ];
    for (const [file, subject, text] of cases) {
      const result = await ingestMessage(list, fs.readFileSync(fixture(file)), manual);
      expect(["created", "duplicate"], file).toContain(result.status);
      const row = await db.mailMessage.findUniqueOrThrow({ where: { publicId: (result as { publicId: string }).publicId } });
      if (subject) expect(row.subject, file).toBe(subject);
      if (text) expect(row.textBody, file).toContain(text);
    }
  });

  it("adds nothing for a duplicate Message-ID", async () => {
    const list = await makeList();
    const raw = eml({ "Message-ID": "<dup@x>", Subject: "once", Date: "Sun, 1 Jan 2023 10:00:00 +0000" });
    expectStatus(await ingestMessage(list, raw, manual), "created");
    const again = await ingestMessage(list, eml({ "Message-ID": "<dup@x>", Subject: "twice (another copy)", Date: "Sun, 1 Jan 2023 10:00:00 +0000" }), manual);
    expect(again).toMatchObject({ status: "duplicate", messageId: "dup@x", publicId: messagePublicId(list.slug, "dup@x") });
    expect(await db.mailMessage.count({ where: { listId: list.id } })).toBe(1);
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 1, threadCount: 1 });
  });

  it("does not store X-No-Archive: yes or Archive: no messages, and records no failure", async () => {
    const list = await makeList();
    const a = await ingestMessage(list, eml({ "Message-ID": "<na1@x>", "X-No-Archive": "yes", Subject: "private" }), manual);
    const b = await ingestMessage(list, eml({ "Message-ID": "<na2@x>", Archive: "no", Subject: "private" }), manual);
    expect([a, b]).toEqual([
      { status: "skipped-no-archive", messageId: "na1@x" },
      { status: "skipped-no-archive", messageId: "na2@x" },
    ]);
    expect(await db.mailMessage.count({ where: { listId: list.id } })).toBe(0);
    expect(await db.importFailure.count({ where: { listId: list.id } })).toBe(0);
  });

  it("keeps an unparseable message aside once, with reason, bytes and sha256; a retry resolves it when it parses", async () => {
    const list = await makeList();
    const raw = Buffer.from("this is not an email\nnor is this\n\nbody\n");
    const first = await ingestMessage(list, raw, { kind: "mbox", file: "bad.mbox", offset: 120 });
    expect(first).toMatchObject({ status: "failed", reason: "headers could not be parsed" });
    const again = await ingestMessage(list, raw, { kind: "mbox", file: "bad.mbox", offset: 120 });
    expect(again).toMatchObject({ status: "failed", failureId: (first as { failureId: number }).failureId });
    const failures = await db.importFailure.findMany({ where: { listId: list.id } });
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ reason: "headers could not be parsed", size: raw.length, source: "mbox:bad.mbox@120", rawSha256: createHash("sha256").update(raw).digest("hex") });
    expect(gunzipSync(failures[0]!.gz!).equals(raw)).toBe(true);
    expect(await listImportFailures(list.id)).toHaveLength(1);
    expect(await retryImportFailure(null, failures[0]!.id)).toMatchObject({ status: "failed" });

    const fixable = eml({ "Message-ID": "<fix@x>", Subject: "fine" });
    const failure = await db.importFailure.create({ data: { listId: list.id, reason: "parser bug", gz: new Uint8Array(gzipSync(fixable)), source: "manual" } });
    expect(await retryImportFailure(null, failure.id)).toMatchObject({ status: "created", messageId: "fix@x" });
    expect((await db.importFailure.findUniqueOrThrow({ where: { id: failure.id } })).resolvedAt).not.toBeNull();
  });
});

describe("takedown", () => {
  it("hides a message with a tombstone, updates counters, and keeps it hidden when the archive is rebuilt", async () => {
    const moderator = await createTestUser({ role: "moderator" });
    const list = await makeList();
    await importMbox(list, IMAGEMAGICK);
    const target = await db.mailMessage.findFirstOrThrow({ where: { listId: list.id, subject: "Font metrics" } });
    const threadBefore = await db.mailThread.findUniqueOrThrow({ where: { id: target.threadId! } });
    expect(threadBefore.messageCount).toBe(1);

    const hidden = await hideMessage(moderator.id, list, target.publicId, "personal-data", "phone number in the signature");
    expect(hidden).toMatchObject({ ok: true, changed: true, threadPublicId: threadBefore.publicId });
    const row = await db.mailMessage.findUniqueOrThrow({ where: { id: target.id } });
    expect(row).toMatchObject({ hiddenReason: "personal-data: phone number in the signature", hiddenById: moderator.id });
    expect(row.hiddenAt).not.toBeNull();
    expect(await db.mailTombstone.findUnique({ where: { listId_messageId: { listId: list.id, messageId: target.messageId } } })).toMatchObject({
      rawSha256: target.rawSha256,
      reason: "personal-data: phone number in the signature",
      createdById: moderator.id,
    });
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 44, threadCount: 21 });
    expect(await archiveViolations(list.id)).toEqual([]);
    expect(await db.auditEntry.findFirst({ where: { action: "mail.hide", targetId: target.publicId } })).toMatchObject({ actorId: moderator.id, targetType: "mail" });

    // Rebuild: the archive is wiped and imported again. The message comes back hidden.
    await db.mailMessage.deleteMany({ where: { listId: list.id } });
    await db.mailThread.deleteMany({ where: { listId: list.id } });
    await db.mailingList.update({ where: { id: list.id }, data: { messageCount: 0, threadCount: 0, lastMessageAt: null } });
    const rerun = await importMbox(list, IMAGEMAGICK);
    expect(rerun.counters).toMatchObject({ created: 45, failed: 0 });
    const back = await db.mailMessage.findUniqueOrThrow({ where: { publicId: target.publicId } });
    expect(back.hiddenAt).not.toBeNull();
    expect(back.hiddenReason).toBe("personal-data: phone number in the signature");
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 44, threadCount: 21 });
    expect(await archiveViolations(list.id)).toEqual([]);

    const shown = await unhideMessage(moderator.id, list, target.publicId, "the author agreed");
    expect(shown).toMatchObject({ ok: true, changed: true });
    expect((await db.mailMessage.findUniqueOrThrow({ where: { publicId: target.publicId } })).hiddenAt).toBeNull();
    expect(await db.mailTombstone.count({ where: { listId: list.id } })).toBe(0);
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 45, threadCount: 22 });
    expect(await db.auditEntry.findFirst({ where: { action: "mail.unhide", targetId: target.publicId } })).toMatchObject({ actorId: moderator.id });
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("matches a tombstone by the raw bytes' sha256 too, and refuses unknown messages and reasons", async () => {
    const moderator = await createTestUser({ role: "moderator" });
    const list = await makeList();
    const raw = eml({ Subject: "no message id here", Date: "Sun, 1 Jan 2023 10:00:00 +0000" });
    const sha = createHash("sha256").update(raw).digest("hex");
    await db.mailTombstone.create({ data: { listId: list.id, messageId: "something-else@x", rawSha256: sha, reason: "takedown: court order" } });
    expect(await ingestMessage(list, raw, manual)).toMatchObject({ status: "tombstoned", reason: "takedown: court order" });
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 0, threadCount: 0 });

    expect(await hideMessage(moderator.id, list, "nosuchpublicid00", "spam", "")).toMatchObject({ ok: false, error: "not-found" });
    const other = await ingestMessage(list, eml({ "Message-ID": "<ok@x>", Subject: "fine" }), manual);
    const publicId = (other as { publicId: string }).publicId;
    expect(await hideMessage(moderator.id, list, publicId, "rude" as never, "")).toMatchObject({ ok: false, error: "bad-reason" });
    const elsewhere = await makeList();
    expect(await hideMessage(moderator.id, elsewhere, publicId, "spam", "")).toMatchObject({ ok: false, error: "not-found" });
  });
});

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}
