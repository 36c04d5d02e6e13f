// The search the pages use: a query string in, results ready to show out.
// Parses the query language (query.ts), asks the engine, and shapes each hit
// for the reader: addresses masked for visitors who are not logged in, and
// every archived message labelled with its list and the site that hosts it.
import { maskEmails } from "~/archive/mask";
import { ownershipNotice } from "~/archive/ownership";
import type { Viewer } from "~/archive/read.server";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { searchEngine } from "./engine.server.ts";
import { parseSearchQuery } from "./query.ts";
import { SearchUnavailableError, type SearchDocType, type SearchEngine, type SearchFacets, type SearchRequest } from "./types.ts";

export const RESULTS_PER_PAGE = 20;
/** Deep pages are not useful and cost the engine: refine the query instead. */
export const MAX_PAGE = 50;
/** Longer queries are refused with a clear message rather than cut silently. */
export const MAX_QUERY_CHARS = 1000;

export type SearchSort = "relevance" | "date";

export type SearchInput = { q: string; sort: SearchSort; page: number; prefix?: boolean };

export type ResultItem = {
  id: string;
  type: SearchDocType;
  url: string;
  titleHtml: string;
  snippetHtml: string;
  author: string;
  date: string;
  placeName: string;
  /** "/b/<slug>", "/lists/<slug>", "/chat/<slug>" */
  placeUrl: string;
  /** The hosting site of an archived list; null for forum posts and chat. */
  hostName: string | null;
  /** Archived mail: the Message-ID (without angle brackets). */
  messageId?: string;
  /** Forum posts: the topic id and the post's number in it. */
  topicId?: number;
  postNumber?: number;
  /** Chat messages: the room's slug and the message id. */
  room?: string;
  chatMessageId?: number;
};

export type FacetLink = { label: string; count: number; token: string; active: boolean };

export type SearchOutcome =
  | { status: "empty"; q: string; problems: string[] }
  | { status: "too-long"; q: string; problems: string[] }
  | { status: "unavailable"; q: string; problems: string[] }
  | {
      status: "ok";
      q: string;
      sort: SearchSort;
      problems: string[];
      items: ResultItem[];
      total: number;
      /** `total` is a lower bound (the engine stopped counting). */
      totalCapped: boolean;
      page: number;
      pageCount: number;
      facets: { type: FacetLink[]; place: FacetLink[]; year: FacetLink[] } | null;
      /** Hosts of the archived lists among the results, for the ownership notice. */
      hosts: Array<{ listName: string; hostName: string; hostUrl: string; notice: string }>;
    };

const TYPE_TOKENS: Record<SearchDocType, { token: string; label: string }> = {
  post: { token: "in:forums", label: "Forums" },
  mail: { token: "in:lists", label: "Mailing lists" },
  chat: { token: "in:chat", label: "Chat" },
};

export function placeUrl(place: string): string {
  const [kind, slug = ""] = place.split(":", 2);
  if (kind === "board") return `/b/${encodeURIComponent(slug)}`;
  if (kind === "list") return `/lists/${encodeURIComponent(slug)}`;
  return `/chat/${encodeURIComponent(slug)}`;
}

export function clampPage(raw: string | null | undefined): number {
  const page = Number.parseInt(raw ?? "1", 10);
  return Number.isFinite(page) && page >= 1 ? Math.min(page, MAX_PAGE) : 1;
}

function buildRequest(q: string, sort: SearchSort, page: number, prefix: boolean, perPage: number) {
  const parsed = parseSearchQuery(q);
  const request: SearchRequest = {
    ...parsed.request,
    prefixLast: prefix,
    sort,
    offset: (page - 1) * perPage,
    limit: perPage,
    facets: true,
  };
  const hasCriteria =
    request.terms.length + request.phrases.length > 0 ||
    Object.values(request.filters ?? {}).some((value) => (Array.isArray(value) ? value.length > 0 : value !== undefined));
  return { request, problems: parsed.problems, hasCriteria };
}

function facetLinks(facets: SearchFacets, q: string, placeNames: Map<string, string>) {
  const lower = ` ${q.toLowerCase()} `;
  const link = (token: string, label: string, count: number): FacetLink => ({ label, count, token, active: lower.includes(` ${token.toLowerCase()} `) });
  const sorted = (record: Record<string, number>) => Object.entries(record).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return {
    type: sorted(facets.type).flatMap(([type, n]) => {
      const known = TYPE_TOKENS[type as SearchDocType];
      return known ? [link(known.token, known.label, n)] : [];
    }),
    place: sorted(facets.place).slice(0, 15).map(([place, n]) => link(place, placeNames.get(place) ?? place.split(":")[1] ?? place, n)),
    year: Object.entries(facets.year)
      .filter(([, n]) => n > 0)
      .sort((a, b) => Number(b[0]) - Number(a[0]))
      .map(([year, n]) => link(`during:${year}`, year, n)),
  };
}

/** What scripts need to address a result: Message-IDs for mail, topic and number for posts. */
async function addIdentifiers(items: ResultItem[]): Promise<void> {
  const idsOf = (type: SearchDocType) => items.filter((item) => item.type === type).map((item) => Number(item.id.slice(item.id.indexOf(":") + 1)));
  const mailIds = idsOf("mail");
  const postIds = idsOf("post");
  const mail = mailIds.length ? await db.mailMessage.findMany({ where: { id: { in: mailIds } }, select: { id: true, messageId: true } }) : [];
  const posts = postIds.length ? await db.post.findMany({ where: { id: { in: postIds } }, select: { id: true, topicId: true, number: true } }) : [];
  const mailById = new Map(mail.map((row) => [`mail:${row.id}`, row]));
  const postById = new Map(posts.map((row) => [`post:${row.id}`, row]));
  for (const item of items) {
    if (item.type === "chat") Object.assign(item, { room: item.placeUrl.split("/")[2], chatMessageId: Number(item.id.slice(5)) });
    const message = mailById.get(item.id);
    if (message) item.messageId = message.messageId;
    const post = postById.get(item.id);
    if (post) Object.assign(item, { topicId: post.topicId, postNumber: post.number });
  }
}

