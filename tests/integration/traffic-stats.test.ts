// Traffic statistics: what counts as a page view and where, the in-memory
// counters and their flush into this file's private SQLite database, the
// daily visitor salt, the admin page and its SVG charts.
import type { AddressInfo } from "node:net";
import express from "express";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loader as trafficLoader } from "~/routes/admin.traffic";
import { escapeXml, pageViewsChart, visitorsChart } from "~/traffic/charts.server";
import { trafficMiddleware } from "~/traffic/middleware.server";
import { externalReferrerHost, normalizePagePath } from "~/traffic/paths";
import { OTHER_PAGES, TrafficRecorder, type PageView } from "~/traffic/recorder.server";
import { trafficReport, type TrafficDayRow } from "~/traffic/report.server";
import { sectionOf } from "~/traffic/sections";
import { saveTrafficBatch } from "~/traffic/store.server";
import { db } from "~/utils/db.server";
import { callRoute } from "../archive-read/call-route";
import { createTestUser } from "../support/factories";

async function clearTraffic() {
  await db.trafficSectionDay.deleteMany();
  await db.trafficVisitorDay.deleteMany();
  await db.trafficPageDay.deleteMany();
  await db.trafficReferrerDay.deleteMany();
}

/** Every stored traffic row as one string, to look for what must never be there. */
async function everythingStored() {
  const rows = await Promise.all([db.trafficSectionDay.findMany(), db.trafficVisitorDay.findMany(), db.trafficPageDay.findMany(), db.trafficReferrerDay.findMany()]);
  return JSON.stringify(rows);
}

const view = (path: string, visitor = "198.51.100.1", referrerHost: string | null = null): PageView => ({ path, clientAddress: visitor, userAgent: "Mozilla/5.0 Firefox/130.0", referrerHost });

/** A clock the test moves by hand. */
function testClock(start: string) {
  let now = new Date(start);
  return { now: () => now, set: (iso: string) => (now = new Date(iso)) };
}

beforeEach(clearTraffic);

describe("sections", () => {
  it.each([
    ["/", "home"],
    ["/forums", "forums"],
    ["/b/python-help", "topics"],
    ["/b/python-help/new", "topics"],
    ["/t/12/hello-world/3", "topics"],
    ["/p/99", "topics"],
    ["/chat", "chat"],
    ["/chat/lobby/2026-11-30", "chat"],
    ["/lists", "archive"],
    ["/lists/magick/2000/01", "archive"],
    ["/mid/abc@example.org", "archive"],
    ["/search", "search"],
    ["/privacy", "other"],
    ["/settings/sessions", "other"],
    ["/u/ada", "other"],
    ["/forumsx", "other"],
    ["/topics", "other"],
  ])("%s is in %s", (path, section) => {
    expect(sectionOf(path)).toBe(section);
  });
});

describe("page paths and referrers", () => {
  it("drops query strings, counts a topic once and hides names and Message-IDs", () => {
    expect(normalizePagePath("/search?q=jane%40example.org")).toBe("/search");
    expect(normalizePagePath("/t/123/my-topic")).toBe("/t/123");
    expect(normalizePagePath("/t/123/renamed-topic/45")).toBe("/t/123");
    expect(normalizePagePath("/lists/magick/m/abc123/raw")).toBe("/lists/magick/m/abc123");
    expect(normalizePagePath("/u/ada")).toBe("/u/…");
    expect(normalizePagePath("/mid/CAF123%40mail.example.org")).toBe("/mid/…");
    expect(normalizePagePath("/b/jane@example.org")).toBe("/b/…");
    expect(normalizePagePath("/forums/")).toBe("/forums");
    expect(normalizePagePath(`/${"x".repeat(400)}`).length).toBeLessThanOrEqual(161);
  });

  it("keeps only the host of a referrer from another site", () => {
    expect(externalReferrerHost("https://News.Example.com/item?id=1&user=jane", ["forum.example.org"])).toBe("news.example.com");
    expect(externalReferrerHost("https://forum.example.org/t/1", ["forum.example.org"])).toBeNull();
    expect(externalReferrerHost("android-app://com.example", [])).toBeNull();
    expect(externalReferrerHost("not a url", [])).toBeNull();
    expect(externalReferrerHost(undefined, [])).toBeNull();
  });
});

