import { beforeEach, describe, expect, it } from "vitest";
import { deleteOwnMessage, editMessage } from "~/chat/edit.server";
import { loadViews } from "~/chat/view.server";
import { muteMember, unmuteMember } from "~/chat/mutes.server";
import { removeMessage } from "~/chat/remove.server";
import { reportChatMessage } from "~/chat/report.server";
import { createRoom, setRoomArchived, updateRoom } from "~/chat/rooms.server";
import { sendMessage } from "~/chat/send.server";
import { action as messageAction } from "~/routes/chat.$slug.m.$id._index";
import { loader as roomLoader } from "~/routes/chat.$slug._index";
import { action as settingsAction } from "~/routes/chat.$slug.settings";
import { action as newRoomAction } from "~/routes/chat.new";
import { action as reportAction } from "~/routes/chat.$slug.m.$id.report";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { callRoute } from "../archive-read/call-route";
import { createTestRoom } from "../support/chat-factories";
import { createTestUser } from "../support/factories";

beforeEach(() => resetAllLimits());

const MINUTE = 60_000;

async function auditOf(targetType: string, targetId: number) {
  return db.auditEntry.findMany({ where: { targetType, targetId: String(targetId) }, orderBy: { id: "asc" } });
}

async function send(author: { id: number; role: string }, room: { id: number; archivedAt: Date | null; slowModeSeconds: number }, body: string, now?: Date) {
  const result = await sendMessage(author, room, { body }, now);
  if (!result.ok) throw new Error(result.message);
  return result.id;
}

describe("editing and deleting one's own messages", () => {
  it("allows edits within 15 minutes, shows them as edited, and refuses later edits and other members", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const other = await createTestUser();
    const sentAt = new Date(Date.now() - 10 * MINUTE);
    const id = await send(author, room, "teh typo", sentAt);
    expect(await editMessage(author, id, "the typo, fixed")).toMatchObject({ ok: true });
    const [view] = await loadViews({ id });
    expect(view).toMatchObject({ html: expect.stringContaining("the typo, fixed") as string, editedAt: expect.any(String) as string });
    expect(await editMessage(other, id, "hijacked")).toMatchObject({ ok: false, status: 403 });
    const late = new Date(sentAt.getTime() + 16 * MINUTE);
    const refused = await editMessage(author, id, "too late", late);
    expect(refused).toMatchObject({ ok: false, status: 403 });
    expect(!refused.ok && refused.message).toContain("15 minutes");
    expect(await deleteOwnMessage(author, id, late)).toMatchObject({ ok: false, status: 403 });
    expect((await db.chatMessage.findUniqueOrThrow({ where: { id } })).body).toBe("the typo, fixed");
  });

  it("deletes one's own message: readers see it was deleted by its author, never its text", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const id = await send(author, room, "oops, wrong room");
    const deleted = await callRoute(messageAction, `/chat/${room.slug}/m/${id}`, { slug: room.slug, id: String(id) }, { ...author, role: "member" }, {
      method: "POST", body: new URLSearchParams({ intent: "delete" }),
    });
    expect(deleted.status).toBe(302);
    const page = await callRoute(roomLoader, `/chat/${room.slug}`, { slug: room.slug });
    const [message] = (page.data as { messages: { deleted: string | null; html: string | null }[] }).messages;
    expect(message).toMatchObject({ deleted: "author", html: null });
    expect(JSON.stringify(page.data)).not.toContain("wrong room");
  });
});

