// Staff notes on members (moderators only), the member page, and appeals:
// author appeals once per hide → the queue → restore or uphold, notified.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { hideReportedPost } from "~/moderation/decisions.server";
import { loadQueue, parseQueueFilters } from "~/moderation/queue.server";
import { action as appealAction, loader as appealLoader } from "~/routes/p.$id.appeal";
import { action as queueAction } from "~/routes/mod.queue._index";
import { action as userAction, loader as userLoader } from "~/routes/mod.users.$username";
import { loader as notificationsLoader } from "~/routes/notifications";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { auditOf, call, detailsOf, reportedPost, type User } from "./mod-support";

let grace: User;
let ada: User;
let member: User;

beforeAll(async () => {
  grace = await createTestUser({ role: "moderator" });
  ada = await createTestUser({ role: "admin" });
  member = await createTestUser();
});
beforeEach(() => resetAllLimits());

describe("staff notes and the member page", () => {
  it("lets moderators add and read notes; members get 403 and visitors go to log in", async () => {
    const { author } = await reportedPost(["spam"]);
    const url = `/mod/users/${author.username}`;
    const params = { username: author.username };
    const empty = await call(userAction, url, params, grace, { intent: "note", userId: String(author.id), body: "  " });
    expect(empty.status).toBe(400);
    const added = await call(userAction, url, params, grace, { intent: "note", userId: String(author.id), body: "Posts links to <b>shops</b>; watch." });
    expect(added.data).toMatchObject({ ok: true });
    const page = await call(userLoader, url, params, ada);
    const data = page.data as { history: { notes: { body: string; author: string }[]; posts: unknown[] }; reports: unknown[]; member: { username: string } };
    expect(data.history.notes[0]).toMatchObject({ body: "Posts links to <b>shops</b>; watch.", author: grace.username });
    expect(data.history.posts).toHaveLength(1);
    expect(data.reports).toHaveLength(1);

    expect((await call(userLoader, url, params, member)).status).toBe(403);
    expect((await call(userLoader, url, params, author)).status).toBe(403);
    expect((await call(userAction, url, params, member, { intent: "note", userId: String(author.id), body: "x" })).status).toBe(403);
    expect((await call(userLoader, url, params, null)).status).toBe(302);
    expect(await db.staffNote.count({ where: { userId: author.id } })).toBe(1);
  });

  it("acts only on the member whose page it is", async () => {
    const { author } = await reportedPost();
    const other = await createTestUser();
    const result = await call(userAction, `/mod/users/${author.username}`, { username: author.username }, grace, { intent: "warn", userId: String(other.id), reason: "x y z" });
    expect(result.status).toBe(403);
    expect(await db.notification.count({ where: { userId: other.id, kind: "warning" } })).toBe(0);
  });
});

describe("appeals", () => {
  async function hiddenPost() {
    const made = await reportedPost(["spam"]);
    await hideReportedPost(grace, made.postId, "looks like spam", "spam");
    return made;
  }

  it("goes back into the queue, tells the hider another moderator should decide, and restores with a notification", async () => {
    const { postId, author } = await hiddenPost();
    const url = `/p/${postId}/appeal`;
    const params = { id: String(postId) };
    expect((await call(appealLoader, url, params, member)).status).toBe(404);
    expect((await call(appealAction, url, params, member, { text: "I am someone else entirely" })).status).toBe(404);
    expect((await call(appealAction, url, params, author, { text: "short" })).status).toBe(400);
    const sent = await call(appealAction, url, params, author, { text: "It was a genuine recommendation, not spam." });
    expect(sent.data).toMatchObject({ ok: true });
    const again = await call(appealAction, url, params, author, { text: "Please, it really was not spam." });
    expect(again.status).toBe(409);
    expect((await call(appealLoader, url, params, author)).data).toMatchObject({ canAppeal: false, appeal: { state: "open" } });

    const appeal = await db.appeal.findFirstOrThrow({ where: { postId } });
    const asGrace = (await loadQueue(parseQueueFilters(new URLSearchParams("type=appeal")), grace)).items.find((i) => i.key === `appeal:${appeal.id}`)!;
    expect(asGrace.appeal).toMatchObject({ hiddenByViewer: true, otherModeratorExists: true, text: "It was a genuine recommendation, not spam." });
    const asAda = (await loadQueue(parseQueueFilters(new URLSearchParams("type=appeal")), ada)).items.find((i) => i.key === `appeal:${appeal.id}`)!;
    expect(asAda.appeal?.hiddenByViewer).toBe(false);

    const decided = await call(queueAction, "/mod/queue", {}, ada, { intent: "appeal-restore", itemKey: `appeal:${appeal.id}`, reason: "A fair recommendation." });
    expect(decided.data).toMatchObject({ ok: true });
    expect((await db.post.findUniqueOrThrow({ where: { id: postId } })).hiddenAt).toBeNull();
    expect(await db.appeal.findUniqueOrThrow({ where: { id: appeal.id } })).toMatchObject({ state: "restored", decidedById: ada.id });
    const actions = (await auditOf("post", postId)).map((e) => e.action);
    expect(actions).toEqual(["post.hide", "post.unhide", "appeal.restore"]);

    const notes = (await call(notificationsLoader, "/notifications", {}, author)).data as { notifications: { notice: { title: string; text: string } | null; href: string | null }[] };
    expect(notes.notifications[0]!.notice).toEqual({ title: "Decision on your appeal", text: "Your appeal was accepted and your post is visible again: A fair recommendation." });
    expect(notes.notifications[0]!.href).toMatch(/^\/t\/\d+\/.+\/1$/);

    const twice = await call(queueAction, "/mod/queue", {}, grace, { intent: "appeal-uphold", itemKey: `appeal:${appeal.id}`, reason: "uphold it after all" });
    expect(twice.status).toBe(409);
  });

  it("upholds: the post stays hidden, the author is told, and a new hide can be appealed again", async () => {
    const { postId, author } = await hiddenPost();
    await call(appealAction, `/p/${postId}/appeal`, { id: String(postId) }, author, { text: "Please look again at this one." });
    const appeal = await db.appeal.findFirstOrThrow({ where: { postId } });
    const result = await call(queueAction, "/mod/queue", {}, ada, { intent: "appeal-uphold", itemKey: `appeal:${appeal.id}`, reason: "Still advertising.", rule: "spam" });
    expect(result.data).toMatchObject({ ok: true });
    expect((await db.post.findUniqueOrThrow({ where: { id: postId } })).hiddenAt).not.toBeNull();
    const entry = (await auditOf("post", postId)).find((e) => e.action === "appeal.uphold")!;
    expect(detailsOf(entry)).toMatchObject({ appealId: appeal.id, rule: "spam" });
    expect(await db.notification.findFirstOrThrow({ where: { userId: author.id, kind: "appeal" } })).toMatchObject({ text: "Your appeal was considered and the post stays hidden: Still advertising." });

    // Restored, then hidden again by a new decision: that one can be appealed.
    await db.post.update({ where: { id: postId }, data: { hiddenAt: null } });
    await hideReportedPost(grace, postId, "hidden again", "spam");
    expect((await call(appealLoader, `/p/${postId}/appeal`, { id: String(postId) }, author)).data).toMatchObject({ canAppeal: true });
  });
});