async function archiveHosts(slugs: string[]) {
  if (slugs.length === 0) return [];
  const lists = await db.mailingList.findMany({
    where: { slug: { in: slugs }, visibility: "public" },
    select: { name: true, hostName: true, hostUrl: true, ownershipNotice: true },
    orderBy: { name: "asc" },
  });
  return lists.map((list) => ({ listName: list.name, hostName: list.hostName, hostUrl: list.hostUrl, notice: ownershipNotice(list) }));
}

async function placeNamesOf(places: string[]): Promise<Map<string, string>> {
  const boards = places.filter((p) => p.startsWith("board:")).map((p) => p.slice(6));
  const lists = places.filter((p) => p.startsWith("list:")).map((p) => p.slice(5));
  const rooms = places.filter((p) => p.startsWith("room:")).map((p) => p.slice(5));
  const names = new Map<string, string>();
  if (rooms.length) for (const r of await db.chatRoom.findMany({ where: { slug: { in: rooms } }, select: { slug: true, name: true } })) names.set(`room:${r.slug}`, `#${r.name}`);
  if (boards.length) for (const b of await db.board.findMany({ where: { slug: { in: boards } }, select: { slug: true, name: true } })) names.set(`board:${b.slug}`, b.name);
  if (lists.length) {
    for (const l of await db.mailingList.findMany({ where: { slug: { in: lists }, visibility: "public" }, select: { slug: true, name: true, hostName: true } })) {
      names.set(`list:${l.slug}`, `${l.name} (${l.hostName})`);
    }
  }
  return names;
}

export async function searchPortal(input: SearchInput, viewer: Viewer, engineOf: () => Promise<SearchEngine> = searchEngine): Promise<SearchOutcome> {
  const q = input.q.trim();
  if (q.length > MAX_QUERY_CHARS) {
    return { status: "too-long", q: q.slice(0, 80), problems: [`The search is too long: at most ${MAX_QUERY_CHARS} characters, please.`] };
  }
  const { request, problems, hasCriteria } = buildRequest(q, input.sort, input.page, input.prefix ?? false, RESULTS_PER_PAGE);
  if (!hasCriteria) return { status: "empty", q, problems };
  let response;
  try {
    const engine = await engineOf();
    response = await engine.search(request);
  } catch (error) {
    // The page still works; it says search is unavailable. Never the query in logs.
    logger.warn({ error: error instanceof Error ? error.message : String(error), unavailable: error instanceof SearchUnavailableError }, "search failed");
    return { status: "unavailable", q, problems };
  }
  const mask = viewer.seeAddresses ? (text: string) => text : (text: string) => maskEmails(text);
  const items: ResultItem[] = response.hits.map(({ document, titleHtml, snippetHtml }) => ({
    id: document.id,
    type: document.type,
    url: document.url,
    // Texts were masked when indexed; highlights are escaped HTML.
    titleHtml,
    snippetHtml,
    author: document.authorAddress ? `${document.author} <${mask(document.authorAddress)}>` : document.author,
    date: new Date(document.date).toISOString(),
    placeName: document.placeName,
    placeUrl: placeUrl(document.place),
    hostName: document.hostName,
  }));
  await addIdentifiers(items);
  const facetPlaces = response.facets ? Object.keys(response.facets.place) : [];
  const names = await placeNamesOf(facetPlaces);
  const listSlugs = [...new Set(response.hits.filter((hit) => hit.document.type === "mail").map((hit) => hit.document.place.slice(5)))];
  const pageCount = Math.min(MAX_PAGE, Math.max(1, Math.ceil(response.total / RESULTS_PER_PAGE)));
  return {
    status: "ok",
    q,
    sort: input.sort,
    problems,
    items,
    total: response.total,
    totalCapped: response.totalCapped ?? false,
    page: input.page,
    pageCount,
    facets: response.facets ? facetLinks(response.facets, q, names) : null,
    hosts: await archiveHosts(listSlugs),
  };
}

/** Archived messages matching an archive search, newest first (for mbox and Atom). */
export async function searchArchiveMessageIds(q: string, limit: number, engineOf: () => Promise<SearchEngine> = searchEngine): Promise<number[] | null> {
  if (q.trim().length > MAX_QUERY_CHARS) return [];
  // Engines answer at most 100 results per page.
  const { request, hasCriteria } = buildRequest(q.trim(), "date", 1, false, Math.min(limit, 100));
  if (!hasCriteria) return [];
  request.filters = { ...request.filters, types: ["mail"] };
  request.facets = false;
  const ids: number[] = [];
  try {
    const engine = await engineOf();
    for (let offset = 0; ids.length < limit; offset += request.limit!) {
      const response = await engine.search({ ...request, offset });
      for (const hit of response.hits) ids.push(Number(hit.document.id.slice(5)));
      if (response.hits.length < request.limit!) break;
    }
  } catch (error) {
    logger.warn({ error: error instanceof Error ? error.message : String(error) }, "archive search failed");
    return null;
  }
  return ids.slice(0, limit);
}
