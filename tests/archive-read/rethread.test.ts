// Moderators detach an archived message into a thread of its own or re-attach
// it under another message (app/archive/rethread.server.ts), on archives
// built by the importer: thread membership, counters, placeholders, the audit
// log, the importer's respect for the new placement, thread pages of absorbed
// threads, the message page's action and its rendered forms.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { beforeAll, describe, expect, it } from "vitest";
import { messagePublicId, threadPublicId } from "~/archive/ids";
import { messageJson } from "~/archive/api.server";
import { ingestMessage } from "~/archive/ingest.server";
import { detachMessage, parseParentReference, reattachMessage } from "~/archive/rethread.server";
import { hideMessage, unhideMessage } from "~/archive/takedown.server";
import type { ThreadItem } from "~/archive/read-thread.server";
import { ArchiveMessageArticle, type MessageView } from "~/components/archive-message-article";
import { PlacementFields, type PlacementFeedback } from "~/components/archive-moderation";
import { ArchiveThreadItem } from "~/components/archive-thread-view";
import { action as messageAction, loader as messageLoader } from "~/routes/lists.$slug.m.$publicId._index";
import { loader as threadLoader } from "~/routes/lists.$slug.thread.$publicId._index";
import { db } from "~/utils/db.server";
import { archiveViolations, eml } from "../archive-import/support";
import { createArchiveList, createArchiveThread, type ListRecord } from "../support/archive-factories";
import { createTestUser } from "../support/factories";
import { callRoute, type TestUser } from "./call-route";

const manual = { kind: "manual" as const };

let moderator: TestUser;
let member: TestUser;

beforeAll(async () => {
  moderator = await createTestUser({ role: "moderator" });
  member = await createTestUser();
});

/** Ingests one message; `refs` is its References chain, oldest first (the last one is In-Reply-To). */
async function mail(list: ListRecord, messageId: string, options: { refs?: string[]; subject?: string; day: number }) {
  const refs = options.refs ?? [];
  const result = await ingestMessage(
    list,
    eml({
      "Message-ID": `<${messageId}>`,
      From: `"Someone" <someone.${options.day}@example.org>`,
      Subject: options.subject ?? (refs.length ? "Re: Plan" : "Plan"),
      Date: new Date(Date.UTC(2024, 0, options.day, 10)).toUTCString().replace("GMT", "+0000"),
      ...(refs.length ? { "In-Reply-To": `<${refs.at(-1)}>`, References: refs.map((r) => `<${r}>`).join(" ") } : {}),
    }),
    manual,
  );
  expect(result.status, JSON.stringify(result)).toBe("created");
  return row(list, messageId);
}

function row(list: ListRecord, messageId: string) {
  return db.mailMessage.findUniqueOrThrow({ where: { listId_messageId: { listId: list.id, messageId } } });
}

async function members(threadPublic: string): Promise<string[]> {
  const thread = await db.mailThread.findUniqueOrThrow({ where: { publicId: threadPublic } });
  const rows = await db.mailMessage.findMany({ where: { threadId: thread.id }, select: { messageId: true } });
  return rows.map((r) => r.messageId).sort();
}

const pid = (list: ListRecord, messageId: string) => messagePublicId(list.slug, messageId);
const tid = (list: ListRecord, messageId: string) => threadPublicId(list.slug, messageId);

/** a < b < c < d and a < e: one thread of five, one reply chain three deep. */
async function planThread(list: ListRecord) {
  await mail(list, "a@x", { day: 1 });
  await mail(list, "b@x", { refs: ["a@x"], day: 2 });
  await mail(list, "c@x", { refs: ["a@x", "b@x"], day: 3 });
  await mail(list, "d@x", { refs: ["a@x", "b@x", "c@x"], day: 4 });
  await mail(list, "e@x", { refs: ["a@x"], day: 5 });
}

function auditCount() {
  return db.auditEntry.count();
}