describe("flushing the counters", () => {
  it("counts in memory and writes only when flushed, adding to what is stored", async () => {
    const clock = testClock("2026-03-10T12:00:00Z");
    const recorder = new TrafficRecorder({ save: saveTrafficBatch, now: clock.now });
    recorder.record(view("/"));
    recorder.record(view("/t/5/a-topic", "198.51.100.2", "news.example.com"));
    recorder.record(view("/t/5/a-topic/2", "198.51.100.2"));
    recorder.record(view("/search?q=secret"));
    expect(await db.trafficSectionDay.count()).toBe(0);

    await recorder.flush();
    const sections = await db.trafficSectionDay.findMany({ orderBy: { section: "asc" } });
    expect(sections.map((row) => [row.day, row.section, row.views])).toEqual([
      ["2026-03-10", "home", 1],
      ["2026-03-10", "search", 1],
      ["2026-03-10", "topics", 2],
    ]);
    expect(await db.trafficVisitorDay.findUnique({ where: { day: "2026-03-10" } })).toMatchObject({ visitors: 2 });
    expect((await db.trafficPageDay.findMany({ orderBy: { path: "asc" } })).map((row) => [row.path, row.views])).toEqual([
      ["/", 1],
      ["/search", 1],
      ["/t/5", 2],
    ]);

    // A second flush adds; returning visitors are not counted again the same day.
    recorder.record(view("/t/5/a-topic"));
    recorder.record(view("/", "198.51.100.3"));
    await recorder.flush();
    expect(await db.trafficSectionDay.findUnique({ where: { day_section: { day: "2026-03-10", section: "topics" } } })).toMatchObject({ views: 3 });
    expect(await db.trafficVisitorDay.findUnique({ where: { day: "2026-03-10" } })).toMatchObject({ visitors: 3 });
    await recorder.stop();
  });

  it("keeps the counts for the next flush when the database write fails", async () => {
    let fail = true;
    const recorder = new TrafficRecorder({
      save: async (batch) => {
        if (fail) throw new Error("database is locked");
        await saveTrafficBatch(batch);
      },
    });
    recorder.record(view("/chat"));
    await expect(recorder.flush()).rejects.toThrow("locked");
    recorder.record(view("/chat"));
    fail = false;
    await recorder.flush();
    expect((await db.trafficSectionDay.findMany()).map((row) => [row.section, row.views])).toEqual([["chat", 2]]);
  });

  it("flushes what is left on stop, then forgets the salt and hashes", async () => {
    const recorder = new TrafficRecorder({ save: saveTrafficBatch });
    recorder.record(view("/lists"));
    expect(recorder.visitorState).toMatchObject({ hasSalt: true, hashes: 1 });
    await recorder.stop();
    expect(await db.trafficPageDay.findMany()).toHaveLength(1);
    expect(recorder.visitorState).toEqual({ day: null, hasSalt: false, hashes: 0 });
  });

  it("caps the pages kept per day and sums the rest", async () => {
    const pages = new Map([["/a", 1], ["/b", 2], ["/c", 3], ["/d", 4]]);
    await saveTrafficBatch(new Map([["2026-03-10", { sections: {}, pages, referrers: new Map(), newVisitors: 0 }]]), { pages: 2, referrers: 2 });
    await saveTrafficBatch(new Map([["2026-03-10", { sections: {}, pages: new Map([["/a", 10], ["/e", 5]]), referrers: new Map(), newVisitors: 0 }]]), { pages: 2, referrers: 2 });
    const rows = await db.trafficPageDay.findMany({ orderBy: { path: "asc" } });
    expect(rows.map((row) => [row.path, row.views])).toEqual([
      [OTHER_PAGES, 12],
      ["/a", 11],
      ["/b", 2],
    ]);
  });
});