describe("what an edit changes for others", () => {
  it("notifies members an edit mentions for the first time, once per message", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const first = await createTestUser();
    const second = await createTestUser();
    const id = await send(author, room, `hello @${first.username}`);
    const mentions = (userId: number) => db.notification.count({ where: { userId, chatMessageId: id, kind: "chat-mention" } });
    expect(await mentions(first.id)).toBe(1);
    await editMessage(author, id, `hello @${first.username} and @${second.username}`);
    expect([await mentions(first.id), await mentions(second.id)]).toEqual([1, 1]);
    // Removing and re-adding a mention, or mentioning oneself, notifies no one again.
    await editMessage(author, id, "hello everyone");
    await editMessage(author, id, `hello @${second.username} and @${author.username}`);
    expect([await mentions(first.id), await mentions(second.id), await mentions(author.id)]).toEqual([1, 1, 0]);
  });

  it("refreshes the quoted excerpt of replies when the quoted message is edited, deleted or removed", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const replier = await createTestUser();
    const moderator = await createTestUser({ role: "moderator" });
    const quoted = await send(author, room, "the original wording");
    const replyResult = await sendMessage(replier, room, { body: "agreed", replyToId: quoted });
    if (!replyResult.ok) throw new Error(replyResult.message);
    const reply = replyResult.id;
    const stamp = async () => (await db.chatMessage.findUniqueOrThrow({ where: { id: reply } })).revisedAfterId;
    const excerpt = async () => (await loadViews({ id: reply }))[0]!.replyTo?.excerpt;
    expect(await stamp()).toBe(0);

    await editMessage(author, quoted, "the corrected wording");
    expect(await excerpt()).toContain("corrected wording");
    // Stamped as revised, so a stream resuming from before the edit replays the reply too.
    const afterEdit = await stamp();
    expect(afterEdit).toBe(reply);

    await deleteOwnMessage(author, quoted);
    expect(await excerpt()).toBeNull();
    expect(await stamp()).toBe(afterEdit);

    const second = await send(author, room, "another one");
    const secondReplyResult = await sendMessage(replier, room, { body: "me too", replyToId: second });
    if (!secondReplyResult.ok) throw new Error(secondReplyResult.message);
    await removeMessage(moderator, second, "off topic");
    expect((await db.chatMessage.findUniqueOrThrow({ where: { id: secondReplyResult.id } })).revisedAfterId).toBe(secondReplyResult.id);
  });
});

