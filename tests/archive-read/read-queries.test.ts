import { beforeAll, describe, expect, it } from "vitest";
import { loadMonth, parseMonth } from "~/archive/read-month.server";
import { loadThread, resolveThread, threadNeighbours, threadOrder } from "~/archive/read-thread.server";
import { clearArchiveReadCache, findVisibleList, listArchives, listThreadsPage, monthCounts, monthIndex, viewerOf } from "~/archive/read.server";
import { loader as listLoader } from "~/routes/lists.$slug._index";
import { loader as listsLoader } from "~/routes/lists._index";
import { loader as threadLoader } from "~/routes/lists.$slug.thread.$publicId._index";
import { hideMessage, unhideMessage } from "~/archive/takedown.server";
import { createArchiveList, createArchiveThread, type ListRecord } from "../support/archive-factories";
import { createTestUser } from "../support/factories";
import { callRoute } from "./call-route";

const anonymous = viewerOf(null);
const at = (day: number, hour = 12, month = 3) => new Date(Date.UTC(2024, month - 1, day, hour));

let list: ListRecord;
let main: Awaited<ReturnType<typeof createArchiveThread>>;
let second: Awaited<ReturnType<typeof createArchiveThread>>;
let third: Awaited<ReturnType<typeof createArchiveThread>>;

beforeAll(async () => {
  list = await createArchiveList();
  main = await createArchiveThread(list, [
    { key: "root", subject: "Zebra question", fromName: "Zoe", fromAddress: "zoe@example.org", date: at(1) },
    { key: "r1", parent: "root", subject: "Re: Zebra question", fromName: "Adam", fromAddress: "adam@example.org", date: at(2) },
    { key: "lost", parent: "r1", placeholder: true },
    { key: "r2", parent: "lost", subject: "Re: Zebra question", fromName: "Mia", fromAddress: "mia@example.org", date: at(3) },
    { key: "r3", parent: "root", subject: "Re: Zebra question", fromName: "Bea", fromAddress: "bea@example.org", date: at(1, 18) },
    { key: "gone", parent: "r1", subject: "Re: Zebra question", fromName: "Hal", fromAddress: "hal@example.org", date: at(4), hidden: "takedown: asked by Hal" },
    { key: "guess", parent: "root", inferredParent: true, subject: "Zebra question", fromName: "Ivy", date: at(2, 1, 4) },
  ]);
  second = await createArchiveThread(list, [{ key: "s", subject: "Another topic", fromName: "Ann", date: at(10) }]);
  third = await createArchiveThread(list, [{ key: "t", subject: "February topic", fromName: "Ben", date: at(20, 12, 2) }]);
});

describe("thread order", () => {
  it("puts each message after its parent, siblings by date, and survives cycles", () => {
    const d = (n: number) => new Date(n);
    const rows = [
      { id: 1, messageId: "a", parentMessageId: null, date: d(1) },
      { id: 2, messageId: "b", parentMessageId: "a", date: d(3) },
      { id: 3, messageId: "c", parentMessageId: "a", date: d(2) },
      { id: 4, messageId: "d", parentMessageId: "c", date: d(4) },
      { id: 5, messageId: "x", parentMessageId: "y", date: d(5) },
      { id: 6, messageId: "y", parentMessageId: "x", date: d(6) },
    ];
    expect(threadOrder(rows).map(({ row, depth }) => `${row.messageId}${depth}`)).toEqual(["a0", "c1", "d2", "b1", "x0", "y1"]);
  });

  it("handles a 5,000-deep chain without recursion", () => {
    const rows = Array.from({ length: 5000 }, (_, i) => ({ id: i + 1, messageId: `m${i}`, parentMessageId: i ? `m${i - 1}` : null, date: new Date(i) }));
    const ordered = threadOrder(rows);
    expect(ordered.at(-1)!.depth).toBe(4999);
  });
});

