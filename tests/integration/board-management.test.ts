// /mod/boards and /mod/rooms: create, rename, describe, reorder and archive
// forums, boards and rooms; each change audited; archived boards read-only.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { editPost } from "~/forums/edit-post.server";
import { createReply, createTopic } from "~/forums/posting.server";
import { listForums } from "~/forums/read.server";
import { action as boardsAction, loader as boardsLoader } from "~/routes/mod.boards._index";
import { action as roomsAction } from "~/routes/mod.rooms._index";
import { loader as boardPageLoader } from "~/routes/b.$slug._index";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";
import { auditOf, call, detailsOf, type User } from "./mod-support";

let moderator: User;
let member: User;

beforeAll(async () => {
  moderator = await createTestUser({ role: "moderator" });
  member = await createTestUser();
});
beforeEach(() => resetAllLimits());

const manage = (form: Record<string, string>, user: User | null = moderator) => call(boardsAction, "/mod/boards", {}, user, form);

async function newForum(slug: string) {
  const result = await manage({ intent: "forum-create", slug, name: `Forum ${slug}`, description: "about things" });
  expect(result.status).toBe(200);
  return db.forum.findUniqueOrThrow({ where: { slug } });
}

describe("forums and boards", () => {
  it("creates a forum and boards at the end of the order, each audited", async () => {
    const forum = await newForum("languages");
    expect((await auditOf("forum", forum.id)).map((e) => e.action)).toEqual(["forum.create"]);
    for (const slug of ["python", "rust"]) {
      const created = await manage({ intent: "board-create", forumId: String(forum.id), slug, name: slug.toUpperCase(), description: `All about ${slug}` });
      expect(created.data).toMatchObject({ ok: true });
    }
    const boards = await db.board.findMany({ where: { forumId: forum.id }, orderBy: { position: "asc" } });
    expect(boards.map((b) => b.slug)).toEqual(["python", "rust"]);
    const entry = (await auditOf("board", boards[1]!.id))[0]!;
    expect(entry).toMatchObject({ action: "board.create", actorId: moderator.id });
    expect(detailsOf(entry)).toMatchObject({ slug: "rust", forumId: forum.id });
    const page = await call(boardsLoader, "/mod/boards", {}, moderator);
    const listed = (page.data as { forums: { slug: string; boards: { slug: string }[] }[] }).forums.find((f) => f.slug === "languages");
    expect(listed?.boards.map((b) => b.slug)).toEqual(["python", "rust"]);
  });

  it("refuses bad input and taken addresses with field errors, writing nothing", async () => {
    const before = await db.auditEntry.count();
    const bad = await manage({ intent: "forum-create", slug: "Not A Slug!", name: "x" });
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ ok: false, form: "forum-create" });
    expect(Object.keys((bad.data as { fieldErrors: object }).fieldErrors).sort()).toEqual(["name", "slug"]);
    await newForum("taken");
    const again = await manage({ intent: "forum-create", slug: "taken", name: "Another" });
    expect(again.status).toBe(400);
    expect((again.data as { fieldErrors: Record<string, string[]> }).fieldErrors.slug).toEqual(["A forum already has this address."]);
    expect(await db.auditEntry.count()).toBe(before + 1);
    const unknown = await manage({ intent: "board-create", forumId: "999999", slug: "orphan", name: "Orphan" });
    expect(unknown.status).toBe(400);
    expect(await db.board.count({ where: { slug: "orphan" } })).toBe(0);
  });

  it("renames and describes, recording what changed", async () => {
    const board = await createTestBoard();
    const result = await manage({ intent: "board-edit", id: String(board.id), name: "Renamed board", description: board.description });
    expect(result.data).toMatchObject({ ok: true, form: `board-edit:${board.id}` });
    expect((await db.board.findUniqueOrThrow({ where: { id: board.id } })).name).toBe("Renamed board");
    const [entry] = await auditOf("board", board.id);
    expect(entry!.action).toBe("board.edit");
    expect(detailsOf(entry!)).toEqual({ slug: board.slug, name: { from: board.name, to: "Renamed board" } });
    const forum = await newForum("renamable");
    await manage({ intent: "forum-edit", id: String(forum.id), name: forum.name, description: "New words" });
    expect((await auditOf("forum", forum.id)).map((e) => e.action)).toEqual(["forum.create", "forum.edit"]);
  });

  it("reorders boards and forums up and down, and the forum index follows", async () => {
    const forum = await newForum("ordered");
    for (const slug of ["first", "second", "third"]) await manage({ intent: "board-create", forumId: String(forum.id), slug: `o-${slug}`, name: slug });
    const third = await db.board.findUniqueOrThrow({ where: { slug: "o-third" } });
    expect((await manage({ intent: "board-move", id: String(third.id), direction: "up" })).data).toMatchObject({ ok: true });
    await manage({ intent: "board-move", id: String(third.id), direction: "up" });
    const index = (await listForums()).find((f) => f.slug === "ordered")!;
    expect(index.boards.map((b) => b.slug)).toEqual(["o-third", "o-first", "o-second"]);
    const top = await manage({ intent: "board-move", id: String(third.id), direction: "up" });
    expect(top.status).toBe(400);
    expect(top.data).toMatchObject({ formErrors: ["That board is already at the top of its forum."] });
    expect((await auditOf("board", third.id)).filter((e) => e.action === "board.move")).toHaveLength(2);

    const forumsBefore = (await listForums()).map((f) => f.slug);
    const at = forumsBefore.indexOf("ordered");
    expect(at).toBeGreaterThan(0);
    await manage({ intent: "forum-move", id: String(forum.id), direction: "up" });
    const forumsAfter = (await listForums()).map((f) => f.slug);
    expect(forumsAfter.indexOf("ordered")).toBe(at - 1);
    expect((await auditOf("forum", forum.id)).at(-1)!.action).toBe("forum.move");
  });

  it("archives a board: still readable, no new topics or replies, even from moderators; reopening restores posting", async () => {
    const board = await createTestBoard();
    const topic = await createTopic(member, board.id, { title: "Before the archive", body: "first post" });
    expect(topic.ok).toBe(true);
    const archived = await manage({ intent: "board-archive", id: String(board.id), archived: "yes" });
    expect(archived.data).toMatchObject({ ok: true });
    const page = await call(boardPageLoader, `/b/${board.slug}`, { slug: board.slug }, member);
    expect(page.status).toBe(200);
    expect(page.data).toMatchObject({ board: { archived: true }, viewer: { canCreate: false } });
    resetAllLimits();
    const newTopic = await createTopic(member, board.id, { title: "After the archive", body: "refused" });
    expect(newTopic).toMatchObject({ ok: false, status: 403 });
    const reply = await createReply(moderator, topic.ok ? topic.topicId : 0, { body: "refused too" }, { canBypassLock: true });
    expect(reply).toMatchObject({ ok: false, status: 403 });
    const firstPost = await db.post.findFirstOrThrow({ where: { topicId: topic.ok ? topic.topicId : 0 } });
    expect(await editPost(member, firstPost.id, "rewritten after the archive")).toMatchObject({ ok: false, status: 403 });
    expect((await db.post.findUniqueOrThrow({ where: { id: firstPost.id } })).raw).toBe("first post");
    await manage({ intent: "board-archive", id: String(board.id), archived: "no" });
    resetAllLimits();
    expect((await createReply(member, topic.ok ? topic.topicId : 0, { body: "welcome back" }, { canBypassLock: false })).ok).toBe(true);
    expect((await auditOf("board", board.id)).map((e) => e.action)).toEqual(["board.archive", "board.unarchive"]);
  });

  it("archives a whole forum: its boards take no posts", async () => {
    const board = await createTestBoard();
    await manage({ intent: "forum-archive", id: String(board.forumId), archived: "yes" });
    expect(await createTopic(member, board.id, { title: "In an archived forum", body: "refused" })).toMatchObject({ ok: false, status: 403 });
    expect((await auditOf("forum", board.forumId)).map((e) => e.action)).toEqual(["forum.archive"]);
  });

  it("is for site moderators and admins: members get 403, visitors go to log in", async () => {
    const denied = await manage({ intent: "forum-create", slug: "nope", name: "Nope" }, member);
    expect(denied.status).toBe(403);
    const anonymous = await manage({ intent: "forum-create", slug: "nope", name: "Nope" }, null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.response?.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect(await db.forum.count({ where: { slug: "nope" } })).toBe(0);
  });
});

