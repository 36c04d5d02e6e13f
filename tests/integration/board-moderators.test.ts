// Board moderators: assigned on /mod/boards, they moderate their boards'
// content (posts, topics, queue items) and nothing else.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { canModerateBoard } from "~/forums/board-moderators.server";
import { editPost } from "~/forums/edit-post.server";
import { setPostHidden } from "~/forums/moderate-post.server";
import { createReply } from "~/forums/posting.server";
import { loader as adminUsersLoader } from "~/routes/admin.users._index";
import { action as boardsAction, loader as boardsLoader } from "~/routes/mod.boards._index";
import { loader as modIndexLoader } from "~/routes/mod._index";
import { loader as logLoader } from "~/routes/mod.log._index";
import { action as queueAction, loader as queueLoader } from "~/routes/mod.queue._index";
import { action as topicModAction, loader as topicModLoader } from "~/routes/mod.topics.$id";
import { action as memberPageAction } from "~/routes/mod.users.$username";
import { action as postAction } from "~/routes/p.$id._index";
import { loader as topicPageLoader } from "~/routes/t.$id.$slug._index";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";
import { auditOf, call, detailsOf, postsBy, reportedPost, type User } from "./mod-support";

let admin: User;
let boardMod: User;
let member: User;
let own: { id: number; slug: string };
let other: { id: number; slug: string };

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
  boardMod = await createTestUser();
  member = await createTestUser();
  own = await createTestBoard();
  other = await createTestBoard();
  const assigned = await call(boardsAction, "/mod/boards", {}, admin, { intent: "moderator-add", boardId: String(own.id), username: boardMod.username.toUpperCase(), reason: "trusted regular" });
  expect(assigned.data).toMatchObject({ ok: true, form: `moderator-add:${own.id}` });
});
beforeEach(() => resetAllLimits());

const hide = (postId: number, user: User) => call(postAction, `/p/${postId}`, { id: String(postId) }, user, { intent: "hide", reason: "off topic" });

describe("assigning", () => {
  it("records the assignment in the audit log and lists it on the board page", async () => {
    const entry = (await auditOf("board", own.id)).find((e) => e.action === "board.moderator-add")!;
    expect(entry.actorId).toBe(admin.id);
    expect(entry.reason).toBe("trusted regular");
    expect(detailsOf(entry)).toMatchObject({ userId: boardMod.id, username: boardMod.username });
    const page = await call(boardsLoader, "/mod/boards", {}, admin);
    const board = (page.data as { forums: { boards: { id: number; moderators: { username: string }[] }[] }[] }).forums.flatMap((f) => f.boards).find((b) => b.id === own.id);
    expect(board?.moderators.map((m) => m.username)).toEqual([boardMod.username]);
  });

  it("refuses unknown members and duplicates with field errors; members cannot assign", async () => {
    const unknown = await call(boardsAction, "/mod/boards", {}, admin, { intent: "moderator-add", boardId: String(own.id), username: "nobody-at-all", reason: "why not" });
    expect(unknown.status).toBe(400);
    expect((unknown.data as { fieldErrors: Record<string, string[]> }).fieldErrors.username).toEqual(["No member has that username."]);
    const twice = await call(boardsAction, "/mod/boards", {}, admin, { intent: "moderator-add", boardId: String(own.id), username: boardMod.username, reason: "again" });
    expect(twice.status).toBe(400);
    const byMember = await call(boardsAction, "/mod/boards", {}, member, { intent: "moderator-add", boardId: String(own.id), username: member.username, reason: "self-service" });
    expect(byMember.status).toBe(403);
    const byBoardMod = await call(boardsAction, "/mod/boards", {}, boardMod, { intent: "moderator-add", boardId: String(other.id), username: boardMod.username, reason: "expanding" });
    expect(byBoardMod.status).toBe(403);
    expect(await db.boardModerator.count({ where: { userId: { in: [member.id, boardMod.id] } } })).toBe(1);
  });

  it("canModerateBoard: site moderators everywhere, board moderators on their boards, nobody else", async () => {
    const moderator = await createTestUser({ role: "moderator" });
    expect(await canModerateBoard(moderator, other.id)).toBe(true);
    expect(await canModerateBoard(boardMod, own.id)).toBe(true);
    expect(await canModerateBoard(boardMod, other.id)).toBe(false);
    expect(await canModerateBoard(member, own.id)).toBe(false);
    expect(await canModerateBoard(null, own.id)).toBe(false);
  });
});

