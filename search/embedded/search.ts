// Answers a SearchRequest from one generation: builds the FTS5 MATCH
// expression (only from quoted, pre-split words, so nothing a reader types
// can become FTS5 syntax), applies filters on the docs and keys tables,
// ranks by weighted BM25 with recency as the tie-break, counts and facets
// the whole match set, and marks the matched words.
import type { SearchDocument, SearchFacets, SearchFilters, SearchHit, SearchRequest, SearchResponse } from "../types";
import { normalizeKey, tokenizeWords } from "../query";
import { snippetHtml, titleHtml, type MatchedWords } from "./highlight";
import { COLUMN_WEIGHTS, KEY_FROM, KEY_SUBJECT, tablesOf } from "./schema";
import type { Store } from "./store";
import { allowedTypos } from "./typos";

export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const quote = (word: string) => `"${word.replaceAll('"', '""')}"`;
const phraseOf = (words: string[]) => quote(words.join(" "));

type Plan = {
  /** MATCH expression for what must match, or null to browse by filters alone. */
  positive: string | null;
  /** MATCH expression for what must not match, or null. */
  negative: string | null;
  words: MatchedWords;
  /** A required word or phrase folded to nothing (only punctuation): nothing can match. */
  impossible: boolean;
};

/** Turns request words into MATCH groups, expanding typos and the last prefix. */
function plan(store: Store, gen: number, request: SearchRequest): Plan {
  const words: MatchedWords = { exact: new Set(), prefixes: [] };
  const groups: string[] = [];
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
      split.forEach((word) => words.exact.add(word));
      return;
    }
    const term = split[0]!;
    // A single letter as a prefix would match a good part of the vocabulary; it is matched as a word
    // until the reader types a second letter.
    const isPrefix = request.prefixLast === true && index === lastTerm && term.length >= 2;
    const alternatives: string[] = [];
    if (isPrefix) {
      alternatives.push(`${quote(term)}*`);
      words.prefixes.push(term);
    } else {
      alternatives.push(quote(term));
      words.exact.add(term);
    }
    if (allowedTypos(term) > 0) {
      const vocabulary = store.vocabulary(gen);
      const known = isPrefix ? hasWordStartingWith(store, gen, term) : vocabulary.has(term);
      if (!known) {
        for (const correction of vocabulary.correct(term)) {
          alternatives.push(quote(correction));
          words.exact.add(correction);
        }
      }
    }
    groups.push(alternatives.length === 1 ? alternatives[0]! : `(${alternatives.join(" OR ")})`);
  });
  if ((request.terms ?? []).some((term) => term.trim()) && terms.every((split) => split.length === 0)) impossible = true;
  for (const phrase of phrases) {
    if (phrase.length === 0) continue;
    groups.push(phraseOf(phrase));
    phrase.forEach((word) => words.exact.add(word));
  }
  if ((request.phrases ?? []).some((phrase) => phrase.join("").trim()) && phrases.every((phrase) => phrase.length === 0)) impossible = true;

  const excluded = [
    ...(request.excludeTerms ?? []).map((term) => tokenizeWords(term)),
    ...(request.excludePhrases ?? []).map((phrase) => tokenizeWords(phrase.join(" "))),
  ].filter((split) => split.length > 0);
  return {
    positive: groups.length ? groups.join(" AND ") : null,
    negative: excluded.length ? excluded.map(phraseOf).join(" OR ") : null,
    words,
    impossible,
  };
}

function hasWordStartingWith(store: Store, gen: number, prefix: string): boolean {
  const sql = `SELECT 1 FROM ${tablesOf(gen).words} WHERE word >= ? AND word < ? LIMIT 1`;
  return store.prepare(sql).pluck().get(prefix, `${prefix}\uffff`) !== undefined;
}

/** SQL conditions on the docs row `d` for the filters, with their parameters. */
function filterSql(gen: number, filters: SearchFilters | undefined): { where: string[]; params: unknown[] } {
  const t = tablesOf(gen);
  const where: string[] = [];
  const params: unknown[] = [];
  const list = (values: unknown[]) => values.map(() => "?").join(", ");
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

export function runSearch(store: Store, gen: number, request: SearchRequest): SearchResponse {
  const t = tablesOf(gen);
  const limit = Math.max(0, Math.min(MAX_LIMIT, Math.floor(request.limit ?? DEFAULT_LIMIT)));
  const offset = Math.max(0, Math.floor(request.offset ?? 0));
  const { positive, negative, words, impossible } = plan(store, gen, request);
  if (impossible) return { hits: [], total: 0, facets: request.facets ? EMPTY_FACETS() : null };

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
    params.unshift(negative ? `(${positive}) NOT (${negative})` : positive);
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
      params.push(negative);
    }
    order = "d.date DESC, d.rowid DESC";
  }
  const whereSql = where.length ? `WHERE ${where.join(" AND ")}` : "";
  // Rank over the narrow docs rows only; the stored documents are read for the page alone.
  const rowids = store
    .prepare(`SELECT d.rowid${score} FROM ${from} ${whereSql} ORDER BY ${order} LIMIT ? OFFSET ?`)
    .raw()
    .all(...params, limit, offset)
    .map((row) => (row as [number])[0]);
  const readData = store.prepare(`SELECT data FROM ${t.data} WHERE rowid = ?`).pluck();
  const rows = rowids.map((rowid) => ({ data: readData.get(rowid) as string }));

  let total: number;
  let facets: SearchFacets | null = null;
  if (request.facets) {
    facets = EMPTY_FACETS();
    const groups = store
      .prepare(`SELECT d.type AS type, d.place AS place, d.year AS year, count(*) AS n FROM ${from} ${whereSql} GROUP BY 1, 2, 3`)
      .all(...params) as Array<{ type: string; place: string; year: number; n: number }>;
    total = 0;
    for (const group of groups) {
      total += group.n;
      facets.type[group.type] = (facets.type[group.type] ?? 0) + group.n;
      facets.place[group.place] = (facets.place[group.place] ?? 0) + group.n;
      facets.year[String(group.year)] = (facets.year[String(group.year)] ?? 0) + group.n;
    }
  } else if (rows.length < limit && (rows.length > 0 || offset === 0)) {
    // A short page is the last one: no need to count.
    total = offset + rows.length;
  } else {
    total = store.prepare(`SELECT count(*) FROM ${from} ${whereSql}`).pluck().get(...params) as number;
  }

  const hits: SearchHit[] = rows.map((row) => {
    const document = JSON.parse(row.data) as SearchDocument;
    return {
      document,
      titleHtml: titleHtml(document.title ?? "", words),
      snippetHtml: snippetHtml(document.body ?? "", document.quoted ?? "", words),
    };
  });
  return { hits, total, facets };
}
