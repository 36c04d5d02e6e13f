// Answers a SearchRequest from one generation: builds the FTS5 MATCH
// expression (only from quoted, pre-split words, so nothing a reader types
// can become FTS5 syntax), applies filters, ranks, counts, facets and marks
// the matched words.
//
// Two ways to rank. Exact: FTS5's weighted BM25 over every match, the newer
// document first among equal scores. It is what small match sets get (and
// every query on a layout-1 generation). But FTS5's bm25() counts the
// documents of every query word on every call, so its cost follows the
// commonest word: half a second for "error" over a million documents.
// Bounded (ranked.ts, layout-2 generations), when a word matches more than
// EXACT_DF documents: only the newest CANDIDATES matches (a backwards walk
// of the date-ordered rowids, which FTS5 stops early), and for a one-word
// query older matches with the word in the title, are ranked with the same
// BM25 formula on word presence in the title instead of counts, and
// document frequencies estimated from how far back the newest matches
// reach. Counts and facets stop at COUNT_LIMIT matches (the newest), and
// the response says so (totalCapped).
import type { SearchDocument, SearchFacets, SearchFilters, SearchHit, SearchRequest, SearchResponse } from "../types";
import { normalizeKey, tokenizeWords } from "../query";
import { snippetHtml, titleHtml, type MatchedWords } from "./highlight";
import { boundedSearch } from "./ranked";
import { COLUMN_WEIGHTS, KEY_FROM, KEY_SUBJECT, LAYOUT_DATED, tablesOf, TEXT_COLUMNS } from "./schema";
import type { Store } from "./store";
import { allowedTypos } from "./typos";

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const quote = (word: string) => `"${word.replaceAll('"', '""')}"`;
const phraseOf = (words: string[]) => quote(words.join(" "));

export type Plan = {
  /** MATCH expression for what must match, or null to browse by filters alone. */
  positive: string | null;
  /** The parts of `positive` that must all match: a word (with its corrections), a prefix or a phrase. */
  groups: string[];
  /** For each group, the words of a phrase (its document frequency is bounded by theirs), or null. */
  phraseWords: Array<string[] | null>;
  /** MATCH expression for what must not match, or null. */
  negative: string | null;
  words: MatchedWords;
  /** A required word or phrase folded to nothing (only punctuation): nothing can match. */
  impossible: boolean;
};