describe("moderators", () => {
  it("remove any message with a reason readers see, recorded in the audit log; members cannot", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const moderator = await createTestUser({ role: "moderator" });
    const id = await send(author, room, "something against the rules");
    const asMember = await callRoute(messageAction, `/chat/${room.slug}/m/${id}`, { slug: room.slug, id: String(id) }, { ...author, role: "member" }, {
      method: "POST", body: new URLSearchParams({ intent: "remove", reason: "because" }),
    });
    expect(asMember.status).toBe(403);
    const noReason = await callRoute(messageAction, `/chat/${room.slug}/m/${id}`, { slug: room.slug, id: String(id) }, { ...moderator, role: "moderator" }, {
      method: "POST", body: new URLSearchParams({ intent: "remove", reason: "" }),
    });
    expect(noReason.status).toBe(400);
    expect((await db.chatMessage.findUniqueOrThrow({ where: { id } })).deletedAt).toBeNull();

    await reportChatMessage(moderator.id, id, "spam link");
    await removeMessage(moderator, id, "spam");
    const [view] = await loadViews({ id });
    expect(view).toMatchObject({ deleted: "moderators", deleteReason: "spam", html: null });
    expect((await auditOf("chat", id)).map((e) => [e.action, e.actorId, e.reason])).toEqual([["chat.remove", moderator.id, "spam"]]);
    expect(await db.report.findFirstOrThrow({ where: { targetType: "chat", targetId: id } })).toMatchObject({ state: "actioned" });
  });

  it("mute a member for a while: they cannot post, see until when, and can post again once unmuted", async () => {
    const room = await createTestRoom();
    const member = await createTestUser();
    const moderator = await createTestUser({ role: "moderator" });
    const id = await send(member, room, "first");
    const muted = await callRoute(messageAction, `/chat/${room.slug}/m/${id}`, { slug: room.slug, id: String(id) }, { ...moderator, role: "moderator" }, {
      method: "POST", body: new URLSearchParams({ intent: "mute", minutes: "60", reason: "cool down" }),
    });
    expect(muted.status).toBe(302);
    const refused = await sendMessage(member, room, { body: "let me talk" });
    expect(refused).toMatchObject({ ok: false, status: 403 });
    expect(!refused.ok && refused.message).toMatch(/muted you in this room until .* UTC \(cool down\)/);
    const page = await callRoute(roomLoader, `/chat/${room.slug}`, { slug: room.slug }, { ...member, role: "member" });
    const viewer = (page.data as { viewer: { mute: { until: string; reason: string } | null } }).viewer;
    expect(viewer.mute?.reason).toBe("cool down");
    expect(Math.abs(Date.parse(viewer.mute!.until) - (Date.now() + 60 * MINUTE))).toBeLessThan(MINUTE);
    // Other rooms are not affected, and the mute ends on its own.
    const elsewhere = await createTestRoom();
    expect((await sendMessage(member, elsewhere, { body: "hi elsewhere" })).ok).toBe(true);
    expect((await sendMessage(member, room, { body: "later" }, new Date(Date.now() + 61 * MINUTE))).ok).toBe(true);

    await muteMember(moderator, room.id, member.id, 10, "again");
    await unmuteMember(moderator, room.id, member.id);
    expect((await sendMessage(member, room, { body: "back" })).ok).toBe(true);
    expect((await auditOf("user", member.id)).map((e) => e.action)).toEqual(["chat.mute", "chat.mute", "chat.unmute"]);
  });

  it("set slow mode: one message per N seconds per member, moderators exempt, recorded in the audit log", async () => {
    const created = await createRoom({ id: (await createTestUser({ role: "moderator" })).id }, { slug: `slow-${Date.now()}`, name: "Slow room", description: "" });
    if (!created.ok) throw new Error("room not created");
    const moderator = await createTestUser({ role: "moderator" });
    const member = await createTestUser();
    await updateRoom(moderator, created.room.id, { name: "Slow room", description: "", slowModeSeconds: 30 });
    const room = await db.chatRoom.findUniqueOrThrow({ where: { id: created.room.id } });
    const t0 = new Date();
    await send(member, room, "one", t0);
    const refused = await sendMessage(member, room, { body: "two" }, new Date(t0.getTime() + 10_000));
    expect(refused).toMatchObject({ ok: false, status: 429, retryAfterSeconds: 20 });
    expect(!refused.ok && refused.message).toContain("one message every 30 seconds");
    expect((await sendMessage(member, room, { body: "three" }, new Date(t0.getTime() + 31_000))).ok).toBe(true);
    await send(moderator, room, "mod one", t0);
    expect((await sendMessage(moderator, room, { body: "mod two" }, new Date(t0.getTime() + 1_000))).ok).toBe(true);
    const audit = await auditOf("room", room.id);
    expect(audit.map((e) => e.action)).toEqual(["room.create", "room.slowmode"]);
    expect(JSON.parse(audit[1]!.details)).toEqual({ slowModeSeconds: { from: 0, to: 30 } });
  });

  it("archive a room: it stays readable and takes no messages", async () => {
    const room = await createTestRoom();
    const member = await createTestUser();
    const moderator = await createTestUser({ role: "moderator" });
    await send(member, room, "before the archive");
    await setRoomArchived(moderator, room.id, true);
    const archived = await db.chatRoom.findUniqueOrThrow({ where: { id: room.id } });
    expect(await sendMessage(member, archived, { body: "after" })).toMatchObject({ ok: false, status: 403 });
    const page = await callRoute(roomLoader, `/chat/${room.slug}`, { slug: room.slug }, { ...member, role: "member" });
    expect(page.data).toMatchObject({ room: { archived: true }, viewer: { canPost: false } });
    expect((page.data as { messages: unknown[] }).messages).toHaveLength(1);
    expect((await auditOf("room", room.id)).map((e) => e.action)).toEqual(["room.archive"]);
  });
});

