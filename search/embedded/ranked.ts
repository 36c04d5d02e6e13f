// Search on a layout-2 generation (schema.ts), where rowid order is date
// order. Everything here is bounded by a number of matches, not by the size
// of the index:
//
// - Places are words of the tags column, and a date range is a rowid
//   range, so a filtered query is one FTS5 walk that intersects doclists
//   instead of looking up every match in docs. Types, from: and subject:
//   (and dates, in a generation where rowids spilled past their
//   millisecond) check each match against docs and keys.
// - Newest first is FTS5's own backwards walk with a LIMIT, which stops as
//   soon as the page is full.
// - Relevance: a query whose words are all rarer than EXACT_DF documents is
//   ranked exactly (search.ts, FTS5's bm25() over every match). Otherwise
//   the newest CANDIDATES matches (plus, for a one-word query, the newest
//   TITLE_CANDIDATES older ones with the word in the title: with several
//   words, documents with all of them in the title can be too sparse to
//   find without walking the whole index) are ranked by BM25 with the same
//   weights and parameters as FTS5's, on word presence: a word in the title
//   counts as a title match, anywhere else as a body match. Document
//   frequencies come from how far back the newest EXACT_DF matches of each
//   word reach (cached per process; a phrase counts as its rarest word), so
//   no query counts a common word's documents. Among these candidates, a title match still comes first;
//   an older document matching only in the body can be outranked by newer
//   ones that it would beat on word counts or length.
// - Counts and facets cover the newest COUNT_LIMIT matches; beyond that the
//   total says COUNT_LIMIT and totalCapped is set (show "1,000+").
import type { SearchRequest } from "../types";
import { COLUMN_WEIGHTS, placeTag, rowidBase, tablesOf } from "./schema";
import { facetsOf, filterSql, inText, type ExactSearch, type Found, type Page, type Plan } from "./search";
import type { Store } from "./store";

/** Matches ranked when a query is too common to rank exactly: the newest ones. Also the count limit. */
export const CANDIDATES = 1_000;
/** Older matches with the word in the title, ranked too, so a clear title match is not lost to recency. */
export const TITLE_CANDIDATES = 200;
/** Words in fewer documents than this are cheap for FTS5's bm25() to count: exact ranking. */
export const EXACT_DF = 5_000;
/**
 * Total and facets count at most this many matches (the newest): the candidates themselves, so
 * counting costs nothing more than ranking. It is also the most the search page can show (50 pages
 * of 20). Counting further costs in proportion to how sparse the matches are: a phrase of two
 * common words found in one document in twenty would mean walking most of the index.
 */
export const COUNT_LIMIT = CANDIDATES;

const K1 = 1.2;
const B = 0.75;
const [TITLE_WEIGHT, BODY_WEIGHT] = COLUMN_WEIGHTS;
const MAX_RANK_MS = 2 ** 42 - 1;

const quote = (word: string) => `"${word.replaceAll('"', '""')}"`;

/** One walk over the matches: MATCH expression, rowid bounds, and the docs conditions it still needs. */
type Walk = { match: string | null; low: number | null; high: number | null; join: boolean; where: string[]; params: unknown[] };

function walkOf(gen: number, request: SearchRequest, planned: Plan, spilled: boolean): Walk {
  const filters = request.filters ?? {};
  const bounds = rowidBounds(filters.after, filters.before, spilled);
  if (!planned.positive) {
    // No words: the docs table, newest first, with every filter as a condition (the place and type
    // indexes end in the rowid, so one place is a backwards index walk).
    const conditions = filterSql(gen, filters);
    if (planned.negative) {
      const t = tablesOf(gen);
      conditions.where.push(`d.rowid NOT IN (SELECT rowid FROM ${t.fts} WHERE ${t.fts} MATCH ?)`);
      conditions.params.push(inText(planned.negative));
    }
    return { match: null, low: bounds.low, high: bounds.high, join: true, ...conditions };
  }
  const parts: string[] = [];
  if (planned.positive) parts.push(inText(planned.negative ? `(${planned.positive}) NOT (${planned.negative})` : planned.positive));
  // Places are selective (one of dozens), so their tag words make FTS5 skip most of a common word's
  // documents. A type is a third of the index: intersecting with its doclist costs more than checking
  // each match's docs row, so types are a docs condition.
  if (filters.places?.length) parts.push(`{tags}: (${filters.places.map((place) => quote(placeTag(place))).join(" OR ")})`);
  const docsConditions = (filters.from?.length ?? 0) > 0 || (filters.subject?.length ?? 0) > 0 || (filters.types?.length ?? 0) > 0;
  const conditions = filterSql(gen, filters, { keys: true, dates: !bounds.exact, types: true });
  return { match: parts.join(" AND "), low: bounds.low, high: bounds.high, join: docsConditions || !bounds.exact, ...conditions };
}