async function snapshot(listId: number) {
  const [rows, threads, list] = await Promise.all([
    db.mailMessage.findMany({ where: { listId }, orderBy: { id: "asc" }, select: { messageId: true, parentMessageId: true, threadId: true, parentSetAt: true, inferredParent: true } }),
    db.mailThread.findMany({ where: { listId }, orderBy: { id: "asc" } }),
    db.mailingList.findUniqueOrThrow({ where: { id: listId }, select: { messageCount: true, threadCount: true, lastMessageAt: true } }),
  ]);
  return { rows, threads, list, audit: await auditCount() };
}

describe("detaching a message", () => {
  it("moves the message and its replies into a thread named after it, with exact counters and an audit entry", async () => {
    const list = await createArchiveList();
    await planThread(list);
    const before = await db.mailingList.findUniqueOrThrow({ where: { id: list.id } });
    expect(before).toMatchObject({ messageCount: 5, threadCount: 1 });

    const result = await detachMessage(moderator.id, list, pid(list, "b@x"), "  a new question,   not a reply ");
    expect(result).toEqual({ ok: true, publicId: pid(list, "b@x"), threadPublicId: tid(list, "b@x"), oldThreadPublicId: tid(list, "a@x") });

    expect(await members(tid(list, "b@x"))).toEqual(["b@x", "c@x", "d@x"]);
    expect(await members(tid(list, "a@x"))).toEqual(["a@x", "e@x"]);
    const detached = await db.mailThread.findUniqueOrThrow({ where: { publicId: tid(list, "b@x") } });
    expect(detached).toMatchObject({ messageCount: 3, missingCount: 0, subject: "Re: Plan" });
    expect(detached.firstAt.toISOString()).toBe("2024-01-02T10:00:00.000Z");
    expect(detached.lastAt.toISOString()).toBe("2024-01-04T10:00:00.000Z");
    const old = await db.mailThread.findUniqueOrThrow({ where: { publicId: tid(list, "a@x") } });
    expect(old).toMatchObject({ messageCount: 2, subject: "Plan" });
    expect(old.lastAt.toISOString()).toBe("2024-01-05T10:00:00.000Z");
    const after = await db.mailingList.findUniqueOrThrow({ where: { id: list.id } });
    expect(after).toMatchObject({ messageCount: 5, threadCount: 2 });
    expect(after.lastMessageAt?.toISOString()).toBe(before.lastMessageAt?.toISOString());
    expect(await archiveViolations(list.id)).toEqual([]);

    const b = await row(list, "b@x");
    expect(b).toMatchObject({ parentMessageId: null, inferredParent: false, parentSetById: moderator.id });
    expect(b.parentSetAt).toBeInstanceOf(Date);
    // Replies keep their parents; only the detached message was placed by hand.
    expect(await row(list, "c@x")).toMatchObject({ parentMessageId: "b@x", parentSetAt: null });

    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "mail.detach", targetId: pid(list, "b@x") } });
    expect(audit).toMatchObject({ actorId: moderator.id, targetType: "mail", reason: "a new question, not a reply" });
    expect(JSON.parse(audit.details)).toEqual({
      listId: list.id,
      oldThreadPublicId: tid(list, "a@x"),
      newThreadPublicId: tid(list, "b@x"),
      oldParentMessageId: "a@x",
      newParentMessageId: null,
      movedRows: 3,
    });
    expect(audit.details).not.toContain("example.org");
  });

  it("refuses a message that already starts its thread, and writes nothing", async () => {
    const list = await createArchiveList();
    await planThread(list);
    const before = await snapshot(list.id);
    expect(await detachMessage(moderator.id, list, pid(list, "a@x"), "split it")).toMatchObject({ ok: false, error: "already-root", field: null });
    expect(await snapshot(list.id)).toEqual(before);
  });

  it("refuses an unknown message, another list's message and a short reason", async () => {
    const list = await createArchiveList();
    const other = await createArchiveList();
    await planThread(list);
    await mail(other, "o@x", { day: 1 });
    await mail(other, "o1@x", { refs: ["o@x"], day: 2 });
    const before = await snapshot(list.id);
    expect(await detachMessage(moderator.id, list, pid(other, "o1@x"), "wrong list")).toMatchObject({ ok: false, error: "not-found" });
    expect(await detachMessage(moderator.id, list, "aaaaaaaaaaaaaaaa", "no such")).toMatchObject({ ok: false, error: "not-found" });
    expect(await detachMessage(moderator.id, list, pid(list, "b@x"), " x ")).toMatchObject({ ok: false, error: "bad-reason", field: "reason" });
    expect(await snapshot(list.id)).toEqual(before);
    expect((await row(other, "o1@x")).parentMessageId).toBe("o@x");
  });

  it("prunes a missing parent left without replies, and the thread it headed", async () => {
    const list = await createArchiveList();
    // Two replies to a message the archive never received.
    await mail(list, "r1@x", { refs: ["lost@x"], day: 2 });
    await mail(list, "r2@x", { refs: ["lost@x"], day: 3 });
    await mail(list, "r3@x", { refs: ["lost@x", "r2@x"], day: 4 });
    expect(await db.mailThread.findUniqueOrThrow({ where: { publicId: tid(list, "lost@x") } })).toMatchObject({ messageCount: 3, missingCount: 1 });

    expect(await detachMessage(moderator.id, list, pid(list, "r1@x"), "unrelated")).toMatchObject({ ok: true });
    expect((await row(list, "lost@x")).kind).toBe("placeholder"); // r2 still hangs under it
    expect(await archiveViolations(list.id)).toEqual([]);

    expect(await detachMessage(moderator.id, list, pid(list, "r2@x"), "unrelated too")).toMatchObject({ ok: true, threadPublicId: tid(list, "r2@x") });
    expect(await db.mailMessage.count({ where: { listId: list.id, messageId: "lost@x" } })).toBe(0);
    expect(await db.mailThread.count({ where: { publicId: tid(list, "lost@x") } })).toBe(0);
    expect(await members(tid(list, "r2@x"))).toEqual(["r2@x", "r3@x"]);
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 3, threadCount: 2 });
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("keeps counters exact when what moves is hidden: a thread of hidden messages only is not counted", async () => {
    const list = await createArchiveList();
    await planThread(list);
    await hideMessage(moderator.id, list, pid(list, "c@x"), "spam", "spam");
    await hideMessage(moderator.id, list, pid(list, "d@x"), "spam", "spam");
    expect(await detachMessage(moderator.id, list, pid(list, "c@x"), "spam thread")).toMatchObject({ ok: true });
    expect(await db.mailThread.findUniqueOrThrow({ where: { publicId: tid(list, "c@x") } })).toMatchObject({ messageCount: 0, subject: "" });
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 3, threadCount: 1 });
    expect(await archiveViolations(list.id)).toEqual([]);
    // Shown again and moved back: it counts in the thread it joins.
    await unhideMessage(moderator.id, list, pid(list, "d@x"), "not spam");
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 4, threadCount: 2 });
    expect(await reattachMessage(moderator.id, list, pid(list, "d@x"), "e@x", "not spam")).toMatchObject({ ok: true });
    expect(await db.mailThread.findUniqueOrThrow({ where: { publicId: tid(list, "a@x") } })).toMatchObject({ messageCount: 4 });
    expect(await db.mailThread.findUniqueOrThrow({ where: { publicId: tid(list, "c@x") } })).toMatchObject({ messageCount: 0, missingCount: 0 });
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 4, threadCount: 1 });
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("reuses a leftover thread that already carries the message's name", async () => {
    const list = await createArchiveList();
    await planThread(list);
    // An empty thread named after b, left behind by an earlier merge.
    await db.mailThread.create({ data: { listId: list.id, publicId: tid(list, "b@x"), subject: "stale", firstAt: new Date(0), lastAt: new Date(0) } });
    expect(await detachMessage(moderator.id, list, pid(list, "b@x"), "split")).toMatchObject({ ok: true, threadPublicId: tid(list, "b@x") });
    expect(await db.mailThread.findUniqueOrThrow({ where: { publicId: tid(list, "b@x") } })).toMatchObject({ messageCount: 3, subject: "Re: Plan" });
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("splits a thread that wrongly carries the detached message's name: the rest goes to a thread named after its root", async () => {
    const list = await createArchiveList();
    const t = await createArchiveThread(list, [
      { key: "a", messageId: "a@x", subject: "Plan", date: new Date(Date.UTC(2024, 0, 1)) },
      { key: "b", messageId: "b@x", parent: "a", subject: "Re: Plan", date: new Date(Date.UTC(2024, 0, 2)) },
      { key: "c", messageId: "c@x", parent: "b", subject: "Re: Plan", date: new Date(Date.UTC(2024, 0, 3)) },
    ]);
    await db.mailThread.update({ where: { id: t.thread.id }, data: { publicId: tid(list, "b@x") } });
    expect(await detachMessage(moderator.id, list, pid(list, "b@x"), "split")).toMatchObject({ ok: true, threadPublicId: tid(list, "b@x") });
    expect(await members(tid(list, "b@x"))).toEqual(["b@x", "c@x"]);
    expect(await members(tid(list, "a@x"))).toEqual(["a@x"]);
    expect(await archiveViolations(list.id)).toEqual([]);
  });
});