/** Turns request words into MATCH groups, expanding typos and the last prefix. */
function plan(store: Store, gen: number, request: SearchRequest, minPrefix: number): Plan {
  const words: MatchedWords = { exact: new Set(), prefixes: [] };
  const groups: string[] = [];
  const phraseWords: Array<string[] | null> = [];
  // Request words are normally folded already (parseSearchQuery); fold again so any caller gets index words.
  const terms: string[][] = (request.terms ?? []).map((term) => tokenizeWords(term));
  const phrases = (request.phrases ?? []).map((phrase) => tokenizeWords(phrase.join(" ")));
  let impossible = false;
  const lastTerm = terms.length - 1;
  terms.forEach((split, index) => {
    if (split.length === 0) return;
    if (split.length > 1) {
      // "foo-bar" passed as one term: its words in order.
      groups.push(phraseOf(split));
      phraseWords.push(split);
      split.forEach((word) => words.exact.add(word));
      return;
    }
    const term = split[0]!;
    // A single letter as a prefix would match a good part of the vocabulary; it is matched as a word
    // until the reader types a second letter (a third on layout 2, whose FTS table keeps a prefix
    // index for three letters only: one for two letters as well made the index a quarter larger
    // again, 80 MB instead of 64 for 15,000 documents, and slowed indexing).
    const isPrefix = request.prefixLast === true && index === lastTerm && term.length >= minPrefix;
    const alternatives: string[] = [];
    if (isPrefix) {
      alternatives.push(`${quote(term)}*`);
      words.prefixes.push(term);
    } else {
      alternatives.push(quote(term));
      words.exact.add(term);
    }
    if (allowedTypos(term) > 0) {
      // Asked of the words table, so that the vocabulary (seconds to load for a large index) is loaded
      // by the first misspelled word rather than by the first search.
      const known = isPrefix ? hasWordStartingWith(store, gen, term) : hasWord(store, gen, term);
      if (!known) {
        for (const correction of store.vocabulary(gen).correct(term)) {
          alternatives.push(quote(correction));
          words.exact.add(correction);
        }
      }
    }
    groups.push(alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(" OR ")})`);
    phraseWords.push(null);
  });
  if ((request.terms ?? []).some((term) => term.trim()) && terms.every((split) => split.length === 0)) impossible = true;
  for (const phrase of phrases) {
    if (phrase.length === 0) continue;
    groups.push(phraseOf(phrase));
    phraseWords.push(phrase.length > 1 ? phrase : null);
    phrase.forEach((word) => words.exact.add(word));
  }
  if ((request.phrases ?? []).some((phrase) => phrase.join("").trim()) && phrases.every((phrase) => phrase.length === 0)) impossible = true;

  const excluded = [
    ...(request.excludeTerms ?? []).map((term) => tokenizeWords(term)),
    ...(request.excludePhrases ?? []).map((phrase) => tokenizeWords(phrase.join(" "))),
  ].filter((split) => split.length > 0);
  return {
    groups,
    phraseWords,
    positive: groups.length ? groups.join(" AND ") : null,
    negative: excluded.length ? excluded.map(phraseOf).join(" OR ") : null,
    words,
    impossible,
  };
}

function hasWord(store: Store, gen: number, word: string): boolean {
  return store.prepare(`SELECT 1 FROM ${tablesOf(gen).words} WHERE word = ?`).pluck().get(word) !== undefined;
}

function hasWordStartingWith(store: Store, gen: number, prefix: string): boolean {
  const sql = `SELECT 1 FROM ${tablesOf(gen).words} WHERE word >= ? AND word < ? LIMIT 1`;
  return store.prepare(sql).pluck().get(prefix, `${prefix}\uffff`) !== undefined;
}

/** SQL conditions on the docs row `d` for the filters, with their parameters. */
export function filterSql(gen: number, filters: SearchFilters | undefined, only?: { keys: boolean; dates: boolean; types: boolean }): { where: string[]; params: unknown[] } {
  const t = tablesOf(gen);
  const where: string[] = [];
  const params: unknown[] = [];
  const list = (values: unknown[]) => values.map(() => "?").join(", ");
  if (only) {
    filters = {
      ...(only.keys ? { from: filters?.from, subject: filters?.subject } : {}),
      ...(only.dates ? { after: filters?.after, before: filters?.before } : {}),
      ...(only.types ? { types: filters?.types } : {}),
    };
  }
  if (filters?.types?.length) {
    where.push(`d.type IN (${list(filters.types)})`);
    params.push(...filters.types);
  }
  if (filters?.places?.length) {
    const places = filters.places.map((place) => place.toLowerCase());
    where.push(`d.place IN (${list(places)})`);
    params.push(...places);
  }
  const from = (filters?.from ?? []).map(normalizeKey).filter(Boolean);
  if (from.length) {
    where.push(`d.rowid IN (SELECT doc FROM ${t.keys} WHERE kind = ${KEY_FROM} AND key IN (${list(from)}))`);
    params.push(...from);
  } else if (filters?.from?.length) {
    where.push("0");
  }
  for (const subject of filters?.subject ?? []) {
    const words = tokenizeWords(subject);
    if (words.length === 0) where.push("0");
    for (const word of words) {
      where.push(`d.rowid IN (SELECT doc FROM ${t.keys} WHERE kind = ${KEY_SUBJECT} AND key = ?)`);
      params.push(word);
    }
  }
  if (filters?.after !== undefined && Number.isFinite(filters.after)) {
    where.push("d.date >= ?");
    params.push(Math.ceil(filters.after));
  }
  if (filters?.before !== undefined && Number.isFinite(filters.before)) {
    where.push("d.date < ?");
    params.push(Math.ceil(filters.before));
  }
  return { where, params };
}

const EMPTY_FACETS = (): SearchFacets => ({ type: {}, place: {}, year: {} });

/** What runSearch needs to know about the generation (schema.ts). */
export type GenerationInfo = { layout: number; spilled: boolean };

/** The embedded engine's response: `totalCapped` when total and facets stopped counting at COUNT_LIMIT. */
export type EmbeddedSearchResponse = SearchResponse & { totalCapped: boolean };

export function runSearch(store: Store, gen: number, request: SearchRequest, info: GenerationInfo = { layout: 1, spilled: false }): EmbeddedSearchResponse {
  const limit = Math.max(0, Math.min(MAX_LIMIT, Math.floor(request.limit ?? DEFAULT_LIMIT)));
  const offset = Math.max(0, Math.floor(request.offset ?? 0));
  const dated = info.layout >= LAYOUT_DATED;
  const planned = plan(store, gen, request, dated ? 3 : 2);
  if (planned.impossible) return { hits: [], total: 0, facets: request.facets ? EMPTY_FACETS() : null, totalCapped: false };
  const page = { limit, offset, facets: request.facets === true };
  const found: Found = dated
    ? boundedSearch(store, gen, request, planned, page, info.spilled, exactSearch)
    : exactSearch(store, gen, request, planned, page);
  const readData = store.prepare(`SELECT data FROM ${tablesOf(gen).data} WHERE rowid = ?`).pluck();
  const hits: SearchHit[] = found.rowids.map((rowid) => {
    const document = JSON.parse(readData.get(rowid) as string) as SearchDocument;
    return {
      document,
      titleHtml: titleHtml(document.title ?? "", planned.words),
      snippetHtml: snippetHtml(document.body ?? "", document.quoted ?? "", planned.words),
    };
  });
  return { hits, total: found.total, facets: found.facets, totalCapped: found.totalCapped };
}

export type Page = { limit: number; offset: number; facets: boolean };
export type Found = { rowids: number[]; total: number; facets: SearchFacets | null; totalCapped: boolean };
export type ExactSearch = typeof exactSearch;

/** Counts facet rows (type, place, year, n) into a SearchFacets. */
export function facetsOf(groups: Array<{ type: string; place: string; year: number; n: number }>): { facets: SearchFacets; total: number } {
  const facets = EMPTY_FACETS();
  let total = 0;
  for (const group of groups) {
    total += group.n;
    facets.type[group.type] = (facets.type[group.type] ?? 0) + group.n;
    facets.place[group.place] = (facets.place[group.place] ?? 0) + group.n;
    facets.year[String(group.year)] = (facets.year[String(group.year)] ?? 0) + group.n;
  }
  return { facets, total };
}

/** Matches only in the text columns: the tags column (layout 2) holds filter keys, not words. */
export const inText = (expression: string) => `${TEXT_COLUMNS}: (${expression})`;

/** Ranks every match by FTS5's weighted BM25 (newer first among equal scores) and counts them all. */
export function exactSearch(store: Store, gen: number, request: SearchRequest, planned: Plan, page: Page): Found {
  const t = tablesOf(gen);
  const { positive, negative } = planned;
  const filters = filterSql(gen, request.filters);
  const where = [...filters.where];
  const params = [...filters.params];
  let from: string;
  let order: string;
  let score = "";
  if (positive) {
    // CROSS JOIN keeps FTS5 as the outer loop: the matches are found once and each is checked
    // against the filters by rowid. Driving from a filter's index instead would probe FTS5 once
    // per filtered row, which is a hundred times slower for common words.
    from = `${t.fts} CROSS JOIN ${t.docs} d ON d.rowid = ${t.fts}.rowid`;
    where.unshift(`${t.fts} MATCH ?`);
    params.unshift(inText(negative ? `(${positive}) NOT (${negative})` : positive));
    if (request.sort === "date") order = "d.date DESC, d.rowid DESC";
    else {
      score = `, bm25(${t.fts}, ${COLUMN_WEIGHTS.join(", ")}) AS score`;
      order = "score, d.date DESC, d.rowid DESC";
    }
  } else {
    // No words: the filtered documents, newest first.
    from = `${t.docs} d`;
    if (negative) {
      where.push(`d.rowid NOT IN (SELECT rowid FROM ${t.fts} WHERE ${t.fts} MATCH ?)`);
      params.push(inText(negative));
    }
    order = "d.date DESC, d.rowid DESC";
  }
  const whereSql = where.length ? `WHERE ${where.join(" AND ")}` : "";
  // Rank over the narrow docs rows only; the stored documents are read for the page alone.
  const rowids = store
    .prepare(`SELECT d.rowid${score} FROM ${from} ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .raw()
    .all(...params, page.limit, page.offset)
    .map((row) => (row as [number])[0]);

  let total: number;
  let facets: SearchFacets | null = null;
  if (page.facets) {
    const groups = store
      .prepare(`SELECT d.type AS type, d.place AS place, d.year AS year, count(*) AS n FROM ${from} ${whereSql} GROUP BY 1, 2, 3`)
      .all(...params) as Array<{ type: string; place: string; year: number; n: number }>;
    ({ facets, total } = facetsOf(groups));
  } else if (rowids.length < page.limit && (rowids.length > 0 || page.offset === 0)) {
    // A short page is the last one: no need to count.
    total = page.offset + rowids.length;
  } else {
    total = store.prepare(`SELECT count(*) FROM ${from} ${whereSql}`).pluck().get(...params) as number;
  }
  return { rowids, total, facets, totalCapped: false };
}