/**
 * Rowid bounds for a date filter. A date at or past d always has a rowid at or past rowidBase(d);
 * the converse (so the bounds alone are the filter: `exact`) holds unless rowids spilled into a
 * later millisecond or a date lies beyond the clamped range.
 */
function rowidBounds(afterMs: number | undefined, beforeMs: number | undefined, spilled: boolean): { low: number | null; high: number | null; exact: boolean } {
  const after = afterMs !== undefined && Number.isFinite(afterMs) ? Math.ceil(afterMs) : null;
  const before = beforeMs !== undefined && Number.isFinite(beforeMs) ? Math.ceil(beforeMs) : null;
  const exact = !spilled && (after === null || Math.abs(after) < MAX_RANK_MS) && (before === null || Math.abs(before) < MAX_RANK_MS);
  return { low: after === null ? null : rowidBase(after), high: before === null || !exact ? null : rowidBase(before), exact };
}

type WalkOptions = { extra?: string; select?: string; low?: number | null; high?: number | null; limit?: number; offset?: number };

/** SQL and parameters of a newest-first walk (`extra` is ANDed to the MATCH expression). */
function walkSql(gen: number, walk: Walk, options: WalkOptions = {}): { sql: string; params: unknown[] } {
  const t = tablesOf(gen);
  const where: string[] = [];
  const params: unknown[] = [];
  const match = [options.extra, walk.match].filter(Boolean).join(" AND ");
  const low = Math.max(walk.low ?? -Infinity, options.low ?? -Infinity);
  const high = Math.min(walk.high ?? Infinity, options.high ?? Infinity);
  let from: string;
  let rowid: string;
  if (match) {
    rowid = `${t.fts}.rowid`;
    from = walk.join || options.select ? `${t.fts} CROSS JOIN ${t.docs} d ON d.rowid = ${t.fts}.rowid` : t.fts;
    where.push(`${t.fts} MATCH ?`);
    params.push(match);
  } else {
    rowid = "d.rowid";
    from = `${t.docs} d`;
  }
  if (low > -Infinity) {
    where.push(`${rowid} >= ?`);
    params.push(low);
  }
  if (high < Infinity) {
    where.push(`${rowid} < ?`);
    params.push(high);
  }
  if (walk.join || !match) {
    where.push(...walk.where);
    params.push(...walk.params);
  }
  const select = options.select ? `${rowid}, ${options.select}` : rowid;
  let sql = `SELECT ${select} FROM ${from}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY ${rowid} DESC`;
  if (options.limit !== undefined) {
    sql += " LIMIT ? OFFSET ?";
    params.push(options.limit, options.offset ?? 0);
  }
  return { sql, params };
}

