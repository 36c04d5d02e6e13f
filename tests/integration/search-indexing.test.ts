// The path from a write to a search result, with this file's own database and
// a real embedded index: writers record outbox entries in their transaction,
// the indexer drains them, hidden/deleted/taken-down content leaves the
// index, nothing is lost while the engine is down, and pages see the results
// masked and labelled the way they must be.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ingestMessage } from "~/archive/ingest.server";
import { publishList } from "~/archive/lists.server";
import { ANONYMOUS, viewerOf } from "~/archive/read.server";
import { hideMessage, unhideMessage } from "~/archive/takedown.server";
import { deleteOwnPost, editPost } from "~/forums/edit-post.server";
import { setPostHidden } from "~/forums/moderate-post.server";
import { moveTopic } from "~/forums/moderate-topic.server";
import { createReply, createTopic } from "~/forums/posting.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createEmbeddedEngine } from "../../search/embedded/engine.ts";
import { acquireLease, drainSearchOutbox, outboxBacklog, releaseLease } from "../../search/indexer.server.ts";
import { createMeiliEngine } from "../../search/meili/engine.ts";
import { searchArchiveMessageIds, searchPortal, type SearchOutcome } from "../../search/portal.server.ts";
import { ensureSearchIndex, rebuildSearchIndex } from "../../search/rebuild.server.ts";
import type { SearchEngine } from "../../search/types.ts";
import { buildRawMessage } from "../support/archive-factories";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";
import { makeList } from "../archive-import/support";
import { freePort } from "../support/free-port";
import { deleteOwnMessage, editMessage } from "~/chat/edit.server";
import { removeMessage } from "~/chat/remove.server";
import { updateRoom } from "~/chat/rooms.server";
import { sendMessage } from "~/chat/send.server";
import { createTestRoom } from "../support/chat-factories";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-search-it-"));
let engine: SearchEngine;
let fileNumber = 0;

async function freshEngine(): Promise<SearchEngine> {
  fileNumber += 1;
  const created = createEmbeddedEngine({ file: path.join(dir, `index-${fileNumber}.sqlite`) });
  await created.init();
  return created;
}

/** An engine at a loopback port nobody listens on: every call fails the way a down server does. */
async function unreachableEngine(): Promise<SearchEngine> {
  const port = await freePort();
  return createMeiliEngine({ host: `http://127.0.0.1:${port}`, indexUid: "unreachable", retries: 0, requestTimeoutMs: 500 });
}

async function find(q: string, viewer = ANONYMOUS, sort: "relevance" | "date" = "relevance"): Promise<Extract<SearchOutcome, { status: "ok" }>> {
  const outcome = await searchPortal({ q, sort, page: 1 }, viewer, async () => engine);
  if (outcome.status !== "ok") throw new Error(`search ${q}: ${outcome.status}`);
  return outcome;
}

async function drain() {
  const result = await drainSearchOutbox(engine);
  expect(result.error).toBeNull();
  return result;
}

const manual = { kind: "manual" as const };
let mailCounter = 0;
function mail(fields: { subject: string; text: string; fromName?: string; fromAddress?: string; date?: Date }) {
  mailCounter += 1;
  return buildRawMessage({ messageId: `search-${mailCounter}-${Date.now()}@example.org`, fromName: "Jane Doe", fromAddress: "jane.doe@example.org", ...fields });
}