describe("chat rooms", () => {
  async function room(slug: string, position: number) {
    return db.chatRoom.create({ data: { slug, name: `Room ${slug}`, position } });
  }

  it("reorders and archives rooms, audited", async () => {
    const a = await room("alpha-room", 100);
    const b = await room("beta-room", 101);
    const moved = await call(roomsAction, "/mod/rooms", {}, moderator, { intent: "room-move", id: String(b.id), direction: "up" });
    expect(moved.data).toMatchObject({ ok: true });
    const order = await db.chatRoom.findMany({ orderBy: { position: "asc" }, select: { id: true } });
    expect(order.map((r) => r.id).indexOf(b.id)).toBeLessThan(order.map((r) => r.id).indexOf(a.id));
    expect((await auditOf("room", b.id)).map((e) => e.action)).toEqual(["room.move"]);
    const archived = await call(roomsAction, "/mod/rooms", {}, moderator, { intent: "room-archive", id: String(a.id), archived: "yes" });
    expect(archived.data).toMatchObject({ ok: true });
    expect((await db.chatRoom.findUniqueOrThrow({ where: { id: a.id } })).archivedAt).not.toBeNull();
    expect((await auditOf("room", a.id)).map((e) => e.action)).toEqual(["room.archive"]);
    const bottom = await call(roomsAction, "/mod/rooms", {}, moderator, { intent: "room-move", id: String(order.at(-1)!.id), direction: "down" });
    expect(bottom.status).toBe(400);
    expect((await call(roomsAction, "/mod/rooms", {}, member, { intent: "room-archive", id: String(b.id), archived: "yes" })).status).toBe(403);
  });
});