describe("the day rollover", () => {
  it("reduces the day's hashes to a count and starts the next day with a new salt", async () => {
    const clock = testClock("2026-03-10T23:59:00Z");
    const recorder = new TrafficRecorder({ save: saveTrafficBatch, now: clock.now });
    recorder.record(view("/", "198.51.100.1"));
    recorder.record(view("/forums", "198.51.100.1"));
    recorder.record(view("/", "198.51.100.2"));
    expect(recorder.visitorState).toEqual({ day: "2026-03-10", hasSalt: true, hashes: 2 });

    clock.set("2026-03-11T00:00:30Z");
    await recorder.flush();
    // Yesterday survives only as a number; nothing of its visitors remains.
    expect(await db.trafficVisitorDay.findUnique({ where: { day: "2026-03-10" } })).toMatchObject({ visitors: 2 });
    expect(recorder.visitorState).toEqual({ day: "2026-03-11", hasSalt: true, hashes: 0 });

    // The same person today is a new visitor: yesterday's salt cannot recognise them.
    recorder.record(view("/", "198.51.100.1"));
    await recorder.flush();
    expect(await db.trafficVisitorDay.findUnique({ where: { day: "2026-03-11" } })).toMatchObject({ visitors: 1 });
    expect(await db.trafficVisitorDay.findUnique({ where: { day: "2026-03-10" } })).toMatchObject({ visitors: 2 });
    expect(await everythingStored()).not.toContain("198.51.100");
    await recorder.stop();
  });

  it("rolls over on the flush timer even when nobody visits after midnight", async () => {
    const clock = testClock("2026-03-10T23:59:59Z");
    const recorder = new TrafficRecorder({ save: saveTrafficBatch, now: clock.now });
    recorder.record(view("/"));
    clock.set("2026-03-11T00:00:01Z");
    recorder.start(20);
    await expect.poll(() => recorder.visitorState.day, { timeout: 2_000 }).toBe("2026-03-11");
    expect(recorder.visitorState.hashes).toBe(0);
    await recorder.stop();
  });
});

