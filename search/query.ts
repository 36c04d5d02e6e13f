// The search box's query language, and the one word splitter that both the
// indexing side and the query side use, so a word is cut and folded the same
// way wherever it appears.
//
//   free words            every word must match (title, body, quoted text, author)
//   "exact phrase"        the words in this order
//   -word  -"a phrase"    must not match
//   from:alice            author key: username, a word of the name, an address or its domain
//   list:magick board:general room:lobby
//   in:forums in:lists in:chat   (several in: mean any of them)
//   subject:word  subject:"two words"   every word must be a word of the title
//   after:2024-03  before:2024  during:2024-03-15   (UTC; after is inclusive, before exclusive)
//
// Unknown prefixes ("foo:bar", "http://x") are plain text. A bad date is
// reported in `problems` (shown to the reader) and otherwise ignored, so a
// typo never turns into an error page.
import type { SearchDocType, SearchFilters, SearchRequest } from "./types";

/** Words longer than this are not words (base64, hashes glued together) and are neither indexed nor searched. */
export const MAX_WORD_LENGTH = 64;

// Letters that Unicode does not decompose into a base letter plus a mark.
const FOLDS: Record<string, string> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", đ: "d", ð: "d", ł: "l", þ: "th", ı: "i", ħ: "h" };
const FOLD_PATTERN = new RegExp(`[${Object.keys(FOLDS).join("")}]`, "g");
// A Latin, Greek or Cyrillic letter followed by its combining marks (after NFKD).
const MARKED_LETTER = /([\p{Script=Latin}\p{Script=Greek}\p{Script=Cyrillic}])\p{M}+/gu;
const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/u;
const NON_ASCII = /[^\x00-\x7f]/;
const ASCII_SEPARATORS = /[^a-z0-9]+/;

/**
 * Lower case without diacritics ("Élan Größe" → "elan grosse"). Only Latin,
 * Greek and Cyrillic combining marks are removed, so scripts whose marks are
 * part of the letter (Devanagari, Thai) keep them.
 */
export function foldText(text: string): string {
  return text.toLowerCase().normalize("NFKD").replace(MARKED_LETTER, "$1").replace(FOLD_PATTERN, (ch) => FOLDS[ch]!).normalize("NFC");
}

/** The words of a text as the index stores them: folded, split on anything that is not a letter, a digit or a mark. */
export function tokenizeWords(text: string): string[] {
  if (!text) return [];
  // Most text is ASCII, where folding is lower-casing and words are runs of [a-z0-9]: the same
  // result as below, several times faster (this runs over every word of every indexed document).
  if (!NON_ASCII.test(text)) return text.toLowerCase().split(ASCII_SEPARATORS).filter((word) => word.length > 0 && word.length <= MAX_WORD_LENGTH);
  return foldText(text)
    .split(SEPARATORS)
    .filter((word) => word.length > 0 && word.length <= MAX_WORD_LENGTH);
}

/** A filter key (from:, subject:) as the index compares it: folded and trimmed. */
export function normalizeKey(value: string): string {
  return foldText(value).trim();
}