/** Total and facets over the newest COUNT_LIMIT matches. */
function countAndFacets(store: Store, gen: number, walk: Walk, facets: boolean): Pick<Found, "total" | "facets" | "totalCapped"> {
  const t = tablesOf(gen);
  const newest = walkSql(gen, walk, { limit: COUNT_LIMIT + 1 });
  const total = store.prepare(`SELECT count(*) FROM (${newest.sql})`).pluck().get(...newest.params) as number;
  const totalCapped = total > COUNT_LIMIT;
  if (!facets) return { total: Math.min(total, COUNT_LIMIT), facets: null, totalCapped };
  const counted = walkSql(gen, walk, { limit: COUNT_LIMIT });
  const groups = store
    .prepare(`SELECT d.type AS type, d.place AS place, d.year AS year, count(*) AS n FROM (${counted.sql}) m CROSS JOIN ${t.docs} d ON d.rowid = m.rowid GROUP BY 1, 2, 3`)
    .all(...counted.params) as Array<{ type: string; place: string; year: number; n: number }>;
  return { total: Math.min(total, COUNT_LIMIT), facets: facetsOf(groups).facets, totalCapped };
}

/** Documents and words of the generation, from FTS5's own totals (the averages record). */
function corpus(store: Store, gen: number): { documents: number; averageLength: number } {
  const block = store.prepare(`SELECT block FROM ${tablesOf(gen).fts}_data WHERE id = 1`).pluck().get() as Buffer | undefined;
  if (!block || block.length === 0) return { documents: 0, averageLength: 1 };
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let i = 0; i < 9 && at < block.length; i += 1) {
      const byte = block[at++]!;
      if (i === 8) return value * 256 + byte;
      value = value * 128 + (byte & 0x7f);
      if (!(byte & 0x80)) break;
    }
    return value;
  };
  const documents = varint();
  // Title, body, author and quoted; the tags column is not text.
  let words = 0;
  for (let column = 0; column < 4; column += 1) words += varint();
  return { documents, averageLength: documents ? Math.max(1, words / documents) : 1 };
}

type Frequency = { df: number; exact: boolean; documents: number };

/** Documents matching `group`: exact below EXACT_DF, otherwise extrapolated from how far back the newest EXACT_DF reach. */
function documentFrequency(store: Store, gen: number, group: string, documents: number): Frequency {
  const key = `${gen}\u0000${group}`;
  const cached = store.frequencies.get(key);
  // Frequencies move slowly: reuse one until the index has grown or shrunk by 2%.
  if (cached && Math.abs(cached.documents - documents) <= documents * 0.02) return cached;
  const t = tablesOf(gen);
  const rowids = store.prepare(`SELECT rowid FROM ${t.fts} WHERE ${t.fts} MATCH ? ORDER BY rowid DESC LIMIT ?`).pluck().all(inText(group), EXACT_DF + 1) as number[];
  let frequency: Frequency;
  if (rowids.length <= EXACT_DF) frequency = { df: rowids.length, exact: true, documents };
  else {
    const newest = store.prepare(`SELECT max(rowid) FROM ${t.docs}`).pluck().get() as number;
    const oldest = store.prepare(`SELECT min(rowid) FROM ${t.docs}`).pluck().get() as number;
    const reach = Math.max(1, newest - rowids[EXACT_DF]!);
    const df = Math.round((EXACT_DF * (newest - oldest + 1)) / reach);
    frequency = { df: Math.max(EXACT_DF + 1, Math.min(documents, df)), exact: false, documents };
  }
  if (store.frequencies.size > 10_000) store.frequencies.clear();
  store.frequencies.set(key, frequency);
  return frequency;
}

type Candidate = { rowid: number; len: number; type: string; place: string; year: number; inTitle: boolean[] };

