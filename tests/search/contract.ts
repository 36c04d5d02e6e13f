// The behaviour every search engine must share, whichever one the portal
// runs: the embedded SQLite engine (tests/search/embedded.test.ts) and
// Meilisearch (tests/search/meili.test.ts, when MEILI_HOST is set). Only the
// public SearchEngine interface is used. Each case starts from a fresh,
// empty engine, and each assertion names a behaviour that readers rely on,
// so breaking it fails here.
//
// Typos are placed away from the first letter, and prefix cases type whole
// syllables, because Meilisearch counts a typo on the first letter twice.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MARK_CLOSE, MARK_OPEN } from "../../search/highlight";
import type { SearchDocument, SearchEngine, SearchRequest, SearchResponse } from "../../search/types";

export type SearchContractOptions = {
  /** The engine applies writes in the background: assertions after a write are retried for a while. */
  eventuallyConsistent?: boolean;
};

const DAY = 86_400_000;
const BASE = Date.UTC(2024, 5, 1, 12);
const FILLER = "the meeting ran long and everyone agreed to continue the discussion next week over coffee";

const FILLER_WORDS = FILLER.split(" ");
/** `n` words of neutral text, to give a field a chosen length. */
const words = (n: number) => Array.from({ length: n }, (_, i) => FILLER_WORDS[i % FILLER_WORDS.length]).join(" ");

let counter = 0;

/** A plausible document; every field can be overridden. */
export function makeDocument(overrides: Partial<SearchDocument> = {}): SearchDocument {
  counter += 1;
  const id = overrides.id ?? `post:${counter}`;
  const title = overrides.title ?? "Weekly notes";
  return {
    id,
    type: (id.split(":")[0] as SearchDocument["type"]) ?? "post",
    title,
    body: FILLER,
    quoted: "",
    author: "Casey Jones",
    authorAddress: null,
    fromKeys: ["casey", "jones"],
    titleKeys: title.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean),
    place: "board:general",
    placeName: "General",
    hostName: null,
    url: `/p/${id.split(":")[1] ?? counter}`,
    date: BASE,
    ...overrides,
  };
}

export function request(overrides: Partial<SearchRequest> = {}): SearchRequest {
  return { terms: [], phrases: [], excludeTerms: [], excludePhrases: [], ...overrides };
}

const ids = (response: SearchResponse) => response.hits.map((hit) => hit.document.id);
const sorted = (values: string[]) => [...values].sort();