describe("re-attaching a message", () => {
  it("puts a detached message back, and the thread it headed is gone", async () => {
    const list = await createArchiveList();
    await planThread(list);
    await detachMessage(moderator.id, list, pid(list, "b@x"), "split");
    const result = await reattachMessage(moderator.id, list, pid(list, "b@x"), " <a@x> ", "it was a reply after all");
    expect(result).toEqual({ ok: true, publicId: pid(list, "b@x"), threadPublicId: tid(list, "a@x"), oldThreadPublicId: tid(list, "b@x") });
    expect(await members(tid(list, "a@x"))).toEqual(["a@x", "b@x", "c@x", "d@x", "e@x"]);
    expect(await db.mailThread.count({ where: { publicId: tid(list, "b@x") } })).toBe(0);
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 5, threadCount: 1 });
    expect(await row(list, "b@x")).toMatchObject({ parentMessageId: "a@x", parentSetById: moderator.id });
    expect(await archiveViolations(list.id)).toEqual([]);

    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "mail.reattach", targetId: pid(list, "b@x") } });
    expect(audit.reason).toBe("it was a reply after all");
    expect(JSON.parse(audit.details)).toMatchObject({
      oldThreadPublicId: tid(list, "b@x"),
      newThreadPublicId: tid(list, "a@x"),
      oldParentMessageId: null,
      newParentMessageId: "a@x",
      movedRows: 3,
    });
    // Pinned where it is now: the same placement again is refused.
    expect(await reattachMessage(moderator.id, list, pid(list, "b@x"), "a@x", "again")).toMatchObject({ ok: false, error: "already-placed", field: "parent" });
  });

  it("moves a mid-thread message with its replies under a message of another thread, named by link or id", async () => {
    const list = await createArchiveList();
    await planThread(list);
    await mail(list, "x@x", { subject: "Other", day: 6 });
    await mail(list, "x2@x", { refs: ["x@x"], subject: "Re: Other", day: 7 });

    const link = `https://archive.example.net/lists/${list.slug}/m/${pid(list, "x2@x")}`;
    expect(await reattachMessage(moderator.id, list, pid(list, "c@x"), link, "belongs to the other discussion")).toMatchObject({ ok: true, threadPublicId: tid(list, "x@x") });
    expect(await members(tid(list, "x@x"))).toEqual(["c@x", "d@x", "x2@x", "x@x"].sort());
    expect(await members(tid(list, "a@x"))).toEqual(["a@x", "b@x", "e@x"]);
    expect(await db.mailThread.findUniqueOrThrow({ where: { publicId: tid(list, "x@x") } })).toMatchObject({ messageCount: 4, subject: "Other" });
    expect(await db.mailThread.findUniqueOrThrow({ where: { publicId: tid(list, "a@x") } })).toMatchObject({ messageCount: 3 });
    expect(await archiveViolations(list.id)).toEqual([]);

    // Within one thread: no rows change thread, only the parent.
    expect(await reattachMessage(moderator.id, list, pid(list, "d@x"), `/lists/${list.slug}/m/${pid(list, "x@x")}`, "answers the first")).toMatchObject({ ok: true });
    expect((await row(list, "d@x")).parentMessageId).toBe("x@x");
    // By permalink id, back to the first thread.
    expect(await reattachMessage(moderator.id, list, pid(list, "c@x"), pid(list, "e@x"), "answers e")).toMatchObject({ ok: true, threadPublicId: tid(list, "a@x") });
    expect(await members(tid(list, "a@x"))).toEqual(["a@x", "b@x", "c@x", "e@x"]);
    expect(await members(tid(list, "x@x"))).toEqual(["d@x", "x2@x", "x@x"].sort());
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 7, threadCount: 2 });
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("confirms a parent guessed from the subject, which then loses its 'inferred' mark", async () => {
    const list = await createArchiveList();
    await mail(list, "a@x", { day: 1 });
    await mail(list, "g@x", { subject: "Re: Plan", day: 2 }); // no References: grouped by subject
    expect(await row(list, "g@x")).toMatchObject({ parentMessageId: "a@x", inferredParent: true });
    expect(await reattachMessage(moderator.id, list, pid(list, "g@x"), "a@x", "the guess is right")).toMatchObject({ ok: true });
    expect(await row(list, "g@x")).toMatchObject({ parentMessageId: "a@x", inferredParent: false, parentSetById: moderator.id });
  });

  it("refuses a loop, another list, an unknown or missing parent, and writes nothing", async () => {
    const list = await createArchiveList();
    const other = await createArchiveList();
    await planThread(list);
    await mail(list, "r@x", { refs: ["lost@x"], day: 8 });
    await mail(other, "o@x", { day: 1 });
    const before = await snapshot(list.id);
    const attempt = (parent: string) => reattachMessage(moderator.id, list, pid(list, "b@x"), parent, "a good reason");

    expect(await attempt("d@x")).toMatchObject({ ok: false, error: "loop", field: "parent", message: expect.stringMatching(/loop/) });
    expect(await attempt("c@x")).toMatchObject({ ok: false, error: "loop" });
    expect(await attempt("b@x")).toMatchObject({ ok: false, error: "loop" });
    expect(await attempt(`/lists/${other.slug}/m/${pid(other, "o@x")}`)).toMatchObject({ ok: false, error: "other-list", field: "parent" });
    expect(await attempt(pid(other, "o@x"))).toMatchObject({ ok: false, error: "other-list" });
    expect(await attempt("<o@x>")).toMatchObject({ ok: false, error: "other-list" });
    expect(await attempt("nobody@x")).toMatchObject({ ok: false, error: "unknown-parent", field: "parent" });
    expect(await attempt("lost@x")).toMatchObject({ ok: false, error: "placeholder-parent" });
    expect(await attempt("two words")).toMatchObject({ ok: false, error: "bad-parent" });
    expect(await attempt("/lists/x/thread/abc")).toMatchObject({ ok: false, error: "bad-parent" });
    expect(await snapshot(list.id)).toEqual(before);
  });

  it("reads Message-IDs, permalink ids and links", () => {
    expect(parseParentReference("dev", "<a%b@x>")).toEqual({ kind: "messageId", messageId: "a%b@x" });
    expect(parseParentReference("dev", "a@x")).toEqual({ kind: "messageId", messageId: "a@x" });
    expect(parseParentReference("dev", "abcdefghijklmnop")).toMatchObject({ kind: "either", publicId: "abcdefghijklmnop" });
    expect(parseParentReference("dev", "http://h/lists/dev/m/abcdefghijklmnop?view=html#x")).toEqual({ kind: "publicId", publicId: "abcdefghijklmnop" });
    expect(parseParentReference("dev", "/lists/ops/m/abcdefghijklmnop")).toEqual({ kind: "other-list", slug: "ops" });
    expect(parseParentReference("dev", "/mid/a%40x")).toEqual({ kind: "messageId", messageId: "a@x" });
    expect(parseParentReference("dev", "")).toEqual({ kind: "bad" });
  });
});

