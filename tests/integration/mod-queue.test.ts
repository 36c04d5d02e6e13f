// The review queue and the decisions taken from it: dismiss, hide, restore,
// take down an archived message; each audited, reports resolved, and the
// routes closed to members and visitors.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { editPost } from "~/forums/edit-post.server";
import { dismissReports, hideReportedPost, restorePost, takeDownReportedMessage } from "~/moderation/decisions.server";
import { reportMessage } from "~/moderation/mail-report.server";
import { loadQueue, openQueueCount, parseQueueFilters } from "~/moderation/queue.server";
import { action as messageAction } from "~/routes/lists.$slug.m.$publicId._index";
import { loader as modIndexLoader } from "~/routes/mod._index";
import { action as queueAction, loader as queueLoader } from "~/routes/mod.queue._index";
import { recordImportFailure } from "~/archive/ingest-runs.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createArchiveList, createArchiveThread } from "../support/archive-factories";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";
import { auditOf, call, detailsOf, reportedPost, type User } from "./mod-support";

let moderator: User;
let member: User;

beforeAll(async () => {
  moderator = await createTestUser({ role: "moderator" });
  member = await createTestUser();
});
beforeEach(() => resetAllLimits());

const filters = (query = "") => parseQueueFilters(new URLSearchParams(query));

describe("the queue", () => {
  it("groups reports per post with every reason and reporter, keeps the snapshot after an edit, and counts it on /mod", async () => {
    const before = await openQueueCount();
    const { postId, reporters, author } = await reportedPost(["spam link", "advertising"]);
    await editPost(author, postId, "an innocent text now");
    const { items } = await loadQueue(filters("type=post"), moderator);
    const item = items.find((i) => i.key === `post:${postId}`)!;
    expect(item.reportCount).toBe(2);
    expect(item.reports.map((r) => [r.reporter, r.reason]).sort()).toEqual(
      [[reporters[0]!.username, "spam link"], [reporters[1]!.username, "advertising"]].sort(),
    );
    expect(item.snapshot?.text).toBe("post 1");
    expect(item.current).toMatchObject({ state: "visible", text: "an innocent text now", edited: true });
    expect(item.author?.username).toBe(author.username);
    expect(item.author?.history?.suggestion.action).toBe("warn");
    expect(await openQueueCount()).toBe(before + 1);
    const landing = await call(modIndexLoader, "/mod", {}, moderator);
    expect(landing.data).toMatchObject({ openItems: before + 1 });
  });

  it("orders by most reported on request and filters by board and state", async () => {
    const board = await createTestBoard();
    const once = await reportedPost(["a"], board);
    const thrice = await reportedPost(["a", "b", "c"], board);
    const newest = (await loadQueue(filters(`board=${board.slug}`), moderator)).items.map((i) => i.key);
    expect(newest).toEqual([`post:${thrice.postId}`, `post:${once.postId}`]);
    const most = (await loadQueue(filters(`board=${board.slug}&sort=most-reported`), moderator)).items.map((i) => i.key);
    expect(most[0]).toBe(`post:${thrice.postId}`);
    await dismissReports(moderator, "post", once.postId, "not spam");
    expect((await loadQueue(filters(`board=${board.slug}`), moderator)).items.map((i) => i.key)).toEqual([`post:${thrice.postId}`]);
    const resolved = await loadQueue(filters(`board=${board.slug}&state=resolved`), moderator);
    expect(resolved.items.map((i) => i.key)).toEqual([`post:${once.postId}`]);
    expect(resolved.items[0]!.reports[0]!.state).toBe("dismissed");
  });

  it("lists unresolved import failures with a link to their list's failure page", async () => {
    const list = await createArchiveList();
    const run = await db.importRun.create({ data: { listId: list.id, kind: "mbox" } });
    await recordImportFailure(db, { listId: list.id, runId: run.id, reason: "unparseable headers", raw: Buffer.from("junk"), source: "test.mbox" });
    const { items } = await loadQueue(filters(`type=import&list=${list.slug}`), moderator);
    expect(items).toHaveLength(1);
    expect(items[0]!.failure).toMatchObject({ listSlug: list.slug, href: `/mod/lists/${list.slug}#failures-heading` });
  });

  it("is for moderators only: members get 403, visitors go to log in", async () => {
    expect((await call(queueLoader, "/mod/queue", {}, member)).status).toBe(403);
    const anonymous = await call(queueLoader, "/mod/queue", {}, null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.response?.headers.get("Location")).toContain("/login?redirectTo=%2Fmod%2Fqueue");
    const { postId } = await reportedPost();
    const refused = await call(queueAction, "/mod/queue", {}, member, { intent: "hide", itemKey: `post:${postId}`, reason: "spam" });
    expect(refused.status).toBe(403);
    expect((await db.post.findUniqueOrThrow({ where: { id: postId } })).hiddenAt).toBeNull();
  });
});