export function boundedSearch(store: Store, gen: number, request: SearchRequest, planned: Plan, page: Page, spilled: boolean, exact: ExactSearch): Found {
  const walk = walkOf(gen, request, planned, spilled);
  const rowidsOf = (options: WalkOptions) => {
    const { sql, params } = walkSql(gen, walk, options);
    return store.prepare(sql).pluck().all(...params) as number[];
  };

  if (!planned.positive || request.sort === "date") {
    const rowids = rowidsOf({ limit: page.limit, offset: page.offset });
    if (!page.facets && rowids.length < page.limit && (rowids.length > 0 || page.offset === 0)) {
      return { rowids, total: page.offset + rowids.length, facets: null, totalCapped: false };
    }
    return { rowids, ...countAndFacets(store, gen, walk, page.facets) };
  }

  const { documents, averageLength } = corpus(store, gen);
  const frequencies = planned.groups.map((group, index) => {
    const words = planned.phraseWords[index];
    if (!words) return documentFrequency(store, gen, group, documents);
    // Finding a phrase's documents means checking positions in every document with its words: its
    // rarest word's count stands in (and bounds the work of FTS5's own bm25() on the exact path).
    const counts = words.map((word) => documentFrequency(store, gen, quote(word), documents));
    return counts.reduce((rarest, count) => (count.df < rarest.df ? count : rarest));
  });
  if (frequencies.every((frequency) => frequency.exact)) return exact(store, gen, request, planned, page);

  const window = Math.max(CANDIDATES, page.offset + page.limit);
  const candidateOf = (row: unknown[], inTitle: boolean[]): Candidate => {
    const [rowid, len, type, place, year] = row as [number, number, string, string, number];
    return { rowid, len, type, place, year, inTitle };
  };
  const select = "d.len, d.type, d.place, d.year";
  const newest = walkSql(gen, walk, { select, limit: window + 1 });
  const candidates = (store.prepare(newest.sql).raw().all(...newest.params) as unknown[][]).map((row) => candidateOf(row, []));
  const complete = candidates.length <= window;
  if (!complete) candidates.pop();
  const oldest = candidates.length ? candidates[candidates.length - 1]!.rowid : null;
  if (oldest !== null) {
    // Which words each candidate has in its title: one walk per word over the candidates' stretch of
    // rowids, of that word alone (the candidates are what the whole query matched). A phrase counts as
    // in the title when all its words are: checking their positions would cost a phrase search.
    const t = tablesOf(gen);
    const newestCandidate = candidates[0]!.rowid;
    const inTitleSql = `SELECT rowid FROM ${t.fts} WHERE ${t.fts} MATCH ? AND rowid >= ? AND rowid <= ? ORDER BY rowid DESC`;
    planned.groups.forEach((group, index) => {
      const words = planned.phraseWords[index];
      const match = `{title}: (${words ? words.map(quote).join(" AND ") : group})`;
      const inTitle = new Set(store.prepare(inTitleSql).pluck().all(match, oldest, newestCandidate) as number[]);
      for (const candidate of candidates) candidate.inTitle[index] = inTitle.has(candidate.rowid);
    });
  }
  if (!complete && oldest !== null && planned.groups.length === 1 && !planned.phraseWords[0]) {
    const older = walkSql(gen, walk, { extra: `{title}: (${planned.groups[0]})`, select, high: oldest, limit: TITLE_CANDIDATES });
    for (const row of store.prepare(older.sql).raw().all(...older.params) as unknown[][]) {
      candidates.push(candidateOf(row, planned.groups.map(() => true)));
    }
  }

  const idf = frequencies.map(({ df }) => Math.max(1e-6, Math.log((documents - df + 0.5) / (df + 0.5))));
  const score = (candidate: Candidate) => {
    const norm = K1 * (1 - B + (B * candidate.len) / averageLength);
    let sum = 0;
    for (let i = 0; i < idf.length; i += 1) {
      const frequency = candidate.inTitle[i] ? TITLE_WEIGHT : BODY_WEIGHT;
      sum += (idf[i]! * frequency * (K1 + 1)) / (frequency + norm);
    }
    return sum;
  };
  const ranked = candidates.map((candidate) => ({ candidate, score: score(candidate) }));
  ranked.sort((a, b) => b.score - a.score || b.candidate.rowid - a.candidate.rowid);
  const rowids = ranked.slice(page.offset, page.offset + page.limit).map(({ candidate }) => candidate.rowid);

  // Count and facet the newest matches, which are the candidates (older title matches are extra).
  const counted = candidates.slice(0, complete ? candidates.length : Math.min(window, COUNT_LIMIT));
  const found = facetsOf(counted.map(({ type, place, year }) => ({ type, place, year, n: 1 })));
  return { rowids, total: counted.length, facets: page.facets ? found.facets : null, totalCapped: !complete };
}
