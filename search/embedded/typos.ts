// Typo tolerance for the embedded engine, with Meilisearch's rules: a query
// word the index has never seen is replaced by the index's own words within
// one edit (words of 5 to 8 letters) or two edits (9 letters or more); shorter
// words are never corrected. An edit is an insertion, a deletion, a
// substitution or a swap of two neighbouring letters (optimal string alignment).
//
// The vocabulary is the generation's words_<gen> table (letters-only words of
// 4 to 34 letters: numbers, versions and ids are matched exactly and never
// corrected). Each process keeps it in memory bucketed by length and catches
// up incrementally (rows only ever get appended, so "id > last seen" is
// enough), which makes a correction a scan of a few buckets, where a
// comparison of letter sets rules out most words before an early-exit
// distance check: a few milliseconds on 300,000 words.

export const MIN_TYPO_LENGTH = 5;
export const TWO_TYPO_LENGTH = 9;
export const VOCABULARY_MIN_LENGTH = MIN_TYPO_LENGTH - 1;
export const VOCABULARY_MAX_LENGTH = 34;
/** Corrections kept per query word, closest first: enough for real typos, bounded for the MATCH expression. */
const MAX_EXPANSIONS = 24;

const LETTERS_ONLY = /^\p{L}+$/u;

/** Whether the vocabulary (and typo correction) covers this word. */
export function isVocabularyWord(word: string): boolean {
  return word.length >= VOCABULARY_MIN_LENGTH && word.length <= VOCABULARY_MAX_LENGTH && LETTERS_ONLY.test(word);
}

/** Edits a query word of this length may have: 0, 1 or 2. */
export function allowedTypos(word: string): number {
  if (!LETTERS_ONLY.test(word)) return 0;
  const length = [...word].length;
  if (length >= TWO_TYPO_LENGTH) return 2;
  return length >= MIN_TYPO_LENGTH ? 1 : 0;
}

const rows = [new Int32Array(VOCABULARY_MAX_LENGTH + 4), new Int32Array(VOCABULARY_MAX_LENGTH + 4), new Int32Array(VOCABULARY_MAX_LENGTH + 4)];

/**
 * Optimal-string-alignment distance between a and b if it is at most `max`,
 * otherwise -1. Common prefixes and suffixes are skipped, and the scan stops
 * as soon as a whole row exceeds `max`.
 */
export function boundedDistance(a: string, b: string, max: number): number {
  let la = a.length;
  let lb = b.length;
  if (Math.abs(la - lb) > max) return -1;
  let start = 0;
  while (start < la && start < lb && a.charCodeAt(start) === b.charCodeAt(start)) start += 1;
  while (la > start && lb > start && a.charCodeAt(la - 1) === b.charCodeAt(lb - 1)) {
    la -= 1;
    lb -= 1;
  }
  const n = la - start;
  const m = lb - start;
  if (n === 0 || m === 0) return Math.max(n, m) <= max ? Math.max(n, m) : -1;
  if (m + 2 > rows[0]!.length) return -1;
  let before = rows[0]!;
  let previous = rows[1]!;
  let current = rows[2]!;
  for (let j = 0; j <= m; j += 1) previous[j] = j;
  for (let i = 1; i <= n; i += 1) {
    current[0] = i;
    let rowMin = i;
    const ca = a.charCodeAt(start + i - 1);
    for (let j = 1; j <= m; j += 1) {
      const cb = b.charCodeAt(start + j - 1);
      const cost = ca === cb ? 0 : 1;
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && ca === b.charCodeAt(start + j - 2) && a.charCodeAt(start + i - 2) === cb) {
        value = Math.min(value, before[j - 2]! + 1);
      }
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return -1;
    const recycled = before;
    before = previous;
    previous = current;
    current = recycled;
  }
  const distance = previous[m]!;
  return distance <= max ? distance : -1;
}

/** Which letters a word has, one bit per letter (folded onto 32 bits): an edit changes at most two bits. */
function letterMask(word: string): number {
  let mask = 0;
  for (let i = 0; i < word.length; i += 1) mask |= 1 << (word.charCodeAt(i) & 31);
  return mask;
}

function bitCount(value: number): number {
  let v = value - ((value >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** One generation's vocabulary as this process knows it. */
export class Vocabulary {
  /** The highest words_<gen>.id loaded so far. */
  lastId = 0;
  private readonly words = new Set<string>();
  private readonly byLength = new Map<number, string[]>();
  /** letterMask of each word of byLength, in the same order. */
  private readonly masksByLength = new Map<number, number[]>();
  private corrections = new Map<string, string[]>();

  has(word: string): boolean {
    return this.words.has(word);
  }

  get size(): number {
    return this.words.size;
  }

  /** Adds words read from the table (or just written to it). */
  add(word: string, id?: number): void {
    if (id !== undefined && id > this.lastId) this.lastId = id;
    if (this.words.has(word)) return;
    this.words.add(word);
    let bucket = this.byLength.get(word.length);
    let masks = this.masksByLength.get(word.length);
    if (!bucket || !masks) {
      this.byLength.set(word.length, (bucket = []));
      this.masksByLength.set(word.length, (masks = []));
    }
    bucket.push(word);
    masks.push(letterMask(word));
    if (this.corrections.size) this.corrections = new Map();
  }

  /** Index words within the allowed edits of `word`, closest first; empty when the word is known or too short. */
  correct(word: string): string[] {
    const max = allowedTypos(word);
    if (max === 0 || this.words.has(word)) return [];
    const cached = this.corrections.get(word);
    if (cached) return cached;
    const found: Array<{ word: string; distance: number }> = [];
    const mask = letterMask(word);
    for (let length = word.length - max; length <= word.length + max; length += 1) {
      const bucket = this.byLength.get(length) ?? [];
      const masks = this.masksByLength.get(length) ?? [];
      for (let i = 0; i < bucket.length; i += 1) {
        // Words whose letters differ by more than `max` edits could change are skipped without a distance.
        if (bitCount(mask ^ masks[i]!) > 2 * max) continue;
        const distance = boundedDistance(word, bucket[i]!, max);
        if (distance > 0) found.push({ word: bucket[i]!, distance });
      }
    }
    found.sort((x, y) => x.distance - y.distance || (x.word < y.word ? -1 : 1));
    const result = found.slice(0, MAX_EXPANSIONS).map((entry) => entry.word);
    if (this.corrections.size > 2000) this.corrections = new Map();
    this.corrections.set(word, result);
    return result;
  }
}
