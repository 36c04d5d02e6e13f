// Turns a SearchRequest into Meilisearch's query string, filter expression
// and pagination. Pure functions, so the escaping is tested without a server.
//
// Query string: words are AND-ed (the engine sends matchingStrategy "all"),
// "…" is a phrase, and a leading "-" excludes a word or a phrase (negative
// search, Meilisearch 1.8+).
// https://www.meilisearch.com/docs/capabilities/full_text_search/getting_started/phrase_search
// q has no escape syntax, so every word goes through tokenizeWords, the
// splitter the embedded engine and the query parser share: what comes out is
// letters and digits only, with no quote or dash left to change the meaning.
// A term that splits into several words ("e-mail") is searched as a phrase,
// as the embedded engine does.
//
// Prefix search: Meilisearch always treats the last word of q as a prefix
// and has no per-request switch. "Last" means the last token: a space after
// it is a token too, so a q ending with a space has no prefix (the
// workaround its maintainers give in meilisearch/meilisearch#3066, and what
// milli's parse_query.rs does). So `prefixLast: true` puts the last term at
// the very end of q, and otherwise q ends with a space. Unlike the embedded
// engine, Meilisearch also tolerates typos inside that prefix.
//
// Filter: https://www.meilisearch.com/docs/learn/filtering_and_sorting/filter_expression_reference
// String values are double-quoted with `\` and `"` escaped by a backslash
// (escaping `\` is required since Meilisearch 1.4, see its v1.4.0 changelog).
import { normalizeKey, tokenizeWords } from "../query";
import type { SearchFilters, SearchRequest } from "../types";

/** Same paging bounds as the embedded engine. */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

export type QueryWords = Pick<SearchRequest, "terms" | "phrases" | "excludeTerms" | "excludePhrases" | "prefixLast">;

const asPhrase = (words: string[]) => `"${words.join(" ")}"`;

/**
 * q for a request, or null when a required word folds to nothing (only
 * punctuation), so nothing can match. Phrases and exclusions come first and
 * the terms last, so the one word Meilisearch may read as a prefix is the
 * last term.
 */
export function buildQueryString(request: QueryWords): string | null {
  const parts: string[] = [];
  for (const phrase of request.phrases ?? []) {
    const words = tokenizeWords(phrase.join(" "));
    if (words.length === 0) {
      if (phrase.join("").trim()) return null;
      continue;
    }
    parts.push(asPhrase(words));
  }
  const excluded = [...(request.excludeTerms ?? []), ...(request.excludePhrases ?? []).map((phrase) => phrase.join(" "))];
  for (const text of excluded) {
    const words = tokenizeWords(text);
    if (words.length === 1) parts.push(`-${words[0]}`);
    else if (words.length > 1) parts.push(`-${asPhrase(words)}`);
  }
  let lastIsTerm = false;
  for (const term of request.terms ?? []) {
    const words = tokenizeWords(term);
    if (words.length === 0) {
      if (term.trim()) return null;
      continue;
    }
    parts.push(words.length === 1 ? words[0]! : asPhrase(words));
    lastIsTerm = words.length === 1;
  }
  if (parts.length === 0) return "";
  const q = parts.join(" ");
  return request.prefixLast && lastIsTerm ? q : `${q} `;
}

/** A string value for a filter expression: double-quoted, `\` and `"` escaped. */
export function quoteFilterValue(value: string): string {
  return `"${value.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

const anyOf = (attribute: string, values: readonly string[]) => `${attribute} IN [${values.map(quoteFilterValue).join(", ")}]`;

/**
 * The filter expression for SearchFilters: undefined when nothing filters,
 * null when nothing can match (a from: or subject: value that folds to
 * nothing). Lists mean "any of" and an empty list filters nothing; every
 * subject word must be a title key; `after` is inclusive, `before` exclusive,
 * and a bound that is not a finite number is ignored. Values are normalized
 * the way the embedded engine compares them.
 */
export function buildFilter(filters: SearchFilters | undefined): string | undefined | null {
  if (!filters) return undefined;
  const clauses: string[] = [];
  if (filters.types?.length) clauses.push(anyOf("type", filters.types));
  if (filters.places?.length) clauses.push(anyOf("place", filters.places.map((place) => place.toLowerCase())));
  if (filters.from?.length) {
    const keys = filters.from.map(normalizeKey).filter(Boolean);
    if (keys.length === 0) return null;
    clauses.push(anyOf("fromKeys", keys));
  }
  for (const subject of filters.subject ?? []) {
    const words = tokenizeWords(subject);
    if (words.length === 0) return null;
    for (const word of words) clauses.push(`titleKeys = ${quoteFilterValue(word)}`);
  }
  // Dates are whole milliseconds, so rounding a bound up keeps its meaning.
  if (filters.after !== undefined && Number.isFinite(filters.after)) clauses.push(`date >= ${Math.ceil(filters.after)}`);
  if (filters.before !== undefined && Number.isFinite(filters.before)) clauses.push(`date < ${Math.ceil(filters.before)}`);
  if (clauses.length === 0) return undefined;
  return clauses.length === 1 ? clauses[0] : clauses.map((clause) => `(${clause})`).join(" AND ");
}

/**
 * Offset and limit as Meilisearch pagination. When the offset is a whole
 * number of pages, page/hitsPerPage makes Meilisearch count `totalHits`
 * exactly (up to the index's maxTotalHits); otherwise offset/limit, which
 * answers with `estimatedTotalHits`.
 * https://www.meilisearch.com/docs/guides/front_end/pagination
 */
export function buildPagination(offset?: number, limit?: number): { page: number; hitsPerPage: number } | { offset: number; limit: number } {
  const safeOffset = Math.max(0, Math.floor(Number.isFinite(offset) ? offset! : 0));
  const safeLimit = Math.max(0, Math.min(MAX_LIMIT, Math.floor(Number.isFinite(limit) ? limit! : DEFAULT_LIMIT)));
  if (safeLimit === 0) return { page: 1, hitsPerPage: 0 };
  if (safeOffset % safeLimit === 0) return { page: safeOffset / safeLimit + 1, hitsPerPage: safeLimit };
  return { offset: safeOffset, limit: safeLimit };
}