beforeAll(async () => {
  engine = await freshEngine();
});
beforeEach(async () => {
  resetAllLimits();
  await db.workerLease.deleteMany();
});
afterAll(async () => {
  await engine.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("forum posts reach search through the outbox", () => {
  it("indexes a new topic and reply, follows edits, and drops hidden and deleted posts", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    const topic = await createTopic(author, board.id, { title: "Tuning zeppelin ballast", body: "How much ballast does a zeppelin need?" });
    if (!topic.ok) throw new Error("no topic");
    const reply = await createReply(author, topic.topicId, { body: "Quartermaster says: fewer sandbags" }, { canBypassLock: false });
    if (!reply.ok) throw new Error("no reply");
    expect(await db.searchOutbox.count()).toBeGreaterThanOrEqual(2);
    // Nothing is searchable before the indexer runs: the write path never talks to the engine.
    expect((await find("zeppelin")).total).toBe(0);

    const drained = await drain();
    expect(drained.indexed).toBeGreaterThanOrEqual(2);
    expect(await db.searchOutbox.count()).toBe(0);
    const first = await find("zeppelin");
    expect(first.items.map((item) => item.url)).toContain(`/t/${topic.topicId}/${topic.slug}/1`);
    expect(first.items[0]).toMatchObject({ type: "post", author: author.username, placeName: board.name, placeUrl: `/b/${board.slug}`, hostName: null });
    expect(first.items[0]!.titleHtml).toContain("<mark>");

    const replyRow = await db.post.findUniqueOrThrow({ where: { topicId_number: { topicId: topic.topicId, number: 2 } } });
    const edited = await editPost({ id: author.id, role: "member" }, replyRow.id, "Quartermaster now says: more hydrogen");
    expect(edited.ok).toBe(true);
    await drain();
    expect((await find("hydrogen")).total).toBe(1);
    expect((await find("sandbags")).total).toBe(0);

    const moderator = await createTestUser({ role: "moderator" });
    await setPostHidden(moderator, replyRow.id, true, "spam");
    await drain();
    expect((await find("hydrogen")).total).toBe(0);
    await setPostHidden(moderator, replyRow.id, false, "");
    await drain();
    expect((await find("hydrogen")).total).toBe(1);

    await deleteOwnPost({ id: author.id, role: "member" }, replyRow.id);
    await drain();
    expect((await find("hydrogen")).total).toBe(0);
  });

  it("moves a topic's posts to their new board in search", async () => {
    const from = await createTestBoard();
    const to = await createTestBoard();
    const author = await createTestUser();
    const moderator = await createTestUser({ role: "moderator" });
    const topic = await createTopic(author, from.id, { title: "Migrating quasar catalogues", body: "Which quasar survey first?" });
    if (!topic.ok) throw new Error("no topic");
    await drain();
    expect((await find(`quasar board:${from.slug}`)).total).toBe(1);
    await moveTopic(moderator, topic.topicId, to.id, "belongs elsewhere");
    await drain();
    expect((await find(`quasar board:${from.slug}`)).total).toBe(0);
    expect((await find(`quasar board:${to.slug}`)).items[0]?.placeName).toBe(to.name);
  });
});

describe("archived mail reaches search through the outbox", () => {
  it("keeps a hidden list out, adds it on publish, and follows takedowns", async () => {
    const list = await makeList({ name: "Lepidoptera", hostName: "Moths.example", hostUrl: "https://moths.example/" });
    const created = await ingestMessage(list, mail({ subject: "Nocturnal pollinators", text: "Moths pollinate at night. Write to jane.doe@example.org" }), manual);
    if (created.status !== "created") throw new Error(created.status);
    await drain();
    expect((await find("pollinators")).total).toBe(0);

    await publishList(null, list.slug);
    await drain();
    const found = await find("pollinators");
    expect(found.total).toBe(1);
    expect(found.items[0]).toMatchObject({ type: "mail", placeName: "Lepidoptera", hostName: "Moths.example", placeUrl: `/lists/${list.slug}` });
    expect(found.items[0]!.url).toBe(`/lists/${list.slug}/m/${created.publicId}`);
    expect(found.hosts).toEqual([expect.objectContaining({ hostName: "Moths.example", hostUrl: "https://moths.example/" })]);
    expect(found.hosts[0]!.notice).toMatch(/does not own or control/);

    const moderator = await createTestUser({ role: "moderator" });
    await hideMessage(moderator.id, list, created.publicId, "personal-data", "asked by the sender");
    await drain();
    expect((await find("pollinators")).total).toBe(0);
    await unhideMessage(moderator.id, list, created.publicId, "reviewed");
    await drain();
    expect((await find("pollinators")).total).toBe(1);
  });

  it("masks addresses for visitors, shows them to members, and matches from: on the full address", async () => {
    const list = await makeList();
    await publishList(null, list.slug);
    await ingestMessage(list, mail({ subject: "Ornithopter wings", text: "Reach me at jane.doe@example.org about ornithopter hinges." }), manual);
    await drain();
    const anonymous = await find("ornithopter");
    expect(anonymous.items[0]!.author).toBe("Jane Doe <j…@example.org>");
    expect(anonymous.items[0]!.snippetHtml).not.toContain("jane.doe@example.org");
    const member = await createTestUser();
    const signedIn = await find("ornithopter", viewerOf(member));
    expect(signedIn.items[0]!.author).toBe("Jane Doe <jane.doe@example.org>");
    expect((await find("from:jane.doe@example.org ornithopter")).total).toBe(1);
    expect((await find("from:someone.else@example.org ornithopter")).total).toBe(0);
    expect((await find('from:"Jane Doe" ornithopter')).total).toBe(1);
    expect((await find("from:jane ornithopter")).total).toBe(1);
    expect((await find("from:example.org ornithopter")).total).toBe(1);
  });
});

describe("chat messages reach search through the outbox", () => {
  it("indexes, follows edits, renames and deletions, and names the room", async () => {
    const room = await createTestRoom();
    const author = await createTestUser();
    const moderator = await createTestUser({ role: "moderator" });
    const sent = await sendMessage(author, room, { body: "Has anyone tried the theremin plugin?" });
    const other = await sendMessage(author, room, { body: "Second theremin question" });
    if (!sent.ok || !other.ok) throw new Error("not sent");
    await drain();
    const found = await find("theremin in:chat");
    expect(found.total).toBe(2);
    expect(found.items.find((item) => item.id === `chat:${sent.id}`)).toMatchObject({
      type: "chat",
      url: `/chat/${room.slug}/m/${sent.id}`,
      placeUrl: `/chat/${room.slug}`,
      placeName: room.name,
      author: author.username,
      room: room.slug,
      chatMessageId: sent.id,
    });
    expect(found.facets!.place.map((f) => f.token)).toEqual([`room:${room.slug}`]);
    expect((await find(`theremin room:${room.slug}`)).total).toBe(2);

    await editMessage({ id: author.id, role: "member" }, sent.id, "Has anyone tried the ondes martenot plugin?");
    await drain();
    expect((await find("martenot")).total).toBe(1);
    expect((await find("theremin in:chat")).total).toBe(1);

    await updateRoom(moderator, room.id, { name: "Electronic instruments", description: "", slowModeSeconds: 0 });
    await drain();
    expect((await find("martenot")).items[0]!.placeName).toBe("Electronic instruments");

    await deleteOwnMessage({ id: author.id, role: "member" }, sent.id);
    await removeMessage(moderator, other.id, "off topic");
    await drain();
    expect((await find("martenot")).total).toBe(0);
    expect((await find("theremin")).total).toBe(0);
  });
});

describe("the indexer loses nothing", () => {
  it("keeps entries while the engine is down and indexes them once it is back", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    await createTopic(author, board.id, { title: "Heliograph signalling", body: "Mirrors and sunlight" });
    const before = await db.searchOutbox.count();
    expect(before).toBeGreaterThan(0);

    const down = await unreachableEngine();
    const failed = await drainSearchOutbox(down);
    expect(failed.pending).toBe(true);
    expect(failed.error).toBeTruthy();
    expect(await db.searchOutbox.count()).toBe(before);
    const kept = await db.searchOutbox.findFirstOrThrow();
    expect(kept.attempts).toBe(1);
    expect(kept.notBefore!.getTime()).toBeGreaterThan(Date.now());
    expect((await outboxBacklog()).failing).toBe(before);

    // Not retried before its time, then retried and cleared.
    expect((await drainSearchOutbox(engine)).entries).toBe(0);
    const later = await drainSearchOutbox(engine, { now: () => new Date(Date.now() + 10 * 60_000) });
    expect(later.entries).toBe(before);
    expect(await db.searchOutbox.count()).toBe(0);
    expect((await find("heliograph")).total).toBe(1);
  });

  it("replays entries after a crash between indexing and clearing them, without duplicates", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    const topic = await createTopic(author, board.id, { title: "Pneumatic tube mail", body: "pneumatic capsules" });
    if (!topic.ok) throw new Error("no topic");
    const entries = await db.searchOutbox.findMany({ select: { kind: true, targetId: true } });
    await drain();
    const count = await engine.count();
    // The same entries again, as if the process died after indexing but before deleting them.
    await db.searchOutbox.createMany({ data: entries });
    await drain();
    expect(await engine.count()).toBe(count);
    expect((await find("pneumatic")).total).toBe(1);
  });

  it("drains thousands of entries whatever batch size is asked for", async () => {
    await db.searchOutbox.createMany({ data: Array.from({ length: 1200 }, (_, i) => ({ kind: "post", targetId: 900_000 + i })) });
    const result = await drainSearchOutbox(engine, { batchSize: 5000 });
    expect(result).toMatchObject({ error: null, entries: 1200, removed: 1200 });
    expect(await db.searchOutbox.count()).toBe(0);
  });

  it("lets one process drain at a time", async () => {
    expect(await acquireLease("process-a")).toBe(true);
    expect(await acquireLease("process-b")).toBe(false);
    const board = await createTestBoard();
    const author = await createTestUser();
    await createTopic(author, board.id, { title: "Semaphore towers", body: "Flags" });
    const blocked = await drainSearchOutbox(engine, { holder: "process-b" });
    expect(blocked).toMatchObject({ entries: 0, pending: true });
    await releaseLease("process-a");
    expect((await drainSearchOutbox(engine, { holder: "process-b" })).entries).toBeGreaterThan(0);
    // An expired lease is taken over.
    expect(await acquireLease("process-c", undefined, new Date(Date.now() + 120_000))).toBe(true);
  });
});

