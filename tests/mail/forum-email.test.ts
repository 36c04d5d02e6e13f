// Email for forum events: direct replies and mentions by default, watched
// topics only when chosen, verified addresses only, and a working one-click
// unsubscribe for each kind.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeEach, describe, expect, it } from "vitest";
import { setForumEmailPreferences } from "~/forums/notify-email.server";
import { createReply, createTopic } from "~/forums/posting.server";
import { action as unsubscribeAction, loader as unsubscribeLoader } from "~/routes/unsubscribe";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";

const ORIGIN = "https://forum.example.net";

async function verifiedMember() {
  const member = await createTestUser();
  await db.user.update({ where: { id: member.id }, data: { emailVerifiedAt: new Date() } });
  return member;
}

async function forumMail(to: string) {
  return db.outgoingMail.findMany({ where: { toAddress: to, kind: { startsWith: "forum-" } }, orderBy: { id: "asc" } });
}

async function callUnsubscribe(handler: unknown, link: string, method: "GET" | "POST") {
  const url = new URL(link);
  const init: RequestInit | undefined = method === "POST" ? { method, body: new URLSearchParams({ "List-Unsubscribe": "One-Click" }) } : undefined;
  const request = new Request(`http://threadline.test${url.pathname}${url.search}`, init);
  try {
    const result = await (handler as (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown)({ request, params: {}, context: {} } as never);
    if (result && typeof result === "object" && "type" in result && result.type === "DataWithResponseInit") {
      const wrapped = result as unknown as { data: Record<string, unknown>; init: ResponseInit | null };
      return { status: wrapped.init?.status ?? 200, data: wrapped.data };
    }
    return { status: 200, data: result as Record<string, unknown> };
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, data: null };
    throw thrown;
  }
}

beforeEach(() => resetAllLimits());

describe("forum email", () => {
  it("mails a direct reply and a mention, with a one-click unsubscribe link and headers", async () => {
    const board = await createTestBoard();
    const author = await verifiedMember();
    const replier = await verifiedMember();
    const mentioned = await verifiedMember();
    const topic = await createTopic(author, board.id, { title: "Threads and locks", body: "How do I share a lock between threads?" }, { origin: ORIGIN });
    expect(topic.ok).toBe(true);
    if (!topic.ok) return;
    resetAllLimits();
    const reply = await createReply(replier, topic.topicId, { body: `Use a mutex. @${mentioned.username} knows more.`, replyTo: 1 }, { canBypassLock: false, origin: ORIGIN });
    expect(reply.ok).toBe(true);

    const [toAuthor] = await forumMail(author.email);
    expect(toAuthor).toMatchObject({ kind: "forum-reply", status: "queued", subject: `${replier.username} replied to your post in "Threads and locks"` });
    expect(toAuthor!.text).toContain(`${ORIGIN}/t/${topic.topicId}/${topic.slug}/2`);
    const headers = JSON.parse(toAuthor!.headers!) as Record<string, string>;
    expect(headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const link = /^<(.+)>$/.exec(headers["List-Unsubscribe"]!)![1]!;
    expect(link).toMatch(new RegExp(`^${ORIGIN}/unsubscribe\\?u=${author.id}&k=reply&t=`));
    expect(toAuthor!.text).toContain(link);

    const [toMentioned] = await forumMail(mentioned.email);
    expect(toMentioned).toMatchObject({ kind: "forum-mention" });
    // Nobody is mailed about their own post.
    expect(await forumMail(replier.email)).toHaveLength(0);
  });

  it("mails watchers only when they chose it, and never an unverified address", async () => {
    const board = await createTestBoard();
    const author = await verifiedMember();
    const watcher = await verifiedMember();
    const unverified = await createTestUser();
    const topic = await createTopic(author, board.id, { title: "Watched topic", body: "Something to watch." }, { origin: ORIGIN });
    if (!topic.ok) throw new Error("topic refused");
    for (const member of [watcher, unverified]) await db.watch.create({ data: { userId: member.id, targetType: "topic", targetId: topic.topicId } });
    const poster = await verifiedMember();
    await createReply(poster, topic.topicId, { body: "A first answer, not a direct reply." }, { canBypassLock: false, origin: ORIGIN });
    expect(await forumMail(watcher.email)).toHaveLength(0);
    expect(await db.notification.count({ where: { userId: watcher.id, kind: "watched" } })).toBe(1);

    await setForumEmailPreferences(watcher.id, { reply: true, mention: true, watched: true });
    await setForumEmailPreferences(unverified.id, { reply: true, mention: true, watched: true });
    resetAllLimits();
    await createReply(poster, topic.topicId, { body: "A second answer." }, { canBypassLock: false, origin: ORIGIN });
    expect((await forumMail(watcher.email)).map((mail) => mail.kind)).toEqual(["forum-watched"]);
    expect(await forumMail(unverified.email)).toHaveLength(0);
  });

  it("unsubscribes one kind with the link (GET shows a button, POST switches it off) and refuses a forged link", async () => {
    const board = await createTestBoard();
    const author = await verifiedMember();
    const replier = await verifiedMember();
    const topic = await createTopic(author, board.id, { title: "Unsubscribe me", body: "A topic." }, { origin: ORIGIN });
    if (!topic.ok) throw new Error("topic refused");
    await createReply(replier, topic.topicId, { body: "First reply.", replyTo: 1 }, { canBypassLock: false, origin: ORIGIN });
    const [mail] = await forumMail(author.email);
    const link = /^<(.+)>$/.exec((JSON.parse(mail!.headers!) as Record<string, string>)["List-Unsubscribe"]!)![1]!;

    expect((await callUnsubscribe(unsubscribeLoader, link, "GET")).data).toEqual({ description: "replies to your posts" });
    expect((await db.user.findUniqueOrThrow({ where: { id: author.id } })).emailOnReply).toBe(true);

    const forged = await callUnsubscribe(unsubscribeAction, link.replace(/t=[^&]+/, "t=forgedkeyforgedkeyforgedkeyforgedke"), "POST");
    expect(forged.status).toBe(400);
    expect((await db.user.findUniqueOrThrow({ where: { id: author.id } })).emailOnReply).toBe(true);

    const done = await callUnsubscribe(unsubscribeAction, link, "POST");
    expect(done.data).toMatchObject({ ok: true });
    const account = await db.user.findUniqueOrThrow({ where: { id: author.id } });
    expect(account).toMatchObject({ emailOnReply: false, emailOnMention: true });

    resetAllLimits();
    await createReply(replier, topic.topicId, { body: "Second reply.", replyTo: 1 }, { canBypassLock: false, origin: ORIGIN });
    expect(await forumMail(author.email)).toHaveLength(1);
    expect(await db.notification.count({ where: { userId: author.id, kind: "reply" } })).toBe(2);
  });
});