describe("a thread", () => {
  it("resolves from any message's public id and lists messages, gaps and removals in order", async () => {
    const row = await findVisibleList(list.slug, anonymous);
    const viaReply = await resolveThread(row, main.byKey.get("r2")!.publicId);
    expect(viaReply.thread.publicId).toBe(main.thread.publicId);
    expect(viaReply.viaMessage).toBe(main.byKey.get("r2")!.publicId);
    const { items, missing, removed } = await loadThread(row, viaReply.thread, anonymous);
    expect(items.map((i) => [i.kind, i.depth])).toEqual([
      ["message", 0], // root
      ["message", 1], // r3 (earlier than r1)
      ["message", 1], // r1
      ["placeholder", 2],
      ["message", 3], // r2
      ["removed", 2], // gone
      ["message", 1], // guess, April
    ]);
    expect(missing).toBe(1);
    expect(removed).toBe(1);
    const guess = items.at(-1)!;
    expect(guess.kind === "message" && guess.inferredParent).toBe(true);
  });

  it("shows moderators the hidden message with its reason", async () => {
    const moderator = viewerOf({ id: 1, role: "moderator" });
    const row = await findVisibleList(list.slug, moderator);
    const { items } = await loadThread(row, main.thread, moderator);
    const hidden = items.find((i) => i.publicId === main.byKey.get("gone")!.publicId)!;
    expect(hidden).toMatchObject({ kind: "message", hidden: "Hidden: takedown: asked by Hal" });
  });

  it("links to the older and newer threads by last activity", async () => {
    const row = await findVisibleList(list.slug, anonymous);
    const { thread } = await resolveThread(row, second.thread.publicId);
    const neighbours = await threadNeighbours(row, thread, anonymous);
    // main's last visible activity is in April (the guessed reply), so it is newer than "Another topic".
    expect(neighbours.older?.url).toBe(`/lists/${list.slug}/thread/${third.thread.publicId}`);
    expect(neighbours.newer?.url).toBe(`/lists/${list.slug}/thread/${main.thread.publicId}`);
  });

  it("redirects a message's thread URL to the canonical one, with an anchor", async () => {
    const r2 = main.byKey.get("r2")!.publicId;
    const result = await callRoute(threadLoader, `/lists/${list.slug}/thread/${r2}`, { slug: list.slug, publicId: r2 });
    expect(result.status).toBe(302);
    expect(result.response!.headers.get("Location")).toBe(`/lists/${list.slug}/thread/${main.thread.publicId}#m-${r2}`);
    const page = await callRoute(threadLoader, "/", { slug: list.slug, publicId: main.thread.publicId });
    expect(page.data).toMatchObject({ missing: 1, removed: 1, readable: 5 });
  });
});

describe("a month", () => {
  it("by thread: threads with messages that month, each in thread order", async () => {
    const row = await findVisibleList(list.slug, anonymous);
    const month = await loadMonth(row, parseMonth("2024", "03"), anonymous, "thread", null);
    expect(month.total).toBe(5); // root, r1, r2, r3, s (the hidden one is left out; "guess" is in April)
    expect(month.threads.map((t) => t.subject)).toEqual(["Zebra question", "Another topic"]);
    expect(month.threads[0]!.messages.map((m) => [m.from, m.depth])).toEqual([["Zoe", 0], ["Bea", 1], ["Adam", 1], ["Mia", 0]]);
    expect(month.neighbours.previous?.url).toBe(`/lists/${list.slug}/2024/02`);
    expect(month.neighbours.next?.url).toBe(`/lists/${list.slug}/2024/04`);
  });

  it("by date and by author", async () => {
    const row = await findVisibleList(list.slug, anonymous);
    const byDate = await loadMonth(row, parseMonth("2024", "03"), anonymous, "date", null);
    expect(byDate.messages.map((m) => m.from)).toEqual(["Zoe", "Bea", "Adam", "Mia", "Ann"]);
    const byAuthor = await loadMonth(row, parseMonth("2024", "03"), anonymous, "author", null);
    expect(byAuthor.messages.map((m) => m.from)).toEqual(["Adam", "Ann", "Bea", "Mia", "Zoe"]);
  });

  it("by thread: pages of 40 threads in the order they started, a thread from an earlier month included", async () => {
    const own = await createArchiveList();
    // Created out of order: the page order must come from the dates.
    for (const day of [...Array.from({ length: 44 }, (_, i) => 44 - i)]) {
      await createArchiveThread(own, [{ subject: `Topic ${String(day).padStart(2, "0")}`, date: new Date(Date.UTC(2024, 5, 1, 0, day * 10)) }]);
    }
    // Started in May, answered in June: it is a June thread too, placed by its start.
    await createArchiveThread(own, [
      { key: "may", subject: "From May", date: new Date(Date.UTC(2024, 4, 30)) },
      { key: "june", parent: "may", subject: "Re: From May", date: new Date(Date.UTC(2024, 5, 2)) },
    ]);
    const row = await findVisibleList(own.slug, anonymous);
    const first = await loadMonth(row, parseMonth("2024", "06"), anonymous, "thread", null);
    expect(first).toMatchObject({ page: 1, lastPage: 2, total: 45 });
    expect(first.threads).toHaveLength(40);
    expect(first.threads.slice(0, 3).map((t) => t.subject)).toEqual(["From May", "Topic 01", "Topic 02"]);
    // Under its thread a reply shows no subject when it only repeats the thread's.
    expect(first.threads[0]!.messages.map((m) => [m.subject, m.from])).toEqual([[null, "s…@example.org"]]);
    const second = await loadMonth(row, parseMonth("2024", "06"), anonymous, "thread", "2");
    expect(second.threads.map((t) => t.subject)).toEqual(["Topic 40", "Topic 41", "Topic 42", "Topic 43", "Topic 44"]);
  });

  it("rejects impossible months", () => {
    expect(() => parseMonth("2024", "13")).toThrow();
    expect(() => parseMonth("24", "01")).toThrow();
    expect(() => parseMonth("thread", "x")).toThrow();
  });
});