describe("the middleware on a real server", () => {
  let base = "";
  let recorder: TrafficRecorder;
  let server: ReturnType<ReturnType<typeof express>["listen"]>;

  beforeAll(async () => {
    recorder = new TrafficRecorder({ save: saveTrafficBatch });
    const app = express();
    app.set("trust proxy", true);
    app.use(trafficMiddleware(recorder, ["forum.example.org"]));
    app.get("/api/forums", (_req, res) => res.json({ ok: true }));
    app.get("/gone", (_req, res) => res.status(404).type("html").send("<p>missing</p>"));
    app.get("/p/7", (_req, res) => res.redirect(302, "/t/3/x/7"));
    app.get("*", (_req, res) => res.type("html").send("<!doctype html><p>page</p>"));
    await new Promise<void>((resolve) => {
      server = app.listen(0, "127.0.0.1", () => resolve());
    });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await recorder.stop();
    await new Promise((resolve) => server.close(resolve));
  });

  const browser = { "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36", "sec-fetch-dest": "document", "x-forwarded-for": "203.0.113.77" };
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${base}${path}`, { headers: { ...browser, ...headers }, redirect: "manual" });

  it("counts pages, top pages and external referrers, never query strings or addresses", async () => {
    await get("/search?q=jane.doe%40example.org&token=abc123secret", { referer: "https://news.example.com/item?id=42&user=jane" });
    await get("/t/3/hello/2?utm_source=mail");
    await get("/t/3/hello", { referer: "https://forum.example.org/forums" });
    await get("/p/7");
    // Not page views: a crawler, an API call, a failure, a prefetch, a script fetch.
    await get("/forums", { "user-agent": "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" });
    await get("/api/forums");
    await get("/gone");
    await get("/forums", { "sec-purpose": "prefetch" });
    await get("/forums", { "sec-fetch-dest": "empty" });
    await recorder.flush();

    const pages = await db.trafficPageDay.findMany({ orderBy: { path: "asc" } });
    expect(pages.map((row) => [row.path, row.views])).toEqual([
      ["/p/7", 1],
      ["/search", 1],
      ["/t/3", 2],
    ]);
    expect((await db.trafficReferrerDay.findMany()).map((row) => [row.host, row.views])).toEqual([["news.example.com", 1]]);
    expect((await db.trafficVisitorDay.findMany()).map((row) => row.visitors)).toEqual([1]);
    const stored = await everythingStored();
    for (const secret of ["203.0.113", "127.0.0.1", "jane", "abc123secret", "utm_source", "id=42", "?"]) expect(stored).not.toContain(secret);
  });
});

describe("the admin page", () => {
  const days = (rows: Partial<TrafficDayRow>[]): TrafficDayRow[] =>
    rows.map((row, i) => ({ day: `2026-03-0${i + 1}`, views: 0, visitors: 0, sections: { home: 0, forums: 0, topics: 0, chat: 0, archive: 0, search: 0, other: 0 }, ...row }));

  it("escapes every text in the SVG charts and describes them", () => {
    const hostile = days([{ day: `<script>alert("x")</script>&`, views: 3, visitors: 2, sections: { home: 3, forums: 0, topics: 0, chat: 0, archive: 0, search: 0, other: 0 } }, {}]);
    for (const svg of [pageViewsChart(hostile), visitorsChart(hostile)]) {
      expect(svg).not.toContain("<script");
      expect(svg).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;");
      expect(svg).toMatch(/^<svg [^>]*role="img"[^>]*aria-labelledby="[\w-]+-title [\w-]+-desc"/);
      expect(svg).toMatch(/<title id="[\w-]+-title">[^<]+<\/title><desc id="[\w-]+-desc">[^<]+<\/desc>/);
      expect(svg).not.toMatch(/style=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    }
    expect(escapeXml(`'&<>"`)).toBe("&apos;&amp;&lt;&gt;&quot;");
  });

  it("stacks each day's sections in the views chart", () => {
    const svg = pageViewsChart(days([{ views: 5, sections: { home: 2, forums: 0, topics: 3, chat: 0, archive: 0, search: 0, other: 0 } }]));
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain("Boards and topics: 3 page views");
    expect(svg).toContain("Home: 2 page views");
  });

  it("reports a range of days, today included, with top pages and referrers", async () => {
    const now = new Date("2026-03-10T08:00:00Z");
    await saveTrafficBatch(
      new Map([
        ["2026-03-10", { sections: { home: 4 }, pages: new Map([["/", 4]]), referrers: new Map([["news.example.com", 2]]), newVisitors: 3 }],
        ["2026-03-04", { sections: { chat: 1 }, pages: new Map([["/chat", 1]]), referrers: new Map(), newVisitors: 1 }],
        ["2026-03-03", { sections: { search: 7 }, pages: new Map([["/search", 7]]), referrers: new Map(), newVisitors: 5 }],
      ]),
    );
    const week = await trafficReport(7, now);
    expect(week.days.map((d) => d.day)).toEqual(["2026-03-04", "2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09", "2026-03-10"]);
    expect([week.totalViews, week.visitorDays]).toEqual([5, 4]);
    expect(week.days.at(-1)).toMatchObject({ views: 4, visitors: 3, sections: { home: 4 } });
    expect(week.topPages).toEqual([{ path: "/", views: 4 }, { path: "/chat", views: 1 }]);
    expect(week.topReferrers).toEqual([{ host: "news.example.com", views: 2 }]);
    expect((await trafficReport(30, now)).totalViews).toBe(12);
  });

  it("is for admins only", async () => {
    const member = await createTestUser();
    const moderator = await createTestUser({ role: "moderator" });
    const admin = await createTestUser({ role: "admin" });
    expect((await callRoute(trafficLoader, "/admin/traffic", {}, member)).status).toBe(403);
    expect((await callRoute(trafficLoader, "/admin/traffic", {}, moderator)).status).toBe(403);
    const anonymous = await callRoute(trafficLoader, "/admin/traffic", {}, null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.response?.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    const ok = await callRoute(trafficLoader, "/admin/traffic?days=7", {}, admin);
    expect(ok.status).toBe(200);
    expect(ok.data).toMatchObject({ range: 7, recording: true });
    expect((ok.data as { days: unknown[] }).days).toHaveLength(7);
    expect((ok.data as { viewsSvg: string }).viewsSvg).toContain("<svg");
    expect((await callRoute(trafficLoader, "/admin/traffic?days=1000", {}, admin)).data).toMatchObject({ range: 30 });
  });
});