describe("deep threads", () => {
  it("moves a reply chain a thousand deep in one step", async () => {
    const list = await createArchiveList();
    const depth = 1000;
    const t = await createArchiveThread(list, [{ key: "root", messageId: "deep0@x", subject: "Deep", date: new Date(Date.UTC(2024, 0, 1)) }]);
    await db.mailMessage.createMany({
      data: Array.from({ length: depth }, (_, i) => ({
        listId: list.id,
        publicId: pid(list, `deep${i + 1}@x`),
        messageId: `deep${i + 1}@x`,
        threadId: t.thread.id,
        parentMessageId: `deep${i}@x`,
        claimsParent: true,
        subject: "Re: Deep",
        date: new Date(Date.UTC(2024, 0, 1) + (i + 1) * 60_000),
      })),
    });
    expect(await reattachMessage(moderator.id, list, pid(list, "deep1@x"), `deep${depth}@x`, "a loop far down")).toMatchObject({ ok: false, error: "loop" });
    expect(await detachMessage(moderator.id, list, pid(list, "deep1@x"), "split the chain")).toMatchObject({ ok: true });
    expect(await db.mailThread.findUniqueOrThrow({ where: { publicId: tid(list, "deep1@x") } })).toMatchObject({ messageCount: depth });
    expect(await db.mailMessage.count({ where: { threadId: t.thread.id } })).toBe(1);
  }, 60_000);
});

