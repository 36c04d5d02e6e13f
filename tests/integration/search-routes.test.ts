// The search routes as Remix calls them, on this file's own database and the
// process's search engine (the embedded index under this file's DATA_DIR).
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestMessage } from "~/archive/ingest.server";
import { publishList } from "~/archive/lists.server";
import { createTopic } from "~/forums/posting.server";
import { loader as apiSearch } from "~/routes/api.search";
import { loader as searchFeed } from "~/routes/search.feed[.]atom";
import { loader as searchMbox } from "~/routes/search.mbox";
import { loader as searchPage } from "~/routes/search._index";
import { db } from "~/utils/db.server";
import { closeSearchEngine, searchEngine } from "../../search/engine.server.ts";
import { drainSearchOutbox } from "../../search/indexer.server.ts";
import { buildRawMessage } from "../support/archive-factories";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";
import { callRoute, json, type TestUser } from "../archive-read/call-route";
import { makeList } from "../archive-import/support";

let member: TestUser;
let listSlug = "";
const manual = { kind: "manual" as const };

beforeAll(async () => {
  const user = await createTestUser();
  member = { id: user.id, role: user.role, username: user.username };
  const board = await createTestBoard();
  await createTopic(user, board.id, { title: "Barometer repair", body: "My barometer reads <b>low</b> <script>alert(1)</script>" });
  const list = await makeList({ name: "Weather Instruments", hostName: "Meteo.example", hostUrl: "https://meteo.example/" });
  listSlug = list.slug;
  await publishList(null, list.slug);
  for (const [i, subject] of ["Barometer calibration", "Aneroid barometer springs", "Rain gauge"].entries()) {
    await ingestMessage(
      list,
      buildRawMessage({
        messageId: `route-${i}@meteo.example`,
        subject,
        fromName: "Robert FitzRoy",
        fromAddress: "robert.fitzroy@meteo.example",
        date: new Date(Date.UTC(2024, i, 10)),
        text: `${subject}. Questions to robert.fitzroy@meteo.example please.`,
      }),
      manual,
    );
  }
  const drained = await drainSearchOutbox(await searchEngine());
  expect(drained.error).toBeNull();
});

afterAll(() => closeSearchEngine());

describe("/search", () => {
  it("answers with results, escaped highlights and facets", async () => {
    const result = await callRoute(searchPage, "/search?q=barometer", {});
    expect(result.status).toBe(200);
    const outcome = result.data as { status: string; total: number; items: Array<{ titleHtml: string; snippetHtml: string; type: string }> };
    expect(outcome.status).toBe("ok");
    expect(outcome.total).toBe(3);
    const html = outcome.items.map((item) => item.titleHtml + item.snippetHtml).join("");
    expect(html).toContain("<mark>");
    expect(html).not.toMatch(/<script|<b>/);
  });

  it("sorts by date when asked", async () => {
    const result = await callRoute(searchPage, "/search?q=barometer+in:lists&sort=date", {});
    const outcome = result.data as { items: Array<{ date: string }> };
    const dates = outcome.items.map((item) => item.date);
    expect(dates).toEqual([...dates].sort().reverse());
    expect(dates).toHaveLength(2);
  });
});

describe("/api/search", () => {
  it("returns JSON results with where each one lives", async () => {
    const body = await json(await callRoute(apiSearch, "/api/search?q=barome&typing=1", {}));
    expect(body.total).toBe(3);
    const results = body.results as Array<{ type: string; where: string; hostName: string | null; author: string }>;
    const mail = results.find((r) => r.type === "mail")!;
    expect(mail).toMatchObject({ where: "Weather Instruments", hostName: "Meteo.example", author: "Robert FitzRoy <r…@meteo.example>" });
    expect((mail as unknown as { messageId: string }).messageId).toMatch(/^route-\d@meteo\.example$/);
    const post = results.find((r) => r.type === "post") as unknown as { topicId: number; postNumber: number; url: string };
    expect(post.postNumber).toBe(1);
    expect(post.url).toBe(`/t/${post.topicId}/barometer-repair/1`);
  });
});

