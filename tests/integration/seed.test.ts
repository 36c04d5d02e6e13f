import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { authenticate } from "~/utils/auth/accounts.server";
import { db } from "~/utils/db.server";
import { DEMO_ACCOUNTS } from "../../prisma/demo-content";

function runSeed() {
  return execFileSync("npx", ["tsx", "prisma/seed.ts"], { env: process.env, encoding: "utf8" });
}

async function counts() {
  const [users, forums, boards, topics, posts] = await Promise.all([
    db.user.count(), db.forum.count(), db.board.count(), db.topic.count(), db.post.count(),
  ]);
  return { users, forums, boards, topics, posts };
}

describe("demo seed", () => {
  it("seeds an empty database once and leaves it alone the second time", async () => {
    expect(runSeed()).toMatch(/Seeded demo content/);
    const first = await counts();
    expect(first.users).toBe(DEMO_ACCOUNTS.length);
    expect(first.forums).toBeGreaterThanOrEqual(2);
    expect(first.topics).toBeGreaterThanOrEqual(3);

    expect(runSeed()).toMatch(/already has content/);
    expect(await counts()).toEqual(first);
    // One announcement list, with nobody subscribed (opt-in only).
    expect(await db.announcementList.findMany({ select: { slug: true } })).toEqual([{ slug: "threadline-news" }]);
    expect(await db.announcementSubscription.count()).toBe(0);
    // Version 1 of the privacy policy, written once.
    expect(await db.policyVersion.findMany({ select: { number: true } })).toEqual([{ number: 1 }]);

    // Board and topic counters agree with the rows they count.
    for (const board of await db.board.findMany({ include: { _count: { select: { topics: true } } } })) {
      expect(board.topicCount).toBe(board._count.topics);
    }
    for (const topic of await db.topic.findMany({ include: { _count: { select: { posts: true } } } })) {
      expect(topic.postCount).toBe(topic._count.posts);
    }
    const rooms = await db.chatRoom.findMany({ include: { _count: { select: { messages: true } } } });
    expect(rooms.map((room) => room.slug)).toContain("lobby");
    for (const room of rooms) {
      expect(room.messageCount).toBe(room._count.messages);
      expect(room.lastMessageId).toBe((await db.chatMessage.findFirstOrThrow({ where: { roomId: room.id }, orderBy: { id: "desc" } })).id);
    }
  }, 60_000);

  it("creates the documented demo accounts with their roles", async () => {
    for (const account of DEMO_ACCOUNTS) {
      const result = await authenticate(account.username, account.password, `seed-check-${account.username}`);
      expect(result.ok && result.user.role).toBe(account.role);
    }
  });

  it("counts the demo addresses as verified and mails them nothing", async () => {
    const accounts = await db.user.findMany({ where: { usernameKey: { in: DEMO_ACCOUNTS.map((account) => account.username.toLowerCase()) } }, select: { emailVerifiedAt: true, email: true } });
    expect(accounts).toHaveLength(DEMO_ACCOUNTS.length);
    expect(accounts.every((account) => account.emailVerifiedAt !== null)).toBe(true);
    expect(await db.outgoingMail.count({ where: { toAddress: { in: accounts.map((account) => account.email) } } })).toBe(0);
  });
});