describe("rebuilding", () => {
  it("builds a new index from the database, including rows written without the outbox", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    const topic = await db.topic.create({ data: { boardId: board.id, slug: "imported", title: "Imported astrolabe notes", authorId: author.id, postCount: 1, lastPostNumber: 1 } });
    await db.post.create({ data: { topicId: topic.id, number: 1, authorId: author.id, raw: "Astrolabe calibration", cooked: "<p>Astrolabe calibration</p>" } });
    await db.post.create({ data: { topicId: topic.id, number: 2, authorId: author.id, raw: "Hidden astrolabe", cooked: "", hiddenAt: new Date() } });
    const fresh = await freshEngine();
    const ensured = await ensureSearchIndex(fresh);
    expect(ensured.rebuilt).toBe(true);
    const outcome = await searchPortal({ q: "astrolabe", sort: "relevance", page: 1 }, ANONYMOUS, async () => fresh);
    expect(outcome.status === "ok" && outcome.items.map((item) => item.url)).toEqual([`/t/${topic.id}/imported/1`]);
    // A second call sees a non-empty index and leaves it alone.
    expect((await ensureSearchIndex(fresh)).rebuilt).toBe(false);
    const rebuilt = await rebuildSearchIndex(fresh);
    expect(rebuilt.documents).toBe(await fresh.count());
    await fresh.close();
  });
});

