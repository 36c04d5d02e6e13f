// Watched words: plain words matched on word boundaries, or small regular
// expressions. Shared by the /mod/watched-words form (instant checks) and the
// server, which compiles and applies them.
//
// JavaScript regular expressions backtrack, so a careless pattern can take
// seconds on a long post. Instead of a timeout we only accept patterns whose
// worst case stays small: at most PATTERN_MAX characters, no nested
// quantifiers or quantified alternations, no back-references or lookaround,
// every repetition bounded by REPEAT_MAX (`*` and `+` mean "up to
// REPEAT_MAX"), and the ranges of all repetitions multiplied together at most
// REPEAT_BUDGET: that product bounds the work per character of the post, so a
// 50,000-character post is checked in milliseconds.

export const WATCHED_ACTIONS = [
  { value: "block", label: "Block", help: "The post or message is refused, naming the word." },
  { value: "hold", label: "Hold for approval", help: "It waits in the moderation queue until a moderator approves it." },
  { value: "flag", label: "Flag", help: "It is published, and a report is filed in the moderation queue." },
] as const;
export type WatchedAction = (typeof WATCHED_ACTIONS)[number]["value"];

export const PATTERN_MAX = 100;
export const REPEAT_MAX = 30;
export const REPEAT_BUDGET = 200;

export function isWatchedAction(value: unknown): value is WatchedAction {
  return WATCHED_ACTIONS.some((a) => a.value === value);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

type Scan = { source: string } | { error: string };

/**
 * Walks a pattern once: rejects the constructs that can backtrack badly and
 * rewrites `*` and `+` into bounded repetitions.
 */
function scanPattern(pattern: string): Scan {
  let out = "";
  let budget = 1;
  // Per open group: does it hold a quantifier or an alternation?
  const groups: { risky: boolean }[] = [];
  let lastGroupRisky = false;
  let lastWasAtom = false;
  let i = 0;
  const markRisky = () => {
    for (const g of groups) g.risky = true;
  };
  while (i < pattern.length) {
    const ch = pattern[i]!;
    if (ch === "\\") {
      const next = pattern[i + 1];
      if (next === undefined) return { error: "The pattern ends with a lone backslash." };
      if (/[1-9k]/.test(next)) return { error: "Back-references are not allowed." };
      out += ch + next;
      i += 2;
      lastWasAtom = true;
      lastGroupRisky = false;
      continue;
    }
    if (ch === "[") {
      const end = findClassEnd(pattern, i);
      if (end < 0) return { error: "A character class [ is not closed." };
      out += pattern.slice(i, end + 1);
      i = end + 1;
      lastWasAtom = true;
      lastGroupRisky = false;
      continue;
    }
    if (ch === "(") {
      if (pattern[i + 1] === "?") {
        if (pattern[i + 2] !== ":") return { error: "Lookarounds and named groups are not allowed; use (?: ) or plain ( )." };
        out += "(?:";
        i += 3;
      } else {
        out += "(";
        i += 1;
      }
      groups.push({ risky: false });
      lastWasAtom = false;
      continue;
    }
    if (ch === ")") {
      const group = groups.pop();
      if (!group) return { error: "A ) has no matching (." };
      out += ")";
      i += 1;
      lastWasAtom = true;
      lastGroupRisky = group.risky;
      continue;
    }
    if (ch === "|") {
      markRisky();
      out += "|";
      i += 1;
      lastWasAtom = false;
      continue;
    }
    if (ch === "*" || ch === "+" || ch === "?" || ch === "{") {
      let min = 0;
      let max = 1;
      let length = 1;
      if (ch === "*") max = Infinity;
      else if (ch === "+") [min, max] = [1, Infinity];
      else if (ch === "{") {
        const match = /^\{(\d{1,3})(,(\d{0,3}))?\}/.exec(pattern.slice(i));
        if (!match) return { error: "Write repetitions as {n}, {m,n}." };
        min = Number(match[1]);
        max = match[2] === undefined ? min : match[3] ? Number(match[3]) : Infinity;
        length = match[0].length;
      }
      if (!lastWasAtom) return { error: "A repetition (*, +, ?, {…}) follows nothing." };
      if (lastGroupRisky) return { error: "Repeating a group that already repeats or has alternatives (like (a+)+ or (a|b)*) is not allowed." };
      if (max !== Infinity && max > REPEAT_MAX) return { error: `Repetitions go up to ${REPEAT_MAX}.` };
      if (min > REPEAT_MAX) return { error: `Repetitions go up to ${REPEAT_MAX}.` };
      budget *= Math.min(max, REPEAT_MAX) - min + 1;
      if (budget > REPEAT_BUDGET) return { error: "This pattern repeats too much to check quickly: use one * or + at most, with small {m,n} ranges beside it." };
      out += `{${min},${max === Infinity ? REPEAT_MAX : max}}`;
      i += length;
      // A lazy or possessive marker after a quantifier: lazy is harmless, keep it.
      if (pattern[i] === "?") {
        out += "?";
        i += 1;
      }
      if (pattern[i] === "*" || pattern[i] === "+" || pattern[i] === "{") return { error: "Two repetitions in a row are not allowed." };
      markRisky();
      lastWasAtom = false;
      lastGroupRisky = false;
      continue;
    }
    out += ch;
    i += 1;
    lastWasAtom = ch !== "^" && ch !== "$";
    lastGroupRisky = false;
  }
  if (groups.length) return { error: "A ( is not closed." };
  return { source: out };
}

function findClassEnd(pattern: string, start: number): number {
  let i = start + 1;
  if (pattern[i] === "^") i += 1;
  if (pattern[i] === "]") i += 1;
  for (; i < pattern.length; i++) {
    if (pattern[i] === "\\") i += 1;
    else if (pattern[i] === "]") return i;
  }
  return -1;
}

/** Why this pattern cannot be watched, or null when it can. */
export function patternProblem(pattern: string, isRegex: boolean): string | null {
  const text = pattern.trim();
  if (!text) return "Give a word or pattern.";
  if (text.length > PATTERN_MAX) return `Keep it under ${PATTERN_MAX} characters.`;
  if (!isRegex) return /[\p{L}\p{N}]/u.test(text) ? null : "A word needs at least one letter or digit.";
  const scanned = scanPattern(text);
  if ("error" in scanned) return scanned.error;
  try {
    new RegExp(scanned.source, "iu");
  } catch {
    return "This is not a valid regular expression.";
  }
  if (new RegExp(scanned.source, "iu").test("")) return "This pattern matches empty text, so it would match everything.";
  return null;
}

/**
 * The expression that finds a watched word. Plain words match whole words
 * only, case-insensitively ("spam" finds "Spam!" but not "spammer").
 */
export function compileWatched(pattern: string, isRegex: boolean): RegExp | null {
  const text = pattern.trim();
  if (!isRegex) return new RegExp(`(?<![\\p{L}\\p{N}_])${escapeRegex(text)}(?![\\p{L}\\p{N}_])`, "iu");
  const scanned = scanPattern(text);
  if ("error" in scanned) return null;
  try {
    return new RegExp(scanned.source, "iu");
  } catch {
    return null;
  }
}