describe("a list", () => {
  it("counts visible messages per month and builds the year index", async () => {
    clearArchiveReadCache();
    const row = await findVisibleList(list.slug, anonymous);
    const counts = await monthCounts(row);
    expect(Object.fromEntries(counts)).toEqual({ "2024-02": 1, "2024-03": 5, "2024-04": 1 });
    expect(monthIndex(counts, list.slug)).toEqual([
      {
        year: 2024,
        total: 7,
        months: [
          { month: 2, count: 1, url: `/lists/${list.slug}/2024/02` },
          { month: 3, count: 5, url: `/lists/${list.slug}/2024/03` },
          { month: 4, count: 1, url: `/lists/${list.slug}/2024/04` },
        ],
      },
    ]);
  });

  it("lists threads by last activity, with counts and masked starters", async () => {
    const row = await findVisibleList(list.slug, anonymous);
    const page = await listThreadsPage(row, anonymous, "1");
    expect(page.threads.map((t) => t.subject)).toEqual(["Zebra question", "Another topic", "February topic"]);
    expect(page.threads[0]).toMatchObject({ messageCount: 5, missingCount: 1, startedBy: "Zoe" });
  });

  it("leaves out, for visitors, a thread whose every message was taken down, and counts it again once restored", async () => {
    const own = await createArchiveList();
    const kept = await createArchiveThread(own, [{ key: "k", subject: "Kept", date: at(5) }]);
    const taken = await createArchiveThread(own, [{ key: "t", subject: "Taken down", date: at(6) }]);
    const moderator = await createTestUser({ role: "moderator" });
    const page = async (viewer: ReturnType<typeof viewerOf>) => {
      const found = await findVisibleList(own.slug, viewer);
      const result = await listThreadsPage(found, viewer, "1");
      return { total: result.total, subjects: result.threads.map((t) => t.subject) };
    };
    expect(await page(anonymous)).toEqual({ total: 2, subjects: ["Taken down", "Kept"] });

    const ref = { id: own.id, slug: own.slug };
    expect(await hideMessage(moderator.id, ref, taken.byKey.get("t")!.publicId, "spam", "junk")).toMatchObject({ ok: true });
    expect(await page(anonymous)).toEqual({ total: 1, subjects: ["Kept"] });
    // Moderators still see the thread, under its first message's subject.
    expect(await page(viewerOf(moderator))).toEqual({ total: 2, subjects: ["Taken down", "Kept"] });

    expect(await unhideMessage(moderator.id, ref, taken.byKey.get("t")!.publicId, "not spam")).toMatchObject({ ok: true });
    expect(await page(anonymous)).toEqual({ total: 2, subjects: ["Taken down", "Kept"] });
    expect(kept.thread.publicId).not.toBe(taken.thread.publicId);
  });

  it("is on /lists with its recent activity", async () => {
    const lists = await listArchives(anonymous);
    const entry = lists.find((l) => l.slug === list.slug)!;
    expect(entry.activity).toHaveLength(24);
    expect(entry.hostName).toBe("Example Lists");
  });
});

describe("hidden lists", () => {
  it("are 404 for everyone but moderators", async () => {
    const hidden = await createArchiveList({ visibility: "hidden", name: "Secret list" });
    await createArchiveThread(hidden, [{ subject: "Quiet", date: at(5) }]);
    const member = await createTestUser();
    const moderator = await createTestUser({ role: "moderator" });
    for (const user of [null, member]) {
      expect((await callRoute(listLoader, `/lists/${hidden.slug}`, { slug: hidden.slug }, user)).status).toBe(404);
      const all = await callRoute(listsLoader, "/lists", {}, user);
      expect((all.data as { lists: { slug: string }[] }).lists.map((l) => l.slug)).not.toContain(hidden.slug);
    }
    const seen = await callRoute(listLoader, `/lists/${hidden.slug}`, { slug: hidden.slug }, moderator);
    expect(seen.status).toBe(200);
    expect((seen.data as { list: { hidden: boolean } }).list.hidden).toBe(true);
  });
});