describe("the importer after a moderator's placement", () => {
  it("never moves a detached message back under the ancestors other messages name", async () => {
    const list = await createArchiveList();
    await mail(list, "a@x", { day: 1 });
    // b names no parent: grouped under a by subject, so it claims no parent itself.
    await mail(list, "b@x", { subject: "Re: Plan", day: 2 });
    await mail(list, "c@x", { refs: ["b@x"], day: 3 });
    expect(await row(list, "b@x")).toMatchObject({ parentMessageId: "a@x", inferredParent: true, claimsParent: false });
    await detachMessage(moderator.id, list, pid(list, "b@x"), "its own topic");

    // d says a > b > d: without the moderator's placement, b would move under a again.
    const d = await mail(list, "d@x", { refs: ["a@x", "b@x"], day: 4 });
    const b = await row(list, "b@x");
    expect(b.parentMessageId).toBeNull();
    expect(d.parentMessageId).toBe("b@x");
    expect(d.threadId).toBe(b.threadId);
    expect(await members(tid(list, "b@x"))).toEqual(["b@x", "c@x", "d@x"]);
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("puts replies to the detached message and to its replies into its new thread, and replies to the old root into the old one", async () => {
    const list = await createArchiveList();
    await planThread(list);
    await detachMessage(moderator.id, list, pid(list, "b@x"), "split");
    await mail(list, "f@x", { refs: ["a@x", "b@x"], day: 10 });
    await mail(list, "g@x", { refs: ["a@x", "b@x", "c@x", "d@x"], day: 11 });
    await mail(list, "h@x", { refs: ["a@x"], day: 12 });
    expect(await members(tid(list, "b@x"))).toEqual(["b@x", "c@x", "d@x", "f@x", "g@x"]);
    expect(await members(tid(list, "a@x"))).toEqual(["a@x", "e@x", "h@x"]);
    expect((await row(list, "b@x")).parentMessageId).toBeNull();
    expect(await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).toMatchObject({ messageCount: 8, threadCount: 2 });
    expect(await archiveViolations(list.id)).toEqual([]);
  });

  it("keeps a re-attached root where the moderator put it when later References disagree", async () => {
    const list = await createArchiveList();
    await mail(list, "a@x", { day: 1 });
    await mail(list, "s@x", { subject: "Standalone", day: 2 });
    await reattachMessage(moderator.id, list, pid(list, "s@x"), "a@x", "continues the plan");
    // y claims s answers the missing z: s stays under a, and no placeholder is made for z.
    await mail(list, "y@x", { refs: ["z@x", "s@x"], day: 3 });
    expect((await row(list, "s@x")).parentMessageId).toBe("a@x");
    expect(await db.mailMessage.count({ where: { listId: list.id, messageId: "z@x" } })).toBe(0);
    expect(await members(tid(list, "a@x"))).toEqual(["a@x", "s@x", "y@x"]);
    expect(await archiveViolations(list.id)).toEqual([]);
  });
});

describe("pages", () => {
  it("sends the address of an absorbed thread to the message's current thread", async () => {
    const list = await createArchiveList();
    await planThread(list);
    await mail(list, "x@x", { subject: "Other", day: 6 });
    await mail(list, "x2@x", { refs: ["x@x"], day: 7 });
    await reattachMessage(moderator.id, list, pid(list, "x@x"), "e@x", "same discussion");
    expect(await db.mailThread.count({ where: { publicId: tid(list, "x@x") } })).toBe(0);

    const page = await callRoute(threadLoader, "/", { slug: list.slug, publicId: tid(list, "x@x") });
    expect(page.status).toBe(302);
    expect(page.response!.headers.get("Location")).toBe(`/lists/${list.slug}/thread/${tid(list, "a@x")}#m-${pid(list, "x@x")}`);
  });

  it("marks a message placed by a moderator on the message and thread pages, and only that one", async () => {
    const list = await createArchiveList();
    await planThread(list);
    await detachMessage(moderator.id, list, pid(list, "b@x"), "split");

    const page = await callRoute(messageLoader, "/", { slug: list.slug, publicId: pid(list, "b@x") });
    const loaded = page.data as { message: MessageView; list: { name: string; url: string; listAddress: string | null } };
    expect(loaded.message.placedByModerator).toBe(true);
    expect(renderToString(createElement(ArchiveMessageArticle, loaded))).toContain("placed in this thread by a moderator");
    const reply = (await callRoute(messageLoader, "/", { slug: list.slug, publicId: pid(list, "c@x") })).data as typeof loaded;
    expect(reply.message.placedByModerator).toBe(false);
    expect(renderToString(createElement(ArchiveMessageArticle, reply))).not.toContain("by a moderator");
    const root = (await callRoute(messageLoader, "/", { slug: list.slug, publicId: pid(list, "a@x") })).data as typeof loaded;
    expect(root.message.replies.map((r) => r.placedByModerator)).toEqual([false]); // e only; b left

    const thread = await callRoute(threadLoader, "/", { slug: list.slug, publicId: tid(list, "b@x") });
    const items = (thread.data as { items: ThreadItem[] }).items.filter((i) => i.kind === "message");
    expect(items.map((i) => [i.publicId, i.placedByModerator])).toEqual([
      [pid(list, "b@x"), true],
      [pid(list, "c@x"), false],
      [pid(list, "d@x"), false],
    ]);
    const html = items.map((item) => renderToString(createElement(ArchiveThreadItem, { item })));
    expect(html[0]).toContain("placed in this thread by a moderator");
    expect(html[1]).not.toContain("by a moderator");

    const placed = await messageJson(null, pid(list, "b@x"));
    const other = await messageJson(null, pid(list, "c@x"));
    expect([!placed.gone && placed.body.parentPlacedByModerator, !other.gone && other.body.parentPlacedByModerator]).toEqual([true, false]);
  });
});

describe("the message page action", () => {
  let list: ListRecord;

  beforeAll(async () => {
    list = await createArchiveList();
    await planThread(list);
    await createArchiveList({ slug: `${list.slug}-other` });
  });

  function post(publicId: string, user: TestUser | null, fields: Record<string, string>) {
    return callRoute(messageAction, `/lists/${list.slug}/m/${publicId}`, { slug: list.slug, publicId }, user, {
      method: "POST",
      body: new URLSearchParams(fields),
    });
  }

  type Placement = { placement: PlacementFeedback };

  it("is for moderators only, and a refused request changes nothing", async () => {
    const before = await snapshot(list.id);
    expect((await post(pid(list, "b@x"), member, { intent: "detach", reasonText: "my reason" })).status).toBe(403);
    expect((await post(pid(list, "b@x"), member, { intent: "reattach", parent: "e@x", reasonText: "my reason" })).status).toBe(403);
    const anonymous = await post(pid(list, "b@x"), null, { intent: "detach", reasonText: "my reason" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.response!.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect(await snapshot(list.id)).toEqual(before);
  });

  it("answers bad input with 400 and an error next to the field", async () => {
    const before = await snapshot(list.id);
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ intent: "reattach", parent: "nobody@x", reasonText: "a reason" }, "parent", /no message/],
      [{ intent: "reattach", parent: "d@x", reasonText: "a reason" }, "parent", /loop/],
      [{ intent: "reattach", parent: `/lists/${list.slug}-other/m/${pid(list, "a@x")}`, reasonText: "a reason" }, "parent", /another list/],
      [{ intent: "reattach", parent: "   ", reasonText: "a reason" }, "parent", /Message-ID/],
      [{ intent: "reattach", parent: "a@x", reasonText: "" }, "reasonText", /reason/],
      [{ intent: "detach", reasonText: "no" }, "reasonText", /reason/],
    ];
    for (const [fields, field, message] of cases) {
      const result = await post(pid(list, "b@x"), moderator, fields);
      expect(result.status, JSON.stringify(fields)).toBe(400);
      const { placement } = result.data as Placement;
      expect(placement.intent).toBe(fields.intent);
      expect(placement.fieldErrors[field]?.[0], JSON.stringify(fields)).toMatch(message);
    }
    const root = await post(pid(list, "a@x"), moderator, { intent: "detach", reasonText: "a reason" });
    expect(root.status).toBe(400);
    expect((root.data as Placement).placement.formErrors[0]).toMatch(/already starts/);
    expect(await snapshot(list.id)).toEqual(before);
  });

  it("detaches and re-attaches, then opens the message in its new thread", async () => {
    const detached = await post(pid(list, "c@x"), moderator, { intent: "detach", reasonText: "new topic" });
    expect(detached.status).toBe(302);
    expect(detached.response!.headers.get("Location")).toBe(`/lists/${list.slug}/thread/${tid(list, "c@x")}#m-${pid(list, "c@x")}`);
    expect(await members(tid(list, "c@x"))).toEqual(["c@x", "d@x"]);

    const back = await post(pid(list, "c@x"), moderator, { intent: "reattach", parent: `<b@x>`, reasonText: "it was not" });
    expect(back.status).toBe(302);
    expect(back.response!.headers.get("Location")).toBe(`/lists/${list.slug}/thread/${tid(list, "a@x")}#m-${pid(list, "c@x")}`);
    expect(await archiveViolations(list.id)).toEqual([]);

    // Hiding still works beside the new forms.
    expect((await post(pid(list, "e@x"), moderator, { intent: "hide", reasonCategory: "spam", reasonText: "spam" })).status).toBe(302);
    expect((await row(list, "e@x")).hiddenAt).not.toBeNull();
  });

  it("echoes hostile input back inert", async () => {
    const hostile = `"><script>alert(1)</script><img src=x onerror=alert(2)>`;
    const result = await post(pid(list, "b@x"), moderator, { intent: "reattach", parent: hostile, reasonText: hostile });
    expect(result.status).toBe(400);
    const feedback = (result.data as Placement).placement;
    expect(feedback.values).toMatchObject({ parent: hostile, reasonText: hostile });
    const html = renderToString(
      createElement(PlacementFields, { intent: "reattach", feedback: { ...feedback, formErrors: [hostile], fieldErrors: { ...feedback.fieldErrors, reasonText: [hostile] } } }),
    );
    expect(html).not.toContain("<script");
    expect(html).not.toContain("<img");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toMatch(/aria-invalid="true"/);
    // The other form shows none of it.
    expect(renderToString(createElement(PlacementFields, { intent: "detach", feedback }))).not.toContain("script");
  });
});
