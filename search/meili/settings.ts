// Index settings, applied by init() and to every rebuild index.
// https://www.meilisearch.com/docs/reference/api/settings
import type { Settings } from "meilisearch";

/** Negative search (`-word`, `-"a phrase"`) arrived in Meilisearch 1.8. */
export const MIN_MEILI_VERSION: readonly [number, number] = [1, 8];

/** Hits a query can reach, and the ceiling of the reported total. */
export const MAX_TOTAL_HITS = 10_000;

/**
 * Settings we set explicitly, so an index never depends on server defaults.
 * Only settings available since MIN_MEILI_VERSION appear here.
 */
export const MEILI_SETTINGS: Settings = {
  // Order is weight: a match in the title ranks above one in the body, and so on.
  searchableAttributes: ["title", "body", "author", "quoted"],
  filterableAttributes: ["type", "place", "fromKeys", "titleKeys", "date", "year"],
  sortableAttributes: ["date"],
  // "sort" comes first so that `sort: ["date:desc"]` (newest first) wins over
  // relevance; without a sort parameter that rule does nothing. The final
  // "date:desc" breaks relevance ties by recency, and orders an empty query
  // (filters only) newest first, since the text rules have nothing to rank.
  rankingRules: ["sort", "words", "typo", "proximity", "attribute", "exactness", "date:desc"],
  typoTolerance: {
    enabled: true,
    minWordSizeForTypos: { oneTypo: 5, twoTypos: 9 },
    disableOnWords: [],
    disableOnAttributes: [],
  },
  // Totals are counted up to this many hits (Meilisearch's default is 1,000);
  // larger values make broad queries slower.
  pagination: { maxTotalHits: MAX_TOTAL_HITS },
  // Enough for every board, list and room a portal is likely to have.
  faceting: { maxValuesPerFacet: 1_000 },
  stopWords: [],
  distinctAttribute: null,
};

/**
 * The settings for a server of this version. From 1.15 numbers are matched
 * exactly, as in the embedded engine (a search for 2024 must not find 2025);
 * older servers reject the field and still correct numbers.
 */
export function settingsFor(pkgVersion: string): Settings {
  if (!versionAtLeast(pkgVersion, [1, 15])) return MEILI_SETTINGS;
  return { ...MEILI_SETTINGS, typoTolerance: { ...MEILI_SETTINGS.typoTolerance, disableOnNumbers: true } };
}

/** Lists whose order means something; Meilisearch may return the others sorted. */
const ORDERED_LISTS = new Set(["searchableAttributes", "rankingRules"]);

/**
 * True when every setting in `wanted` already has that value in `current`.
 * Objects are compared on the keys `wanted` names (the server adds others);
 * lists must hold the same items, in the same order where order matters.
 */
export function settingsMatch(current: unknown, wanted: unknown, key = ""): boolean {
  if (Array.isArray(wanted)) {
    if (!Array.isArray(current) || current.length !== wanted.length) return false;
    if (ORDERED_LISTS.has(key)) return wanted.every((item, i) => settingsMatch(current[i], item));
    const sortedCurrent = current.map((item) => JSON.stringify(item)).sort();
    return wanted.map((item) => JSON.stringify(item)).sort().every((item, i) => item === sortedCurrent[i]);
  }
  if (wanted !== null && typeof wanted === "object") {
    if (current === null || typeof current !== "object" || Array.isArray(current)) return false;
    return Object.entries(wanted).every(([name, value]) => settingsMatch((current as Record<string, unknown>)[name], value, name));
  }
  return Object.is(current, wanted);
}

/** "1.12.3" → [1, 12]; unparseable versions count as too old. */
export function versionAtLeast(pkgVersion: string, minimum: readonly [number, number] = MIN_MEILI_VERSION): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(pkgVersion);
  if (!match) return false;
  const major = Number(match[1]);
  const minor = Number(match[2]);
  return major > minimum[0] || (major === minimum[0] && minor >= minimum[1]);
}