describe("on their own board", () => {
  it("hides and restores posts, audited; on another board gets 403 and nothing changes", async () => {
    const mine = await postsBy(member, 1, own);
    const theirs = await postsBy(member, 1, other);
    const hidden = await hide(mine.postIds[0]!, boardMod);
    expect(hidden.status).toBe(302);
    expect((await db.post.findUniqueOrThrow({ where: { id: mine.postIds[0]! } })).hiddenById).toBe(boardMod.id);
    expect((await auditOf("post", mine.postIds[0]!)).map((e) => [e.action, e.actorId])).toEqual([["post.hide", boardMod.id]]);
    const restored = await call(postAction, `/p/${mine.postIds[0]}`, { id: String(mine.postIds[0]) }, boardMod, { intent: "unhide", reason: "on reflection" });
    expect(restored.status).toBe(302);
    expect((await db.post.findUniqueOrThrow({ where: { id: mine.postIds[0]! } })).hiddenAt).toBeNull();

    expect((await hide(theirs.postIds[0]!, boardMod)).status).toBe(403);
    expect((await db.post.findUniqueOrThrow({ where: { id: theirs.postIds[0]! } })).hiddenAt).toBeNull();
    expect(await auditOf("post", theirs.postIds[0]!)).toHaveLength(0);
  });

  it("edits members' posts on their board only", async () => {
    const mine = await postsBy(member, 1, own);
    const theirs = await postsBy(member, 1, other);
    expect(await editPost(boardMod, mine.postIds[0]!, "tidied by the board moderator")).toMatchObject({ ok: true });
    expect((await db.post.findUniqueOrThrow({ where: { id: mine.postIds[0]! } })).raw).toBe("tidied by the board moderator");
    expect(await editPost(boardMod, theirs.postIds[0]!, "not mine to tidy")).toMatchObject({ ok: false, status: 403 });
    expect((await db.post.findUniqueOrThrow({ where: { id: theirs.postIds[0]! } })).raw).toBe("post 1");
  });

  it("locks, pins and moves topics within their boards only", async () => {
    const mine = await postsBy(member, 1, own);
    const theirs = await postsBy(member, 1, other);
    const params = (id: number) => ({ id: String(id) });
    expect((await call(topicModLoader, `/mod/topics/${mine.topicId}`, params(mine.topicId), boardMod)).status).toBe(200);
    expect((await call(topicModLoader, `/mod/topics/${theirs.topicId}`, params(theirs.topicId), boardMod)).status).toBe(403);
    expect((await call(topicModAction, `/mod/topics/${mine.topicId}`, params(mine.topicId), boardMod, { intent: "lock", reason: "heated" })).status).toBe(302);
    expect((await call(topicModAction, `/mod/topics/${mine.topicId}`, params(mine.topicId), boardMod, { intent: "pin" })).status).toBe(302);
    expect(await db.topic.findUniqueOrThrow({ where: { id: mine.topicId } })).toMatchObject({ locked: true, pinned: true });
    // Board moderators answer in their locked topics, as moderators do.
    expect((await createReply(boardMod, mine.topicId, { body: "calm down please" }, { canBypassLock: await canModerateBoard(boardMod, own.id) })).ok).toBe(true);

    expect((await call(topicModAction, `/mod/topics/${theirs.topicId}`, params(theirs.topicId), boardMod, { intent: "lock", reason: "heated" })).status).toBe(403);
    const moveOut = await call(topicModAction, `/mod/topics/${mine.topicId}`, params(mine.topicId), boardMod, { intent: "move", board: String(other.id), reason: "belongs there" });
    expect(moveOut.status).toBe(403);
    expect((await db.topic.findUniqueOrThrow({ where: { id: mine.topicId } })).boardId).toBe(own.id);
    expect((await db.topic.findUniqueOrThrow({ where: { id: theirs.topicId } })).locked).toBe(false);
    expect((await auditOf("topic", mine.topicId)).map((e) => e.action)).toEqual(["topic.lock", "topic.pin"]);
  });

  it("sees the moderation controls and hidden posts on their board's topic pages only", async () => {
    const mine = await postsBy(member, 1, own);
    const theirs = await postsBy(member, 1, other);
    const admin2 = await createTestUser({ role: "moderator" });
    await setPostHidden(admin2, mine.postIds[0]!, true, "spam");
    const page = await call(topicPageLoader, `/t/${mine.topicId}/x`, { id: String(mine.topicId), slug: (await db.topic.findUniqueOrThrow({ where: { id: mine.topicId } })).slug }, boardMod);
    expect(page.data).toMatchObject({ topic: { moderates: true } });
    expect((page.data as { posts: { cooked: string | null }[] }).posts[0]!.cooked).toContain("post 1");
    const otherPage = await call(topicPageLoader, `/t/${theirs.topicId}/x`, { id: String(theirs.topicId), slug: (await db.topic.findUniqueOrThrow({ where: { id: theirs.topicId } })).slug }, boardMod);
    expect(otherPage.data).toMatchObject({ topic: { moderates: false } });
  });
});

