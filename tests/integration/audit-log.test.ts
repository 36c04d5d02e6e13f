// The audit log page and its CSV export, over entries written by real
// moderator actions in this file's own database.
import { describe, expect, it, beforeAll } from "vitest";
import { hideMessage } from "~/archive/takedown.server";
import { setPostHidden } from "~/forums/moderate-post.server";
import { moveTopic } from "~/forums/moderate-topic.server";
import { createTopic } from "~/forums/posting.server";
import { csvField, parseAuditFilters } from "~/moderation/audit-log.server";
import { loader as logPage } from "~/routes/mod.log._index";
import { loader as logCsv } from "~/routes/mod.log[.]csv";
import { db } from "~/utils/db.server";
import { createArchiveList, createArchiveThread } from "../support/archive-factories";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";
import { callRoute, type TestUser } from "../archive-read/call-route";

type Page = { rows: Array<{ actor: string; action: string; targetUrl: string | null; reason: string; targetId: string }>; nextUrl: string | null };

let moderator: TestUser;
let otherModerator: TestUser;
let member: TestUser;
let postId = 0;
let mailPublicId = "";
let listSlug = "";

beforeAll(async () => {
  const asUser = (u: { id: number; role: string; username: string }) => ({ id: u.id, role: u.role, username: u.username });
  moderator = asUser(await createTestUser({ role: "moderator" }));
  otherModerator = asUser(await createTestUser({ role: "moderator" }));
  member = asUser(await createTestUser());
  const board = await createTestBoard();
  const target = await createTestBoard();
  const topic = await createTopic({ id: member.id, role: "member" }, board.id, { title: "Audited topic", body: "Spam, probably" });
  if (!topic.ok) throw new Error("no topic");
  postId = (await db.post.findFirstOrThrow({ where: { topicId: topic.topicId } })).id;
  await setPostHidden(moderator, postId, true, "=HYPERLINK(\"http://evil\") spam, \"quoted\"");
  await moveTopic(otherModerator, topic.topicId, target.id, "wrong board");
  const list = await createArchiveList();
  listSlug = list.slug;
  const { byKey } = await createArchiveThread(list, [{ key: "a", subject: "Takedown me" }]);
  mailPublicId = byKey.get("a")!.publicId;
  await hideMessage(moderator.id, list, mailPublicId, "takedown", "asked by the author");
});

describe("/mod/log", () => {
  it("is for moderators only", async () => {
    expect((await callRoute(logPage, "/mod/log", {}, member)).status).toBe(403);
    expect((await callRoute(logCsv, "/mod/log.csv", {}, member)).status).toBe(403);
    const anonymous = await callRoute(logPage, "/mod/log", {}, null);
    expect(anonymous.response?.headers.get("Location")).toMatch(/^\/login/);
  });

  it("lists actions newest first with who, what, where and why", async () => {
    const page = (await callRoute(logPage, "/mod/log", {}, moderator)).data as Page;
    const actions = page.rows.map((row) => row.action);
    expect(actions.slice(0, 3)).toEqual(["mail.hide", "topic.move", "post.hide"]);
    const mail = page.rows.find((row) => row.action === "mail.hide")!;
    expect(mail).toMatchObject({ actor: moderator.username, targetUrl: `/lists/${listSlug}/m/${mailPublicId}` });
    expect(page.rows.find((row) => row.action === "post.hide")!.targetUrl).toBe(`/p/${postId}`);
  });

  it("filters by kind, actor, target and date", async () => {
    const byFamily = (await callRoute(logPage, "/mod/log?family=mail", {}, moderator)).data as Page;
    expect(byFamily.rows.map((row) => row.action)).toEqual(["mail.hide"]);
    const byActor = (await callRoute(logPage, `/mod/log?actor=${otherModerator.username.toUpperCase()}`, {}, moderator)).data as Page;
    expect(byActor.rows.map((row) => row.action)).toEqual(["topic.move"]);
    const nobody = (await callRoute(logPage, "/mod/log?actor=no-such-person", {}, moderator)).data as Page;
    expect(nobody.rows).toEqual([]);
    const byTarget = (await callRoute(logPage, `/mod/log?targetType=post&targetId=${postId}`, {}, moderator)).data as Page;
    expect(byTarget.rows.map((row) => row.action)).toEqual(["post.hide"]);
    const future = (await callRoute(logPage, "/mod/log?from=2999-01-01", {}, moderator)).data as Page;
    expect(future.rows).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    const untilToday = (await callRoute(logPage, `/mod/log?to=${today}&family=topic`, {}, moderator)).data as Page;
    expect(untilToday.rows).toHaveLength(1);
    expect(parseAuditFilters(new URLSearchParams("family=nonsense&from=yesterday"))).toMatchObject({ family: null, from: null });
  });

  it("pages by id with a stable 'older entries' link", async () => {
    for (let i = 0; i < 55; i++) await db.auditEntry.create({ data: { actorId: moderator.id, action: "settings.test", targetType: "settings", targetId: String(i) } });
    const first = (await callRoute(logPage, "/mod/log?family=settings", {}, moderator)).data as Page;
    expect(first.rows).toHaveLength(50);
    expect(first.nextUrl).toMatch(/family=settings&before=\d+/);
    const second = (await callRoute(logPage, first.nextUrl!, {}, moderator)).data as Page;
    expect(second.rows.map((row) => row.targetId)).toEqual(["4", "3", "2", "1", "0"]);
    expect(second.nextUrl).toBeNull();
  });

  it("exports the filtered log as CSV that spreadsheets cannot run", async () => {
    const result = await callRoute(logCsv, "/mod/log.csv?family=post", {}, moderator);
    expect(result.response?.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    const text = await result.response!.text();
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("id,time,actor,action,target_type,target_id,reason,details");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,${moderator.username},post.hide,post,${postId},`);
    expect(lines[1]).toContain(`"'=HYPERLINK(""http://evil"") spam, ""quoted"""`);
    expect(csvField("-1+2")).toBe("'-1+2");
    expect(csvField("plain")).toBe("plain");
  });
});