export function describeSearchContract(engineName: string, makeEngine: () => Promise<SearchEngine>, options: SearchContractOptions = {}) {
  describe(`search engine contract: ${engineName}`, () => {
    let engine: SearchEngine;

    beforeEach(async () => {
      engine = await makeEngine();
      await engine.init();
    });

    afterEach(async () => {
      await engine.close();
    });

    /** Runs `check` once, or, for an eventually consistent engine, until it passes (15 s at most). */
    async function settled(check: () => Promise<void>): Promise<void> {
      if (!options.eventuallyConsistent) return check();
      const deadline = Date.now() + 15_000;
      for (;;) {
        try {
          return await check();
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }

    const search = (overrides: Partial<SearchRequest>) => engine.search(request(overrides));
    const expectIds = (overrides: Partial<SearchRequest>, expected: string[]) =>
      settled(async () => expect(ids(await search(overrides))).toEqual(expected));
    const expectIdSet = (overrides: Partial<SearchRequest>, expected: string[]) =>
      settled(async () => expect(sorted(ids(await search({ limit: 50, ...overrides })))).toEqual(sorted(expected)));

    describe("ranking", () => {
      it("ranks a title match above a body match above a match only in quoted text, whatever their dates", async () => {
        await engine.index([
          makeDocument({ id: "post:1", title: "Zephyr configuration", date: BASE - 3 * DAY }),
          makeDocument({ id: "post:2", title: "Weekly notes", body: `we tried zephyr yesterday and ${FILLER}`, date: BASE - 2 * DAY }),
          makeDocument({ id: "post:3", title: "Weekly notes", body: FILLER, quoted: `we tried zephyr yesterday and ${FILLER}`, date: BASE - DAY }),
          makeDocument({ id: "post:4", title: "Unrelated", body: FILLER, date: BASE }),
        ]);
        await expectIds({ terms: ["zephyr"] }, ["post:1", "post:2", "post:3"]);
      });

      it("ranks a title match above a body match even when the title is long and the body short", async () => {
        await engine.index([
          makeDocument({ id: "post:1", title: "Notes from the weekly zephyr review meeting today", date: BASE - 3 * DAY }),
          makeDocument({ id: "post:2", body: "zephyr works now", date: BASE }),
          makeDocument({ id: "post:3", body: words(32), date: BASE - DAY }),
          makeDocument({ id: "post:4", body: words(32), date: BASE - DAY }),
        ]);
        await expectIds({ terms: ["zephyr"] }, ["post:1", "post:2"]);
      });

      it("ranks a body match above a quoted-only match even when the body is long and the quote short", async () => {
        await engine.index([
          makeDocument({ id: "post:1", body: `quokka ${words(59)}`, quoted: words(16), date: BASE - 3 * DAY }),
          makeDocument({ id: "post:2", body: words(16), quoted: "quokka sighting", date: BASE }),
          makeDocument({ id: "post:3", body: words(16), quoted: words(16), date: BASE - DAY }),
          makeDocument({ id: "post:4", body: words(16), quoted: words(16), date: BASE - DAY }),
        ]);
        await expectIds({ terms: ["quokka"] }, ["post:1", "post:2"]);
      });

      it("puts the newer document first when relevance is equal", async () => {
        const same = { title: "Lanterns", body: `paper lanterns ${FILLER}` };
        await engine.index([
          makeDocument({ id: "post:1", ...same, date: BASE - 2 * DAY }),
          makeDocument({ id: "post:2", ...same, date: BASE }),
          makeDocument({ id: "post:3", ...same, date: BASE - DAY }),
        ]);
        await expectIds({ terms: ["lanterns"] }, ["post:2", "post:3", "post:1"]);
      });

      it("sorts by date, newest first, when asked, whatever the relevance", async () => {
        await engine.index([
          makeDocument({ id: "post:1", title: "Zephyr", date: BASE - 2 * DAY }),
          makeDocument({ id: "post:2", body: `zephyr ${FILLER}`, date: BASE }),
          makeDocument({ id: "post:3", quoted: `zephyr ${FILLER}`, date: BASE - DAY }),
        ]);
        await expectIds({ terms: ["zephyr"], sort: "date" }, ["post:2", "post:3", "post:1"]);
      });

      it("requires every word", async () => {
        await engine.index([
          makeDocument({ id: "post:1", body: "apples and oranges" }),
          makeDocument({ id: "post:2", body: "apples and pears" }),
        ]);
        await expectIdSet({ terms: ["apples", "oranges"] }, ["post:1"]);
        await expectIdSet({ terms: ["apples"] }, ["post:1", "post:2"]);
      });

      it("finds words in the author's name", async () => {
        await engine.index([makeDocument({ id: "post:1", author: "Philippa Marlowe" }), makeDocument({ id: "post:2" })]);
        await expectIdSet({ terms: ["marlowe"] }, ["post:1"]);
      });

      it("answers an unknown word with nothing", async () => {
        await engine.index([makeDocument({ id: "post:1" })]);
        await settled(async () => expect(await search({ terms: ["quixotically"] })).toMatchObject({ hits: [], total: 0 }));
      });

      it("treats query syntax characters as text, never as syntax", async () => {
        await engine.index([makeDocument({ id: "post:1", body: "not a problem" })]);
        for (const term of ['a"b', "NOT", "(x", "title:y", "*", "OR", "^", "-", 'x" OR "y']) {
          await expect(search({ terms: [term] })).resolves.toHaveProperty("hits");
          await expect(search({ terms: ["problem"], phrases: [[term]], excludeTerms: [term] })).resolves.toHaveProperty("hits");
        }
        await expectIdSet({ terms: ["not", "problem"] }, ["post:1"]);
      });
    });

    describe("filters", () => {
      it("filters by type", async () => {
        await engine.index([
          makeDocument({ id: "post:1", body: "shared word marmalade" }),
          makeDocument({ id: "mail:1", body: "shared word marmalade" }),
          makeDocument({ id: "chat:1", body: "shared word marmalade" }),
        ]);
        await expectIdSet({ terms: ["marmalade"], filters: { types: ["mail", "chat"] } }, ["mail:1", "chat:1"]);
        await expectIdSet({ terms: ["marmalade"], filters: { types: ["post"] } }, ["post:1"]);
      });

      it("filters by place (any of several)", async () => {
        await engine.index([
          makeDocument({ id: "mail:1", body: "marmalade", place: "list:magick" }),
          makeDocument({ id: "post:2", body: "marmalade", place: "board:general" }),
          makeDocument({ id: "chat:3", body: "marmalade", place: "room:lobby" }),
        ]);
        await expectIdSet({ terms: ["marmalade"], filters: { places: ["list:magick", "room:lobby"] } }, ["mail:1", "chat:3"]);
        await expectIdSet({ terms: ["marmalade"], filters: { places: ["board:elsewhere"] } }, []);
      });

      it("filters by author key, exactly (not by prefix)", async () => {
        await engine.index([
          makeDocument({ id: "mail:1", body: "marmalade", fromKeys: ["alice", "alice@example.org", "example.org"] }),
          makeDocument({ id: "mail:2", body: "marmalade", fromKeys: ["alicent", "alicent@other.net", "other.net"] }),
          makeDocument({ id: "mail:3", body: "marmalade", fromKeys: ["bob"] }),
        ]);
        await expectIdSet({ terms: ["marmalade"], filters: { from: ["alice"] } }, ["mail:1"]);
        await expectIdSet({ terms: ["marmalade"], filters: { from: ["example.org"] } }, ["mail:1"]);
        await expectIdSet({ terms: ["marmalade"], filters: { from: ["alice@example.org", "bob"] } }, ["mail:1", "mail:3"]);
        await expectIdSet({ filters: { from: ["alicent"] } }, ["mail:2"]);
      });

      it("filters by subject words, every one of them, exactly", async () => {
        await engine.index([
          makeDocument({ id: "mail:1", title: "Kernel panic on boot" }),
          makeDocument({ id: "mail:2", title: "Kernel update" }),
          makeDocument({ id: "mail:3", title: "Panicking kernels" }),
        ]);
        await expectIdSet({ filters: { subject: ["kernel"] } }, ["mail:1", "mail:2"]);
        await expectIdSet({ filters: { subject: ["kernel", "panic"] } }, ["mail:1"]);
        await expectIdSet({ filters: { subject: ["panic"] } }, ["mail:1"]);
        await expectIdSet({ terms: ["meeting"], filters: { subject: ["kernels"] } }, ["mail:3"]);
      });

      it("filters by date: after is inclusive, before is exclusive", async () => {
        await engine.index([
          makeDocument({ id: "post:1", body: "marmalade", date: BASE - 1 }),
          makeDocument({ id: "post:2", body: "marmalade", date: BASE }),
          makeDocument({ id: "post:3", body: "marmalade", date: BASE + 1 }),
        ]);
        await expectIdSet({ terms: ["marmalade"], filters: { after: BASE } }, ["post:2", "post:3"]);
        await expectIdSet({ terms: ["marmalade"], filters: { before: BASE } }, ["post:1"]);
        await expectIdSet({ terms: ["marmalade"], filters: { after: BASE - 1, before: BASE + 1 } }, ["post:1", "post:2"]);
      });

      it("answers filters without words with the matching documents, newest first", async () => {
        await engine.index([
          makeDocument({ id: "mail:1", place: "list:magick", date: BASE - DAY }),
          makeDocument({ id: "mail:2", place: "list:magick", date: BASE + DAY }),
          makeDocument({ id: "mail:3", place: "list:other", date: BASE + 2 * DAY }),
          makeDocument({ id: "mail:4", place: "list:magick", date: BASE, body: "spam spam" }),
        ]);
        await expectIds({ filters: { places: ["list:magick"] } }, ["mail:2", "mail:4", "mail:1"]);
        await expectIds({ filters: { places: ["list:magick"] }, excludeTerms: ["spam"] }, ["mail:2", "mail:1"]);
        await settled(async () => expect((await search({ filters: { places: ["list:magick"] } })).total).toBe(3));
      });
    });

    describe("facets", () => {
      it("counts type, place and year over every match, not just the page", async () => {
        const docs = [
          ...Array.from({ length: 5 }, (_, i) => makeDocument({ id: `mail:${i}`, body: "marmalade", place: "list:magick", date: Date.UTC(2023, 2, i + 1) })),
          ...Array.from({ length: 3 }, (_, i) => makeDocument({ id: `post:${i}`, body: "marmalade", place: "board:general", date: Date.UTC(2024, 2, i + 1) })),
          makeDocument({ id: "chat:1", body: "marmalade", place: "room:lobby", date: Date.UTC(2022, 0, 1) }),
          makeDocument({ id: "chat:2", body: "no match here", place: "room:lobby", date: Date.UTC(2022, 0, 1) }),
        ];
        await engine.index(docs);
        await settled(async () => {
          const response = await search({ terms: ["marmalade"], limit: 2, facets: true });
          expect(response.hits).toHaveLength(2);
          expect(response.total).toBe(9);
          expect(response.facets).toEqual({
            type: { mail: 5, post: 3, chat: 1 },
            place: { "list:magick": 5, "board:general": 3, "room:lobby": 1 },
            year: { "2023": 5, "2024": 3, "2022": 1 },
          });
        });
        await settled(async () => {
          const filtered = await search({ terms: ["marmalade"], limit: 1, facets: true, filters: { types: ["mail", "chat"] } });
          expect(filtered.facets?.type).toEqual({ mail: 5, chat: 1 });
          expect(filtered.facets?.year).toEqual({ "2023": 5, "2022": 1 });
        });
        expect((await search({ terms: ["marmalade"] })).facets).toBeNull();
      });
    });

    describe("highlights", () => {
      it("marks matched words in the title and the snippet", async () => {
        await engine.index([makeDocument({ id: "post:1", title: "Compiling the kernel", body: `Yesterday the kernel build failed on ${FILLER}` })]);
        await settled(async () => {
          const [hit] = (await search({ terms: ["kernel"] })).hits;
          expect(hit?.titleHtml).toBe("Compiling the <mark>kernel</mark>");
          expect(hit?.snippetHtml).toContain("the <mark>kernel</mark> build failed");
          expect(hit?.snippetHtml.match(/<mark>/g)).toHaveLength(1);
        });
      });

      it("never returns a document's HTML as markup", async () => {
        await engine.index([
          makeDocument({
            id: "post:1",
            title: "<script>alert('title')</script> marmalade",
            body: `<img src=x onerror="alert(1)"> marmalade & <b>bold</b> ${FILLER}`,
            quoted: "<iframe src=//evil.example>",
          }),
        ]);
        await settled(async () => {
          const [hit] = (await search({ terms: ["marmalade"] })).hits;
          expect(hit).toBeDefined();
          for (const html of [hit!.titleHtml, hit!.snippetHtml]) {
            expect(html).not.toMatch(/<(?!\/?mark>)/);
            expect(html.replace(/<\/?mark>/g, "")).not.toMatch(/[<>"]/);
          }
          expect(hit!.titleHtml).toContain("&lt;script&gt;");
          expect(hit!.titleHtml).toContain("<mark>marmalade</mark>");
          expect(hit!.snippetHtml).toContain("&lt;img src=x onerror=");
          expect(hit!.snippetHtml).toContain("&amp;");
          // The document itself is returned as stored, for the page to escape.
          expect(hit!.document.title).toBe("<script>alert('title')</script> marmalade");
        });
      });

      it("does not turn marker characters inside a document into highlights", async () => {
        await engine.index([makeDocument({ id: "post:1", title: `${MARK_OPEN}fake${MARK_CLOSE} marmalade`, body: `${MARK_OPEN}fake${MARK_CLOSE} marmalade ${FILLER}` })]);
        await settled(async () => {
          const [hit] = (await search({ terms: ["marmalade"] })).hits;
          expect(hit?.titleHtml).toBe("fake <mark>marmalade</mark>");
          expect(hit?.snippetHtml.match(/<mark>/g)).toHaveLength(1);
        });
      });

      it("shows the part of a long body around the first match", async () => {
        const before = Array.from({ length: 150 }, (_, i) => `alpha${i}`).join(" ");
        const after = Array.from({ length: 150 }, (_, i) => `omega${i}`).join(" ");
        await engine.index([makeDocument({ id: "post:1", title: "Long one", body: `${before} marmalade ${after}` })]);
        await settled(async () => {
          const [hit] = (await search({ terms: ["marmalade"] })).hits;
          expect(hit?.snippetHtml).toContain("<mark>marmalade</mark>");
          expect(hit?.snippetHtml).not.toContain("alpha0 ");
          expect(hit?.snippetHtml).not.toContain("omega149");
          const words = hit!.snippetHtml.replace(/<\/?mark>/g, "").split(/\s+/).length;
          expect(words).toBeGreaterThanOrEqual(10);
          expect(words).toBeLessThanOrEqual(60);
        });
      });

      it("falls back to the start of the body when only the title matched", async () => {
        await engine.index([makeDocument({ id: "post:1", title: "Marmalade recipes", body: `Start here. ${FILLER}` })]);
        await settled(async () => {
          const [hit] = (await search({ terms: ["marmalade"] })).hits;
          expect(hit?.snippetHtml.startsWith("Start here.")).toBe(true);
          expect(hit?.snippetHtml).not.toContain("<mark>");
        });
      });

      it("marks typo-corrected and prefix matches", async () => {
        await engine.index([makeDocument({ id: "post:1", title: "Marmalade", body: `homemade marmalade ${FILLER}` })]);
        await settled(async () => {
          const [typo] = (await search({ terms: ["marmelade"] })).hits;
          expect(typo?.titleHtml).toBe("<mark>Marmalade</mark>");
          const [prefix] = (await search({ terms: ["homem"], prefixLast: true })).hits;
          expect(prefix?.snippetHtml).toContain("<mark>homemade</mark>");
        });
      });
    });

    describe("pagination", () => {
      it("pages with offset and limit and reports the total on every page", async () => {
        await engine.index(Array.from({ length: 7 }, (_, i) => makeDocument({ id: `post:${i}`, body: `marmalade ${FILLER}`, date: BASE + i * DAY })));
        const newestFirst = ["post:6", "post:5", "post:4", "post:3", "post:2", "post:1", "post:0"];
        await settled(async () => {
          const pages = await Promise.all([0, 3, 6].map((offset) => search({ terms: ["marmalade"], sort: "date", offset, limit: 3 })));
          expect(pages.map(ids)).toEqual([newestFirst.slice(0, 3), newestFirst.slice(3, 6), newestFirst.slice(6)]);
          expect(pages.map((page) => page.total)).toEqual([7, 7, 7]);
          const beyond = await search({ terms: ["marmalade"], offset: 20, limit: 3 });
          expect(beyond.hits).toEqual([]);
          expect(beyond.total).toBe(7);
        });
      });
    });

    describe("phrases and exclusions", () => {
      it("matches a phrase only with its words together and in order", async () => {
        await engine.index([
          makeDocument({ id: "post:1", body: "the quick brown fox jumps" }),
          makeDocument({ id: "post:2", body: "the brown quick fox jumps" }),
          makeDocument({ id: "post:3", body: "quick and brown" }),
        ]);
        await expectIdSet({ phrases: [["quick", "brown"]] }, ["post:1"]);
        await expectIdSet({ terms: ["quick", "brown"] }, ["post:1", "post:2", "post:3"]);
        await expectIdSet({ terms: ["jumps"], phrases: [["brown", "quick"]] }, ["post:2"]);
      });

      it("excludes words and phrases", async () => {
        await engine.index([
          makeDocument({ id: "post:1", body: "marmalade with orange peel" }),
          makeDocument({ id: "post:2", body: "marmalade with lemon peel" }),
          makeDocument({ id: "post:3", body: "marmalade with peel of orange" }),
        ]);
        await expectIdSet({ terms: ["marmalade"], excludeTerms: ["lemon"] }, ["post:1", "post:3"]);
        await expectIdSet({ terms: ["marmalade"], excludePhrases: [["orange", "peel"]] }, ["post:2", "post:3"]);
        await expectIdSet({ terms: ["marmalade"], excludeTerms: ["orange", "lemon"] }, []);
      });
    });

    describe("prefix and typos", () => {
      it("matches the last word as a prefix only when asked", async () => {
        await engine.index([makeDocument({ id: "post:1", body: "configuration of marmalade" }), makeDocument({ id: "post:2", body: "marmalade confusion" })]);
        await expectIdSet({ terms: ["marmalade", "configur"], prefixLast: true }, ["post:1"]);
        await expectIdSet({ terms: ["marmalade", "conf"], prefixLast: true }, ["post:1", "post:2"]);
        await expectIdSet({ terms: ["marmalade", "configur"] }, []);
        // Only the last word is a prefix.
        await expectIdSet({ terms: ["configur", "marmalade"], prefixLast: true }, []);
      });

      it("forgives one typo in a word of 5 letters or more", async () => {
        await engine.index([makeDocument({ id: "post:1", body: "a kernel and a daemon on linux" }), makeDocument({ id: "post:2", body: "something else" })]);
        await expectIdSet({ terms: ["linox"] }, ["post:1"]); // five letters
        await expectIdSet({ terms: ["kernal"] }, ["post:1"]); // substitution
        await expectIdSet({ terms: ["kernl"] }, ["post:1"]); // deletion
        await expectIdSet({ terms: ["daemonn"] }, ["post:1"]); // insertion
        await expectIdSet({ terms: ["kenrel"] }, ["post:1"]); // two neighbours swapped
        await expectIdSet({ terms: ["kurnal"] }, []); // two typos in a 6-letter word
      });

      it("forgives two typos in a word of 9 letters or more", async () => {
        await engine.index([makeDocument({ id: "post:1", body: "read the documentation first" }), makeDocument({ id: "post:2", body: "marmalade" })]);
        await expectIdSet({ terms: ["documantasion"] }, ["post:1"]);
        await expectIdSet({ terms: ["dokumantasion"] }, []);
      });

      it("never corrects a word under 5 letters", async () => {
        await engine.index([makeDocument({ id: "post:1", body: "the disk is full" })]);
        await expectIdSet({ terms: ["disk"] }, ["post:1"]);
        await expectIdSet({ terms: ["dusk"] }, []);
        await expectIdSet({ terms: ["dis"] }, []);
      });
    });

    describe("writes", () => {
      it("makes removed documents unfindable and ignores unknown ids", async () => {
        await engine.index([makeDocument({ id: "post:1", body: "marmalade" }), makeDocument({ id: "post:2", body: "marmalade" })]);
        await expectIdSet({ terms: ["marmalade"] }, ["post:1", "post:2"]);
        await engine.remove(["post:1", "post:404"]);
        await expectIdSet({ terms: ["marmalade"] }, ["post:2"]);
        await expectIdSet({ filters: { types: ["post"] } }, ["post:2"]);
        await settled(async () => expect(await engine.count()).toBe(1));
      });

      it("replaces a document indexed again under the same id", async () => {
        await engine.index([makeDocument({ id: "post:1", title: "Old title", body: "marmalade" })]);
        await expectIdSet({ terms: ["marmalade"] }, ["post:1"]);
        await engine.index([makeDocument({ id: "post:1", title: "New title", body: "chutney", place: "board:kitchen" })]);
        await expectIdSet({ terms: ["chutney"] }, ["post:1"]);
        await expectIdSet({ terms: ["marmalade"] }, []);
        await expectIdSet({ filters: { places: ["board:general"] } }, []);
        await settled(async () => {
          const response = await search({ terms: ["title"] });
          expect(response.total).toBe(1);
          expect(response.hits[0]?.document.title).toBe("New title");
          expect(await engine.count()).toBe(1);
        });
      });

      it("counts documents and reports health and stats", async () => {
        expect(await engine.count()).toBe(0);
        await engine.index(Array.from({ length: 4 }, (_, i) => makeDocument({ id: `post:${i}` })));
        await settled(async () => expect(await engine.count()).toBe(4));
        expect(await engine.health()).toMatchObject({ ok: true });
        const stats = await engine.stats();
        expect(stats.engine).toBe(engine.name);
        expect(stats.documents).toBe(4);
      });

      it("can init twice without losing anything", async () => {
        await engine.index([makeDocument({ id: "post:1", body: "marmalade" })]);
        await settled(async () => expect(await engine.count()).toBe(1));
        await engine.init();
        await expectIdSet({ terms: ["marmalade"] }, ["post:1"]);
      });
    });

    describe("rebuild", () => {
      it("keeps answering from the old index until commit, then only from the new one", async () => {
        await engine.index([makeDocument({ id: "post:1", body: "marmalade old" }), makeDocument({ id: "post:2", body: "marmalade old" })]);
        await expectIdSet({ terms: ["marmalade"] }, ["post:1", "post:2"]);
        const rebuild = await engine.beginRebuild();
        await rebuild.index([makeDocument({ id: "post:2", body: "marmalade new" }), makeDocument({ id: "post:3", body: "marmalade new" })]);
        await expectIdSet({ terms: ["marmalade"] }, ["post:1", "post:2"]);
        await expectIdSet({ terms: ["new"] }, []);
        expect(await engine.count()).toBe(2);
        await rebuild.commit();
        await expectIdSet({ terms: ["marmalade"] }, ["post:2", "post:3"]);
        await expectIdSet({ terms: ["old"] }, []);
        await settled(async () => expect(await engine.count()).toBe(2));
      });

      it("leaves the old index in place when aborted", async () => {
        await engine.index([makeDocument({ id: "post:1", body: "marmalade old" })]);
        await expectIdSet({ terms: ["marmalade"] }, ["post:1"]);
        const rebuild = await engine.beginRebuild();
        await rebuild.index([makeDocument({ id: "post:9", body: "marmalade new" })]);
        await rebuild.abort();
        await expectIdSet({ terms: ["marmalade"] }, ["post:1"]);
        expect(await engine.count()).toBe(1);
        // Live writes still work after an abort.
        await engine.index([makeDocument({ id: "post:2", body: "marmalade" })]);
        await expectIdSet({ terms: ["marmalade"] }, ["post:1", "post:2"]);
      });
    });
  });
}