describe("thread page edge cases", () => {
  it("answers 410 when every message of a thread was taken down", async () => {
    const removed = await createArchiveThread(list, [{ subject: "All gone", date: at(12), hidden: "spam: junk" }]);
    const result = await callRoute(threadLoader, "/", { slug: list.slug, publicId: removed.thread.publicId });
    expect(result.status).toBe(410);
    expect(JSON.stringify(result.data)).not.toContain("junk");
  });

  it("renders a table of contents for long threads", async () => {
    const { renderToString } = await import("react-dom/server");
    const { createElement } = await import("react");
    const { ArchiveThreadToc, TOC_THRESHOLD } = await import("~/components/archive-thread-view");
    const long = await createArchiveThread(list, Array.from({ length: 12 }, (_, i) => ({ key: `k${i}`, parent: i ? `k${i - 1}` : undefined, subject: `Part ${i}`, date: at(13, i) })));
    const result = await callRoute(threadLoader, "/", { slug: list.slug, publicId: long.thread.publicId });
    const entries = (result.data as { toc: Parameters<typeof ArchiveThreadToc>[0]["entries"] }).toc;
    expect(entries.length).toBeGreaterThan(TOC_THRESHOLD);
    expect(entries.at(-1)!.indent).toBe(8); // depth 11, capped
    // The root repeats the thread's subject (the entry names its author only); changed subjects show.
    expect(entries.slice(0, 2).map((e) => (e.kind === "message" ? e.subject : e.kind))).toEqual([null, "Part 1"]);
    const html = renderToString(createElement(ArchiveThreadToc, { entries, page: 1 }));
    expect(html).toContain(`href="#m-${long.byKey.get("k11")!.publicId}"`);
  });

  it("splits a long thread into pages, with contents for the whole thread and links that find each message's page", async () => {
    const { renderToString } = await import("react-dom/server");
    const { createElement } = await import("react");
    const { ArchiveThreadToc } = await import("~/components/archive-thread-view");
    const { THREAD_PAGE_SIZE } = await import("~/archive/read-thread.server");
    const total = THREAD_PAGE_SIZE * 2 + 3;
    const long = await createArchiveThread(
      list,
      Array.from({ length: total }, (_, i) => ({ key: `p${i}`, parent: i ? "p0" : undefined, subject: `Piece ${i}`, text: `body of piece ${i}`, date: at(14, i) })),
    );
    type Page = { items: Array<{ publicId: string; kind: string; blocks?: unknown[] }>; toc: Array<{ publicId: string; page: number }>; page: number; pageCount: number };
    const second = (await callRoute(threadLoader, "/?page=2", { slug: list.slug, publicId: long.thread.publicId })).data as Page;
    expect([second.page, second.pageCount]).toEqual([2, 3]);
    expect(second.items).toHaveLength(THREAD_PAGE_SIZE);
    expect(second.toc).toHaveLength(total);
    const firstOnPage = long.byKey.get(`p${THREAD_PAGE_SIZE}`)!.publicId;
    expect(second.items[0]!.publicId).toBe(firstOnPage);
    expect(JSON.stringify(second.items)).toContain(`body of piece ${THREAD_PAGE_SIZE}`);
    expect(JSON.stringify(second)).not.toContain("body of piece 0\"");

    const last = (await callRoute(threadLoader, "/?page=99", { slug: list.slug, publicId: long.thread.publicId })).data as Page;
    expect([last.page, last.items.length]).toEqual([3, 3]);
    const html = renderToString(createElement(ArchiveThreadToc, { entries: second.toc as never, page: 2 }));
    expect(html).toContain(`href="?page=1#m-${long.byKey.get("p0")!.publicId}"`);
    expect(html).toContain(`href="#m-${firstOnPage}"`);

    // A message's own id leads to the page that shows it.
    const lastMessage = long.byKey.get(`p${total - 1}`)!.publicId;
    const redirected = await callRoute(threadLoader, "/", { slug: list.slug, publicId: lastMessage });
    expect(redirected.response?.headers.get("Location")).toBe(`/lists/${list.slug}/thread/${long.thread.publicId}?page=3#m-${lastMessage}`);
  });
});