describe("decisions", () => {
  it("dismisses: reports → dismissed with who, when and rule; audited as report.dismiss", async () => {
    const { postId } = await reportedPost(["rude"]);
    const result = await call(queueAction, "/mod/queue", {}, moderator, { intent: "dismiss", itemKey: `post:${postId}`, reason: "robust but fair", rule: "harassment" });
    expect(result).toMatchObject({ status: 200, data: { ok: true, form: `dismiss:post:${postId}` } });
    const report = await db.report.findFirstOrThrow({ where: { targetType: "post", targetId: postId } });
    expect(report).toMatchObject({ state: "dismissed", resolvedById: moderator.id, rule: "harassment" });
    const [entry] = await auditOf("post", postId);
    expect(entry).toMatchObject({ action: "report.dismiss", reason: "robust but fair", actorId: moderator.id });
    expect(detailsOf(entry!)).toMatchObject({ rule: "harassment", reportIds: [report.id] });
    // A second dismiss finds nothing open.
    expect((await dismissReports(moderator, "post", postId, "again")).ok).toBe(false);
  });

  it("refuses a decision without a reason or with an unknown rule, with field errors and nothing written", async () => {
    const { postId } = await reportedPost();
    const noReason = await call(queueAction, "/mod/queue", {}, moderator, { intent: "hide", itemKey: `post:${postId}`, reason: " " });
    expect(noReason.status).toBe(400);
    expect((noReason.data as { fieldErrors: Record<string, string[]> }).fieldErrors.reason).toBeTruthy();
    const badRule = await call(queueAction, "/mod/queue", {}, moderator, { intent: "hide", itemKey: `post:${postId}`, reason: "spam", rule: "made-up" });
    expect(badRule.status).toBe(400);
    expect((badRule.data as { fieldErrors: Record<string, string[]> }).fieldErrors.rule).toBeTruthy();
    expect((await db.post.findUniqueOrThrow({ where: { id: postId } })).hiddenAt).toBeNull();
    expect(await auditOf("post", postId)).toHaveLength(0);
  });

  it("hides with a public reason (reports → actioned, search re-indexed), and restores", async () => {
    const { postId } = await reportedPost(["spam"]);
    const outboxBefore = await db.searchOutbox.count({ where: { kind: "post", targetId: postId } });
    expect((await hideReportedPost(moderator, postId, "advertising", "spam")).ok).toBe(true);
    expect(await db.post.findUniqueOrThrow({ where: { id: postId } })).toMatchObject({ hiddenById: moderator.id, hiddenReason: "advertising" });
    expect((await db.report.findFirstOrThrow({ where: { targetType: "post", targetId: postId } })).state).toBe("actioned");
    expect(await db.searchOutbox.count({ where: { kind: "post", targetId: postId } })).toBe(outboxBefore + 1);
    expect((await restorePost(moderator, postId, "it was fine after all")).ok).toBe(true);
    expect((await db.post.findUniqueOrThrow({ where: { id: postId } })).hiddenAt).toBeNull();
    const entries = await auditOf("post", postId);
    expect(entries.map((e) => e.action)).toEqual(["post.hide", "post.unhide"]);
    expect(detailsOf(entries[0]!)).toMatchObject({ rule: "spam" });
    expect((await restorePost(moderator, postId, "again")).ok).toBe(false);
  });

  it("keeps the evidence when the author deletes the post", async () => {
    const { postId, author } = await reportedPost(["nasty"]);
    await db.post.update({ where: { id: postId }, data: { deletedAt: new Date() } });
    const { items } = await loadQueue(filters("type=post"), moderator);
    const item = items.find((i) => i.key === `post:${postId}`)!;
    expect(item.snapshot).toMatchObject({ text: "post 1", author: author.username });
    expect(item.current.state).toBe("deleted");
  });

  it("takes down a reported archived message (members report it from its page), tombstoned and audited", async () => {
    const list = await createArchiveList();
    const { messages } = await createArchiveThread(list, [{ subject: "My phone number", fromName: "Zed", text: "Call me on 555-0100." }]);
    const message = messages[0]!;
    const url = `/lists/${list.slug}/m/${message.publicId}`;
    const params = { slug: list.slug, publicId: message.publicId };
    const visitor = await call(messageAction, url, params, null, { intent: "report", reason: "my number" });
    expect(visitor.status).toBe(302);
    const empty = await call(messageAction, url, params, member, { intent: "report", reason: "" });
    expect(empty.status).toBe(400);
    const sent = await call(messageAction, url, params, member, { intent: "report", reason: "This is my phone number, please remove it" });
    expect(sent.data).toMatchObject({ report: { ok: true } });
    expect((await reportMessage(member.id, message.id, "again")).ok).toBe(false);

    const { items } = await loadQueue(filters(`type=mail&list=${list.slug}`), moderator);
    expect(items).toHaveLength(1);
    expect(items[0]!.snapshot).toMatchObject({ subject: "My phone number", text: "Call me on 555-0100." });

    const result = await takeDownReportedMessage(moderator, message.id, "personal-data", "reporter's phone number", "personal-data");
    expect(result.ok).toBe(true);
    expect((await db.mailMessage.findUniqueOrThrow({ where: { id: message.id } })).hiddenReason).toBe("personal-data: reporter's phone number");
    expect(await db.mailTombstone.count({ where: { listId: list.id } })).toBe(1);
    expect((await db.report.findFirstOrThrow({ where: { targetType: "mail", targetId: message.id } })).state).toBe("actioned");
    const entries = await auditOf("mail", message.publicId);
    expect(entries.map((e) => e.action)).toEqual(["mail.hide", "report.action"]);
    expect(detailsOf(entries[1]!)).toMatchObject({ rule: "personal-data", category: "personal-data" });
  });
});