describe("bad input", () => {
  it("never errors on engine syntax, unbalanced quotes or control characters", async () => {
    for (const q of ['NEAR(barometer', 'barometer*', 'title:barometer', '"barometer', 'baro\u0000meter AND OR NOT', '(((', '-', '"" ""', '*', '^barometer']) {
      const result = await callRoute(searchPage, `/search?q=${encodeURIComponent(q)}`, {});
      expect(result.status, q).toBe(200);
      expect(["ok", "empty"], q).toContain((result.data as { status: string }).status);
    }
  });

  it("refuses a 10 KB query with a clear 400, and clamps absurd page numbers", async () => {
    const long = "barometer ".repeat(1024);
    const page = await callRoute(searchPage, `/search?q=${encodeURIComponent(long)}`, {});
    expect(page.status).toBe(400);
    expect((page.data as { problems: string[] }).problems[0]).toMatch(/too long/);
    const api = await callRoute(apiSearch, `/api/search?q=${encodeURIComponent(long)}`, {});
    expect(api.response?.status).toBe(400);
    const mbox = await callRoute(searchMbox, `/search/mbox?q=${encodeURIComponent(long)}`, {});
    expect(mbox.response?.status).toBe(400);
    const deep = await json(await callRoute(apiSearch, "/api/search?q=barometer&page=999999999999", {}));
    expect(deep.page).toBe(50);
    const negative = await json(await callRoute(apiSearch, "/api/search?q=barometer&page=-3", {}));
    expect(negative.page).toBe(1);
    expect((negative.results as unknown[]).length).toBe(3);
  });
});

describe("/search/mbox", () => {
  it("downloads the matching archived messages with every host named, masked for visitors", async () => {
    const result = await callRoute(searchMbox, `/search/mbox?q=${encodeURIComponent("barometer")}`, {});
    expect(result.response?.headers.get("Content-Type")).toBe("application/mbox");
    const text = await result.response!.text();
    expect(text.match(/^From /gm)).toHaveLength(2); // the forum post is not mail
    const preamble = text.slice(0, text.indexOf("\nFrom ")).replace(/\n# /g, " ");
    expect(preamble).toContain("hosted by Meteo.example");
    expect(preamble).toContain("does not own or control");
    expect(text).not.toContain("robert.fitzroy@meteo.example");
    expect(text).not.toContain("Rain gauge");
  });

  it("keeps the original addresses for members", async () => {
    const result = await callRoute(searchMbox, "/search/mbox?q=barometer", {}, member);
    const text = await result.response!.text();
    expect(text).toContain("robert.fitzroy@meteo.example");
    expect(result.response!.headers.get("Cache-Control")).toBe("private, no-store");
  });

  it("leaves out a message taken down after it was indexed", async () => {
    const row = await db.mailMessage.findFirstOrThrow({ where: { subject: "Barometer calibration" } });
    await db.mailMessage.update({ where: { id: row.id }, data: { hiddenAt: new Date() } });
    try {
      const text = await (await callRoute(searchMbox, "/search/mbox?q=barometer", {})).response!.text();
      expect(text.match(/^From /gm)).toHaveLength(1);
      const raw = await db.mailRaw.findUniqueOrThrow({ where: { messageRowId: row.id } });
      expect(gunzipSync(raw.gz).toString()).toContain("Barometer calibration"); // it was there to leak
    } finally {
      await db.mailMessage.update({ where: { id: row.id }, data: { hiddenAt: null } });
    }
  });
});

describe("/search/feed.atom", () => {
  it("follows an archive search, each entry naming its list and host", async () => {
    const result = await callRoute(searchFeed, "/search/feed.atom?q=barometer", {});
    expect(result.response?.headers.get("Content-Type")).toContain("application/atom+xml");
    const xml = await result.response!.text();
    expect(xml.match(/<entry>/g)).toHaveLength(2);
    expect(xml).toContain(`/lists/${listSlug}/m/`);
    expect(xml).toContain("hosted by Meteo.example");
    expect(xml).not.toContain("robert.fitzroy@");
  });
});