describe("archive exports", () => {
  it("collects every matching message across result pages, newest first", async () => {
    const list = await makeList();
    await publishList(null, list.slug);
    for (let i = 0; i < 130; i++) {
      await ingestMessage(list, mail({ subject: `Telegraph relay ${i}`, text: "telegraph", date: new Date(Date.UTC(2023, 0, 1, 0, i)) }), manual);
    }
    await drain();
    const ids = await searchArchiveMessageIds("telegraph", 5000, async () => engine);
    expect(ids).toHaveLength(130);
    expect(new Set(ids).size).toBe(130);
    const rows = await db.mailMessage.findMany({ where: { id: { in: ids! } }, select: { id: true, date: true } });
    const dates = new Map(rows.map((row) => [row.id, row.date!.getTime()]));
    const inOrder = ids!.map((id) => dates.get(id)!);
    expect(inOrder).toEqual([...inOrder].sort((a, b) => b - a));
    expect(await searchArchiveMessageIds("telegraph", 7, async () => engine)).toHaveLength(7);
  });
});

describe("the search page's outcome", () => {
  it("is empty without criteria, reports bad dates, and is 'unavailable' when the engine is down", async () => {
    expect((await searchPortal({ q: "   ", sort: "relevance", page: 1 }, ANONYMOUS, async () => engine)).status).toBe("empty");
    const withProblem = await searchPortal({ q: "zeppelin after:2024-13", sort: "relevance", page: 1 }, ANONYMOUS, async () => engine);
    expect(withProblem.problems.length).toBeGreaterThan(0);
    const down = await unreachableEngine();
    expect((await searchPortal({ q: "zeppelin", sort: "relevance", page: 1 }, ANONYMOUS, async () => down)).status).toBe("unavailable");
  });

  it("offers facets as filters that narrow the results", async () => {
    const board = await createTestBoard();
    const author = await createTestUser();
    await createTopic(author, board.id, { title: "Gyroscope drift", body: "gyroscope bearings" });
    const list = await makeList();
    await publishList(null, list.slug);
    await ingestMessage(list, mail({ subject: "Gyroscope precession", text: "gyroscope maths" }), manual);
    await drain();
    const all = await find("gyroscope");
    expect(all.total).toBe(2);
    const kinds = Object.fromEntries(all.facets!.type.map((f) => [f.token, f.count]));
    expect(kinds).toEqual({ "in:forums": 1, "in:lists": 1 });
    expect(all.facets!.place.map((f) => f.token).sort()).toEqual([`board:${board.slug}`, `list:${list.slug}`].sort());
    const onlyLists = await find("gyroscope in:lists");
    expect(onlyLists.items.map((item) => item.type)).toEqual(["mail"]);
    expect(onlyLists.facets!.type.find((f) => f.token === "in:lists")?.active).toBe(true);
  });
});