/** A filter value as typed, folded, without the brackets and punctuation people paste around addresses ("<bob@x.org>,"). */
function cleanKey(value: string): string {
  return normalizeKey(value).replace(/^[\s<("'[,;]+|[\s>)"'\],;.:]+$/g, "");
}

export type ParsedSearchQuery = Pick<SearchRequest, "terms" | "phrases" | "excludeTerms" | "excludePhrases"> & { filters: SearchFilters };

export type SearchQueryParse = { request: ParsedSearchQuery; problems: string[] };

const TYPE_NAMES: Record<string, SearchDocType> = {
  forums: "post",
  forum: "post",
  posts: "post",
  post: "post",
  lists: "mail",
  list: "mail",
  mail: "mail",
  archive: "mail",
  chat: "chat",
  chats: "chat",
};
const TYPE_WORDS: Record<SearchDocType, string> = { post: "forums", mail: "lists", chat: "chat" };
const PLACE_PREFIXES = new Set(["list", "board", "room"]);
const DATE_PREFIXES = new Set(["before", "after", "during"]);
const PREFIXES = new Set(["from", "in", "subject", ...PLACE_PREFIXES, ...DATE_PREFIXES]);

type Period = { start: number; end: number };

/** "2024", "2024-03" or "2024-03-15" as a UTC period [start, end), or null. */
export function parseDatePeriod(value: string): Period | null {
  const match = /^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$/.exec(value.trim());
  if (!match) return null;
  const year = Number(match[1]);
  if (year < 1900) return null;
  if (match[2] === undefined) return { start: Date.UTC(year, 0, 1), end: Date.UTC(year + 1, 0, 1) };
  const month = Number(match[2]);
  if (month < 1 || month > 12) return null;
  if (match[3] === undefined) return { start: Date.UTC(year, month - 1, 1), end: Date.UTC(year, month, 1) };
  const day = Number(match[3]);
  const start = Date.UTC(year, month - 1, day);
  if (day < 1 || new Date(start).getUTCMonth() !== month - 1) return null;
  return { start, end: Date.UTC(year, month - 1, day + 1) };
}

type Token = { negated: boolean; prefix: string | null; value: string; quoted: boolean };

/** Splits the input into bare words, "quoted phrases", prefix:values and prefix:"quoted values", each maybe negated. */
function lex(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const readQuoted = () => {
    // i is on the opening quote; an unclosed quote runs to the end.
    const close = input.indexOf('"', i + 1);
    const value = input.slice(i + 1, close === -1 ? input.length : close);
    i = close === -1 ? input.length : close + 1;
    return value;
  };
  while (i < input.length) {
    if (/\s/.test(input[i]!)) {
      i += 1;
      continue;
    }
    let negated = false;
    if (input[i] === "-" && i + 1 < input.length && !/[\s-]/.test(input[i + 1]!)) {
      negated = true;
      i += 1;
    }
    if (input[i] === '"') {
      tokens.push({ negated, prefix: null, value: readQuoted(), quoted: true });
      continue;
    }
    const prefixMatch = /^([A-Za-z]+):/.exec(input.slice(i, i + 12));
    const prefix = prefixMatch?.[1]?.toLowerCase();
    if (prefixMatch && prefix && PREFIXES.has(prefix) && i + prefixMatch[0].length < input.length && !/\s/.test(input[i + prefixMatch[0].length]!)) {
      i += prefixMatch[0].length;
      if (input[i] === '"') {
        tokens.push({ negated, prefix, value: readQuoted(), quoted: true });
        continue;
      }
      const start = i;
      while (i < input.length && !/\s/.test(input[i]!)) i += 1;
      tokens.push({ negated, prefix, value: input.slice(start, i), quoted: false });
      continue;
    }
    const start = i;
    while (i < input.length && !/\s/.test(input[i]!)) i += 1;
    tokens.push({ negated, prefix: null, value: input.slice(start, i), quoted: false });
  }
  return tokens;
}

const pushUnique = <T>(list: T[], value: T) => {
  if (!list.includes(value)) list.push(value);
};
const samePhrase = (a: string[], b: string[]) => a.length === b.length && a.every((word, index) => word === b[index]);
const pushPhrase = (list: string[][], phrase: string[]) => {
  if (!list.some((existing) => samePhrase(existing, phrase))) list.push(phrase);
};

/**
 * Parses what a reader typed into the search box. Words are folded the way
 * the index folds them; a bare token that splits into several words
 * ("e-mail", "foo:bar", a URL) is searched as a phrase, so it matches the
 * text it came from rather than its words anywhere.
 */
export function parseSearchQuery(input: string): SearchQueryParse {
  const request: ParsedSearchQuery = { terms: [], phrases: [], excludeTerms: [], excludePhrases: [], filters: {} };
  const problems: string[] = [];
  const filters = request.filters;

  const addText = (text: string, quoted: boolean, negated: boolean) => {
    const words = tokenizeWords(text);
    if (words.length === 0) return;
    if (words.length === 1 && !quoted) pushUnique(negated ? request.excludeTerms : request.terms, words[0]!);
    else pushPhrase(negated ? request.excludePhrases : request.phrases, words);
  };

  for (const token of lex(input.slice(0, 2000))) {
    const { prefix, value, negated } = token;
    if (prefix === null) {
      addText(value, token.quoted, negated);
      continue;
    }
    const raw = `${negated ? "-" : ""}${prefix}:${token.quoted ? `"${value}"` : value}`;
    if (negated) {
      problems.push(`Filters cannot be negated, so "${raw}" was ignored.`);
      continue;
    }
    if (prefix === "from") {
      const key = cleanKey(value);
      if (key) pushUnique((filters.from ??= []), key);
    } else if (PLACE_PREFIXES.has(prefix)) {
      const slug = cleanKey(value);
      if (slug) pushUnique((filters.places ??= []), `${prefix}:${slug}`);
    } else if (prefix === "in") {
      const type = TYPE_NAMES[value.toLowerCase()];
      if (type) pushUnique((filters.types ??= []), type);
      else problems.push(`"${raw}" was ignored: in: takes forums, lists or chat.`);
    } else if (prefix === "subject") {
      const words = tokenizeWords(value);
      for (const word of words) pushUnique((filters.subject ??= []), word);
    } else {
      const period = parseDatePeriod(value);
      if (!period) {
        problems.push(`"${raw}" was ignored: "${value}" is not a date. Write a year (2024), a month (2024-03) or a day (2024-03-15).`);
        continue;
      }
      if (prefix === "after" || prefix === "during") filters.after = Math.max(filters.after ?? -Infinity, period.start);
      if (prefix === "before") filters.before = Math.min(filters.before ?? Infinity, period.start);
      if (prefix === "during") filters.before = Math.min(filters.before ?? Infinity, period.end);
    }
  }
  if (filters.after !== undefined && filters.before !== undefined && filters.after >= filters.before) {
    problems.push("No date can match these date filters: the start is not before the end.");
  }
  return { request, problems };
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The shortest date that starts at `ms` (a year, a month or a day), or null when `ms` is not the start of a UTC day. */
function formatDateStart(ms: number): string | null {
  const date = new Date(ms);
  if (!Number.isFinite(ms) || ms % 86_400_000 !== 0) return null;
  const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  if (m === 1 && d === 1) return String(y);
  if (d === 1) return `${y}-${pad(m)}`;
  return `${y}-${pad(m)}-${pad(d)}`;
}

function formatDuring(after: number, before: number): string | null {
  const date = new Date(after);
  const [y, m, d] = [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  const candidates = [`${y}-${pad(m)}-${pad(d)}`, `${y}-${pad(m)}`, String(y)];
  return candidates.find((text) => {
    const period = parseDatePeriod(text);
    return period && period.start === after && period.end === before;
  }) ?? null;
}

/** A filter value as the query language writes it: quoted when it holds spaces or quotes. */
function formatValue(value: string): string {
  return /^[^\s"]+$/.test(value) ? value : `"${value.replaceAll('"', "")}"`;
}

const formatPhrase = (words: string[]) => `"${words.join(" ")}"`;

/**
 * The canonical query string for a parsed query: what a facet link or a
 * "did you mean" link puts in ?q=. parseSearchQuery(formatSearchQuery(q))
 * gives q back.
 */
export function formatSearchQuery(query: Partial<ParsedSearchQuery>): string {
  const parts: string[] = [];
  const filters = query.filters ?? {};
  parts.push(...(query.terms ?? []));
  parts.push(...(query.phrases ?? []).map(formatPhrase));
  parts.push(...(query.excludeTerms ?? []).map((term) => `-${term}`));
  parts.push(...(query.excludePhrases ?? []).map((words) => `-${formatPhrase(words)}`));
  for (const place of filters.places ?? []) {
    const colon = place.indexOf(":");
    const kind = place.slice(0, colon);
    if (colon > 0 && PLACE_PREFIXES.has(kind)) parts.push(`${kind}:${formatValue(place.slice(colon + 1))}`);
  }
  for (const type of filters.types ?? []) parts.push(`in:${TYPE_WORDS[type]}`);
  for (const key of filters.from ?? []) parts.push(`from:${formatValue(key)}`);
  for (const word of filters.subject ?? []) parts.push(`subject:${formatValue(word)}`);
  const { after, before } = filters;
  const during = after !== undefined && before !== undefined ? formatDuring(after, before) : null;
  if (during) parts.push(`during:${during}`);
  else {
    const afterText = after !== undefined ? formatDateStart(after) : null;
    const beforeText = before !== undefined ? formatDateStart(before) : null;
    if (afterText) parts.push(`after:${afterText}`);
    if (beforeText) parts.push(`before:${beforeText}`);
  }
  return parts.join(" ");
}

/** True when the query asks for nothing: no words, no phrases and no filters. */
export function isEmptySearchQuery(query: ParsedSearchQuery): boolean {
  const f = query.filters;
  return (
    query.terms.length + query.phrases.length + query.excludeTerms.length + query.excludePhrases.length === 0 &&
    !f.types?.length && !f.places?.length && !f.from?.length && !f.subject?.length && f.after === undefined && f.before === undefined
  );
}