describe("room management", () => {
  it("is for moderators: members get 403, bad input gets field errors, changes are audited", async () => {
    const member = await createTestUser();
    const moderator = await createTestUser({ role: "moderator" });
    const slug = `managed-${Date.now().toString(36)}`;
    const post = (handler: unknown, url: string, params: Record<string, string>, user: { id: number; username: string; role: string }, fields: Record<string, string>) =>
      callRoute(handler, url, params, user, { method: "POST", body: new URLSearchParams(fields) });
    expect((await post(newRoomAction, "/chat/new", {}, { ...member, role: "member" }, { slug, name: "Managed" })).status).toBe(403);
    const bad = await post(newRoomAction, "/chat/new", {}, { ...moderator, role: "moderator" }, { slug: "Not A Slug!", name: "x" });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.data as { fieldErrors: object }).fieldErrors).sort()).toEqual(["name", "slug"]);
    expect((await post(newRoomAction, "/chat/new", {}, { ...moderator, role: "moderator" }, { slug: "new", name: "Reserved" })).status).toBe(400);
    const created = await post(newRoomAction, "/chat/new", {}, { ...moderator, role: "moderator" }, { slug, name: "Managed", description: "first" });
    expect(created.response?.headers.get("Location")).toBe(`/chat/${slug}`);
    const duplicate = await post(newRoomAction, "/chat/new", {}, { ...moderator, role: "moderator" }, { slug, name: "Again" });
    expect(JSON.stringify(duplicate.data)).toContain("A room already has this address.");

    expect((await post(settingsAction, `/chat/${slug}/settings`, { slug }, { ...member, role: "member" }, { name: "Hijacked", slowModeSeconds: "0" })).status).toBe(403);
    const saved = await post(settingsAction, `/chat/${slug}/settings`, { slug }, { ...moderator, role: "moderator" }, { name: "Renamed", description: "second", slowModeSeconds: "0" });
    expect(saved.data).toEqual({ ok: true });
    await post(settingsAction, `/chat/${slug}/settings`, { slug }, { ...moderator, role: "moderator" }, { intent: "archive" });
    const room = await db.chatRoom.findUniqueOrThrow({ where: { slug } });
    expect(room).toMatchObject({ name: "Renamed", description: "second", archivedAt: expect.any(Date) as Date });
    const audit = await auditOf("room", room.id);
    expect(audit.map((e) => e.action)).toEqual(["room.create", "room.edit", "room.archive"]);
    expect(JSON.parse(audit[1]!.details)).toEqual({ name: { from: "Managed", to: "Renamed" }, description: { from: "first", to: "second" } });
  });
});

describe("reports", () => {
  it("keep a snapshot of the message as reported, once per member, never one's own", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const reporter = await createTestUser();
    const id = await send(author, room, "original text");
    expect(await reportChatMessage(author.id, id, "self")).toMatchObject({ ok: false, status: 400 });
    const report = (user: { id: number; username: string }, reason: string, slug = room.slug) =>
      callRoute(reportAction, `/chat/${slug}/m/${id}/report`, { slug, id: String(id) }, { ...user, role: "member" }, { method: "POST", body: new URLSearchParams({ reason }) });
    expect((await report(reporter, "x")).status).toBe(400);
    expect((await report(reporter, "rude", (await createTestRoom()).slug)).status).toBe(404);
    expect(await report(reporter, "rude")).toMatchObject({ status: 200, data: { ok: true } });
    expect(await reportChatMessage(reporter.id, id, "again")).toMatchObject({ ok: false, status: 409 });
    await editMessage(author, id, "edited to look innocent");
    const stored = await db.report.findFirstOrThrow({ where: { targetType: "chat", targetId: id } });
    expect(stored.reason).toBe("rude");
    expect(JSON.parse(stored.snapshot)).toMatchObject({ raw: "original text", author: author.username, room: room.slug, messageId: id });
  });
});

describe("account standing in chat", () => {
  it("refuses messages from a silenced member, saying until when, and accepts them once lifted", async () => {
    const { sanctionUser, liftSanction } = await import("~/moderation/sanctions.server");
    const room = await createTestRoom();
    const member = await createTestUser();
    const moderator = await createTestUser({ role: "moderator" });
    await sanctionUser(moderator, member.id, "silence", 3, "flooding the room");
    const refused = await sendMessage(member, room, { body: "still here?" });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.message).toMatch(/silenced your account until/);
    expect(await db.chatMessage.count({ where: { roomId: room.id } })).toBe(0);
    await liftSanction(moderator, member.id, "silence", "served");
    expect((await sendMessage(member, room, { body: "back again" })).ok).toBe(true);
  });
});
