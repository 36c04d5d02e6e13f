// The data export, through its route: a POST with the password streams a zip
// whose account.json, posts/*.md and chat/*.json hold what the member wrote
// and every setting kept about them, and nothing secret.
import { strFromU8, unzipSync } from "fflate";
import { beforeEach, describe, expect, it } from "vitest";
import { postMarkdown } from "~/account/export-zip.server";
import { action as exportAction, loader as exportLoader } from "~/routes/settings.data.export";
import { loader as dataLoader } from "~/routes/settings.data";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { call } from "./mod-support";
import { createTestUser } from "../support/factories";
import { busyMember, shouted } from "../support/member-data-factories";

type Member = { id: number; username: string; role: string; password: string };

async function download(member: Member, password = member.password) {
  const result = await call(exportAction, "/settings/data/export", {}, { id: member.id, username: member.username, role: member.role }, { password });
  return result;
}

async function unzip(response: Response) {
  const files = unzipSync(new Uint8Array(await response.arrayBuffer()));
  return Object.fromEntries(Object.entries(files).map(([name, bytes]) => [name, strFromU8(bytes)]));
}

beforeEach(() => resetAllLimits());

describe("exporting a member's data", () => {
  it("streams a zip with account.json, one Markdown file per post and the chat messages", async () => {
    const made = await busyMember();
    const result = await download(made.member);
    expect(result.status).toBe(200);
    const response = result.response!;
    expect(response.headers.get("Content-Type")).toBe("application/zip");
    expect(response.headers.get("Content-Disposition")).toMatch(new RegExp(`^attachment; filename="threadline-data-${made.member.username}-\\d{4}-\\d{2}-\\d{2}\\.zip"$`));
    expect(response.headers.get("Cache-Control")).toBe("no-store");

    const files = await unzip(response);
    const names = Object.keys(files).sort();
    expect(names.filter((name) => name.startsWith("posts/"))).toHaveLength(3);
    expect(names).toEqual(expect.arrayContaining(["account.json", "README.txt", `chat/${made.room.slug}.json`]));

    const account = JSON.parse(files["account.json"]!);
    expect(account.profile).toMatchObject({ id: made.member.id, username: made.member.username, email: made.member.email, pendingEmail: `${made.member.username}-new@example.net`, role: "member" });
    expect(account.settings.emailNotifications).toEqual({ replies: true, mentions: true, watched: true });
    expect(account.sessions).toEqual([expect.objectContaining({ browser: "Firefox on Linux" })]);
    expect(account.bookmarks).toEqual([expect.objectContaining({ postId: made.posts.other, url: `http://threadline.test/p/${made.posts.other}` })]);
    expect(account.drafts).toEqual([expect.objectContaining({ title: "Unsent musings", text: "Half a thought about buoys." })]);
    expect(account.watching.map((w: { type: string }) => w.type).sort()).toEqual(["board", "topic"]);
    expect(account.readPositions).toEqual([expect.objectContaining({ topicId: made.topics.others, lastReadPost: 2 })]);
    expect(account.notifications.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(["reply", "warning"]));
    expect(account.reportsFiled).toEqual([expect.objectContaining({ targetType: "post", targetId: made.posts.other, reason: "This looks like an advert to me" })]);
    expect(account.appeals).toEqual([expect.objectContaining({ postId: made.posts.reply, text: "I can add a source, please restore it.", state: "open" })]);
    expect(account.chatMutes).toEqual([expect.objectContaining({ room: made.room.slug, reason: "Cooling off" })]);
    expect(account.topicsStarted.map((t: { title: string }) => t.title).sort()).toEqual(["Favourite harbour walks", "Quiet thoughts on lighthouses"]);
    expect(account.emailLinks.map((l: { purpose: string }) => l.purpose).sort()).toEqual(["change-email", "reset-password", "verify-email"]);

    // Announcement lists of the account's address, whatever case it was typed in; not those of the unconfirmed new address.
    expect(account.announcementSubscriptions).toEqual([
      expect.objectContaining({ list: made.lists.news.name, url: `http://threadline.test/announcements/${made.lists.news.slug}`, address: shouted(made.member.email), status: "active" }),
      expect.objectContaining({ list: made.lists.tides.name, address: made.member.email, status: "pending", confirmedAt: null, unsubscribedAt: null }),
    ]);
    expect(account.announcementSubscriptions[0].confirmedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(account.announcementSubscriptions[0].subscribedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(JSON.stringify(account.announcementSubscriptions)).not.toContain("-new@example.net");
    // Privacy-policy answers with their time, the version seen, and the notice emailed.
    expect(account.privacyPolicy).toMatchObject({
      seenUpToVersion: made.policy.version,
      answers: [{ version: made.policy.version, choice: "accepted", answeredAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) }],
      dataUseNoticesEmailed: [{ version: made.policy.version, queuedAt: expect.stringMatching(/^\d{4}-/) }],
    });
    expect(account.privacyPolicy.seenAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(files["README.txt"]).toContain("announcement list");

    // Nothing that would let someone log in or act as the member.
    const user = await db.user.findUniqueOrThrow({ where: { id: made.member.id } });
    const sessions = await db.session.findMany({ where: { userId: made.member.id } });
    const tokens = await db.emailToken.findMany({ where: { userId: made.member.id } });
    const everything = Object.values(files).join("\n");
    const subscriptions = await db.announcementSubscription.findMany({ where: { emailKey: made.member.email.toLowerCase() } });
    expect(subscriptions.some((subscription) => subscription.confirmTokenHash)).toBe(true);
    for (const secret of [
      user.passwordHash,
      user.unsubscribeKey,
      ...sessions.flatMap((s) => [s.id, s.secretHash]),
      ...tokens.map((t) => t.tokenHash),
      ...subscriptions.flatMap((s) => [s.unsubscribeKey, s.confirmTokenHash]),
    ]) {
      if (secret) expect(everything).not.toContain(secret);
    }
    // Moderators' private notes and other people's words stay out.
    expect(everything).not.toContain("Talked to them about staying on topic.");
    expect(everything).not.toContain("Tides follow the moon.");

    const post = files[names.find((name) => files[name]!.includes("breakwater"))!]!;
    expect(post).toMatch(/^---\ntopic: "Favourite harbour walks"\nboard: "Board [^"]+"\ndate: \d{4}-\d{2}-\d{2}T[\d:.]+Z\npermalink: "http:\/\/threadline\.test\/t\/\d+\/favourite-harbour-walks\/1"\npost: 1\n---\n\nThe breakwater at dawn is lovely\.\n$/);
    const hidden = Object.values(files).find((text) => text.includes("Spring tides"))!;
    expect(hidden).toContain("status: hidden by moderators");
    expect(hidden).toContain("reply_to: 1");

    const chat = JSON.parse(files[`chat/${made.room.slug}.json`]!);
    expect(chat.messages).toEqual([
      expect.objectContaining({ id: made.chatId, text: "Morning, harbour folk!", permalink: `http://threadline.test/chat/${made.room.slug}/m/${made.chatId}`, deleted: null }),
    ]);
  });

  it("pages through many posts and messages into valid files", async () => {
    const member = await createTestUser();
    const made = await busyMember();
    const topic = await db.topic.findUniqueOrThrow({ where: { id: made.topics.others } });
    // Written directly: 450 posts and 450 messages span several pages of the stream.
    const base = topic.lastPostNumber;
    await db.post.createMany({ data: Array.from({ length: 450 }, (_, i) => ({ topicId: topic.id, number: base + i + 1, authorId: member.id, raw: `bulk post ${i}`, cooked: `<p>bulk post ${i}</p>` })) });
    await db.chatMessage.createMany({ data: Array.from({ length: 450 }, (_, i) => ({ roomId: made.room.id, authorId: member.id, body: `bulk message ${i}`, html: `<p>bulk message ${i}</p>` })) });
    const files = await unzip((await download(member)).response!);
    expect(Object.keys(files).filter((name) => name.startsWith("posts/"))).toHaveLength(450);
    const chat = JSON.parse(files[`chat/${made.room.slug}.json`]!);
    expect(chat.messages).toHaveLength(450);
    expect(chat.messages[449].text).toBe("bulk message 449");
  });

  it("needs the password, limits attempts, and never answers a GET with data", async () => {
    const member = await createTestUser();
    const wrong = await download(member, "not my password");
    expect(wrong.status).toBe(303);
    expect(wrong.response!.headers.get("Location")).toBe("/settings/data?exportError=password");
    expect(wrong.response!.headers.get("Content-Type")).not.toBe("application/zip");

    const page = await call(dataLoader, "/settings/data?exportError=password", {}, { id: member.id, username: member.username, role: member.role });
    expect(page.data).toMatchObject({ exportError: "That is not your password." });
    // Only known codes become messages: no text of an attacker's choosing on the page.
    const forged = await call(dataLoader, "/settings/data?exportError=Call+us+now", {}, { id: member.id, username: member.username, role: member.role });
    expect(forged.data).toMatchObject({ exportError: null });

    for (let i = 0; i < 4; i++) await download(member, `guess ${i}`);
    const limited = await download(member);
    expect(limited.response!.headers.get("Location")).toBe("/settings/data?exportError=throttled");

    const get = await call(exportLoader, "/settings/data/export", {}, { id: member.id, username: member.username, role: member.role });
    expect(get.status).toBe(302);
    expect(get.response!.headers.get("Location")).toBe("/settings/data");
    const anonymous = await call(exportAction, "/settings/data/export", {}, null, { password: "x" });
    expect(anonymous.response!.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("writes front matter that stays valid YAML whatever the title", () => {
    const text = postMarkdown(
      {
        id: 1, number: 2, raw: "body", createdAt: new Date("2026-01-02T03:04:05Z"), editedAt: null, deletedAt: new Date(), hiddenAt: null, replyToNumber: null,
        topic: { id: 7, slug: "s", title: 'He said "hi":\n---', board: { name: "B: c" } },
      },
      "https://example.org",
    );
    expect(text.split("\n").slice(0, 3)).toEqual(["---", 'topic: "He said \\"hi\\":\\n---"', 'board: "B: c"']);
    expect(text).toContain("status: deleted by you");
  });
});