describe("the queue for board moderators", () => {
  it("shows only their boards' reported posts, and acts on those only", async () => {
    const mine = await reportedPost(["spam"], own);
    const theirs = await reportedPost(["spam"], other);
    const queue = await call(queueLoader, "/mod/queue", {}, boardMod);
    expect(queue.status).toBe(200);
    const keys = (queue.data as { items: { key: string; author: { history: unknown } | null }[] }).items.map((i) => i.key);
    expect(keys).toContain(`post:${mine.postId}`);
    expect(keys).not.toContain(`post:${theirs.postId}`);
    expect(keys.every((k) => k.startsWith("post:") || k.startsWith("appeal:"))).toBe(true);
    // Member records (notes, sanctions) are for site moderators.
    expect((queue.data as { items: { author: { history: unknown } | null }[] }).items.every((i) => i.author?.history === null)).toBe(true);

    const refused = await call(queueAction, "/mod/queue", {}, boardMod, { intent: "hide", itemKey: `post:${theirs.postId}`, reason: "spam" });
    expect(refused.status).toBe(403);
    expect((await db.post.findUniqueOrThrow({ where: { id: theirs.postId } })).hiddenAt).toBeNull();
    const bulk = await call(queueAction, "/mod/queue", {}, boardMod, { intent: "bulk-hide", items: [`post:${mine.postId}`, `post:${theirs.postId}`], reason: "spam" });
    expect(bulk.status).toBe(403);
    const warn = await call(queueAction, "/mod/queue", {}, boardMod, { intent: "warn", userId: String(mine.author.id), reason: "stop it" });
    expect(warn.status).toBe(403);

    const done = await call(queueAction, "/mod/queue", {}, boardMod, { intent: "hide", itemKey: `post:${mine.postId}`, reason: "spam" });
    expect(done.data).toMatchObject({ ok: true });
    expect((await db.post.findUniqueOrThrow({ where: { id: mine.postId } })).hiddenById).toBe(boardMod.id);
    expect(await db.report.findMany({ where: { targetType: "post", targetId: mine.postId } })).toEqual([expect.objectContaining({ state: "actioned", resolvedById: boardMod.id })]);
  });

  it("opens /mod with their boards, and nothing site-wide", async () => {
    const landing = await call(modIndexLoader, "/mod", {}, boardMod);
    expect(landing.data).toMatchObject({ siteModerator: false, boards: [{ slug: own.slug }] });
    expect((await call(boardsLoader, "/mod/boards", {}, boardMod)).status).toBe(403);
    expect((await call(logLoader, "/mod/log", {}, boardMod)).status).toBe(403);
    expect((await call(adminUsersLoader, "/admin/users", {}, boardMod)).status).toBe(403);
    expect((await call(memberPageAction, `/mod/users/${member.username}`, { username: member.username }, boardMod, { intent: "note", userId: String(member.id), body: "hi" })).status).toBe(403);
    expect((await call(modIndexLoader, "/mod", {}, member)).status).toBe(403);
  });

  it("loses the powers when removed, audited", async () => {
    const extra = await createTestUser();
    await call(boardsAction, "/mod/boards", {}, admin, { intent: "moderator-add", boardId: String(own.id), username: extra.username, reason: "for a week" });
    const post = await postsBy(member, 1, own);
    const removed = await call(boardsAction, "/mod/boards", {}, admin, { intent: "moderator-remove", boardId: String(own.id), userId: String(extra.id), reason: "week is over" });
    expect(removed.data).toMatchObject({ ok: true });
    expect((await hide(post.postIds[0]!, extra)).status).toBe(403);
    expect((await auditOf("board", own.id)).map((e) => e.action)).toContain("board.moderator-remove");
  });
});
