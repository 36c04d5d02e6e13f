import { beforeEach, describe, expect, it } from "vitest";
import { createReply, createTopic } from "~/forums/posting.server";
import { firstUnreadNumber, markRead, readPositions } from "~/forums/reading.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";

beforeEach(() => resetAllLimits());

describe("unread tracking", () => {
  it("remembers the furthest post read and finds the first unread one", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    const reader = await createTestUser();
    const topic = await createTopic(author, board.id, { title: "Unread markers", body: "one" });
    if (!topic.ok) throw new Error("topic not created");
    for (const body of ["two", "three", "four"]) await createReply(author, topic.topicId, { body }, { canBypassLock: true });

    expect(await firstUnreadNumber(reader.id, topic.topicId)).toBe(1);
    await markRead(reader.id, topic.topicId, 2);
    await markRead(reader.id, topic.topicId, 1); // never moves backwards
    expect((await readPositions(reader.id, [topic.topicId])).get(topic.topicId)).toBe(2);
    expect(await firstUnreadNumber(reader.id, topic.topicId)).toBe(3);
    await markRead(reader.id, topic.topicId, 4);
    expect(await firstUnreadNumber(reader.id, topic.topicId)).toBeNull();
  });
});
