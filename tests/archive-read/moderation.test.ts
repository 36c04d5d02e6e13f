import { beforeAll, describe, expect, it } from "vitest";
import { clearArchiveReadCache } from "~/archive/read.server";
import { db } from "~/utils/db.server";
import { action, loader } from "~/routes/lists.$slug.m.$publicId._index";
import { loader as threadLoader } from "~/routes/lists.$slug.thread.$publicId._index";
import { createArchiveList, createArchiveThread, type ListRecord } from "../support/archive-factories";
import { createTestUser } from "../support/factories";
import { callRoute, type TestUser } from "./call-route";

let list: ListRecord;
let t: Awaited<ReturnType<typeof createArchiveThread>>;
let member: TestUser;
let moderator: TestUser;

beforeAll(async () => {
  list = await createArchiveList();
  t = await createArchiveThread(list, [
    { key: "root", subject: "Root", text: "root text", date: new Date(Date.UTC(2024, 5, 1)) },
    { key: "reply", parent: "root", subject: "Re: Root", text: "my home address is …", date: new Date(Date.UTC(2024, 5, 2)) },
  ]);
  member = await createTestUser();
  moderator = await createTestUser({ role: "moderator" });
});

function post(publicId: string, user: TestUser | null, fields: Record<string, string>) {
  return callRoute(action, `/lists/${list.slug}/m/${publicId}`, { slug: list.slug, publicId }, user, {
    method: "POST",
    body: new URLSearchParams(fields),
  });
}

describe("hiding and unhiding from the message page", () => {
  it("is for moderators only", async () => {
    const publicId = t.byKey.get("reply")!.publicId;
    expect((await post(publicId, member, { intent: "hide", reasonCategory: "takedown", reasonText: "please" })).status).toBe(403);
    const anonymous = await post(publicId, null, { intent: "hide", reasonCategory: "takedown", reasonText: "please" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.response!.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("checks the category and the reason", async () => {
    const publicId = t.byKey.get("reply")!.publicId;
    expect((await post(publicId, moderator, { intent: "hide", reasonCategory: "because", reasonText: "a reason" })).status).toBe(400);
    expect((await post(publicId, moderator, { intent: "hide", reasonCategory: "spam", reasonText: "" })).status).toBe(400);
  });

  it("hides a message: 410 for readers, 'removed' in the thread, then unhides it", async () => {
    const publicId = t.byKey.get("reply")!.publicId;
    const hidden = await post(publicId, moderator, { intent: "hide", reasonCategory: "personal-data", reasonText: "home address" });
    expect(hidden.status).toBe(302);
    const row = await db.mailMessage.findUniqueOrThrow({ where: { publicId } });
    expect(row.hiddenAt).not.toBeNull();
    expect(row.hiddenReason).toMatch(/^personal-data/);

    const page = await callRoute(loader, "/", { slug: list.slug, publicId });
    expect(page.status).toBe(410);
    expect(page.data).toMatchObject({ gone: { category: "personal-data" } });
    clearArchiveReadCache();
    const thread = await callRoute(threadLoader, "/", { slug: list.slug, publicId: t.thread.publicId });
    expect((thread.data as { items: { kind: string }[] }).items.map((i) => i.kind)).toEqual(["message", "removed"]);
    expect(JSON.stringify(thread.data)).not.toContain("home address");

    expect((await callRoute(loader, "/", { slug: list.slug, publicId }, moderator)).status).toBe(200);
    expect((await post(publicId, moderator, { intent: "unhide", reasonText: "author agreed" })).status).toBe(302);
    expect((await callRoute(loader, "/", { slug: list.slug, publicId })).status).toBe(200);
  });
});
