// Marks the words that matched in a hit's title and in a short window of its
// body. Matching is done here rather than with FTS5's highlight(): the index
// holds folded words only, and the same word splitter (tokenizeWords) tells
// which words of the original text matched, including typo corrections and
// prefixes. Output goes through markedToHtml, so it is always escaped.
import { MARK_CLOSE, MARK_OPEN, markedToHtml, stripMarkers } from "../highlight";
import { MAX_WORD_LENGTH, tokenizeWords } from "../query";

export type MatchedWords = {
  /** Folded words that matched exactly (terms, their corrections, phrase words). */
  exact: Set<string>;
  /** Folded prefixes (the last term while typing). */
  prefixes: string[];
};

export const SNIPPET_WORDS = 30;
/** Words shown before the first match, so the match has some context. */
const LEAD_WORDS = 8;
/** How far into a long body to look for the first match before settling for its start. */
const SCAN_CHARS = 50_000;
const RUN = /[\p{L}\p{N}\p{M}]+/gu;

const ASCII_RUN = /^[A-Za-z0-9]+$/;

function matches(run: string, words: MatchedWords): boolean {
  // A run of ASCII letters and digits is one word, lower-cased (tokenizeWords' own fast path, without the array).
  if (ASCII_RUN.test(run)) {
    if (run.length > MAX_WORD_LENGTH) return false;
    const word = run.toLowerCase();
    if (words.exact.has(word)) return true;
    for (const prefix of words.prefixes) if (word.startsWith(prefix)) return true;
    return false;
  }
  for (const word of tokenizeWords(run)) {
    if (words.exact.has(word)) return true;
    for (const prefix of words.prefixes) if (word.startsWith(prefix)) return true;
  }
  return false;
}

type Run = { start: number; end: number; matched: boolean };

/** Word runs of `text` (up to `limit` runs past the first match), and the index of the first matched one. */
function scan(text: string, words: MatchedWords): { runs: Run[]; first: number } {
  const runs: Run[] = [];
  let first = -1;
  RUN.lastIndex = 0;
  for (let m = RUN.exec(text); m; m = RUN.exec(text)) {
    const matched = matches(m[0], words);
    runs.push({ start: m.index, end: m.index + m[0].length, matched });
    if (matched && first === -1) first = runs.length - 1;
    if (first !== -1 && runs.length >= first + SNIPPET_WORDS) break;
    if (first === -1 && m.index > SCAN_CHARS) break;
  }
  return { runs, first };
}

/** `text[from, to)` with matched runs wrapped in markers and whitespace collapsed. */
function markRange(text: string, runs: Run[], from: number, to: number): string {
  let out = "";
  // Keep punctuation stuck to the first and last words ("(see", "done.").
  let cursor = from === 0 ? 0 : runs[from]!.start;
  while (cursor > 0 && !/[\s\p{L}\p{N}\p{M}]/u.test(text[cursor - 1]!)) cursor -= 1;
  for (let i = from; i < to; i += 1) {
    const run = runs[i]!;
    out += text.slice(cursor, run.start);
    const word = text.slice(run.start, run.end);
    out += run.matched ? `${MARK_OPEN}${word}${MARK_CLOSE}` : word;
    cursor = run.end;
  }
  out += /^[^\s\p{L}\p{N}\p{M}]*/u.exec(text.slice(cursor, cursor + 20))![0];
  return out.replace(/\s+/g, " ");
}

/** The whole title, matched words marked, as HTML. */
export function titleHtml(title: string, words: MatchedWords): string {
  const text = stripMarkers(title);
  RUN.lastIndex = 0;
  const marked = text.replace(RUN, (run) => (matches(run, words) ? `${MARK_OPEN}${run}${MARK_CLOSE}` : run));
  return markedToHtml(marked.replace(/\s+/g, " ").trim());
}

function windowOf(text: string, runs: Run[], first: number): string {
  const center = Math.max(0, first);
  let start = Math.max(0, center - LEAD_WORDS);
  // Collect enough runs to fill the window (scan stops early).
  if (runs.length < start + SNIPPET_WORDS) {
    RUN.lastIndex = runs.length ? runs[runs.length - 1]!.end : 0;
    for (let m = RUN.exec(text); m && runs.length < start + SNIPPET_WORDS; m = RUN.exec(text)) {
      runs.push({ start: m.index, end: m.index + m[0].length, matched: false });
    }
  }
  const end = Math.min(runs.length, start + SNIPPET_WORDS);
  start = Math.max(0, Math.min(start, end - SNIPPET_WORDS));
  if (end === 0) return text.replace(/\s+/g, " ").trim().slice(0, 200);
  let marked = markRange(text, runs, start, end).trim();
  if (start > 0) marked = `…${marked}`;
  RUN.lastIndex = runs[end - 1]!.end;
  if (RUN.exec(text)) marked = `${marked}…`;
  return marked;
}

/**
 * About SNIPPET_WORDS words of the body around its first match; the quoted
 * text when only that matched; the start of the body otherwise.
 */
export function snippetHtml(body: string, quoted: string, words: MatchedWords): string {
  const bodyText = stripMarkers(body);
  const bodyScan = scan(bodyText, words);
  if (bodyScan.first !== -1) return markedToHtml(windowOf(bodyText, bodyScan.runs, bodyScan.first));
  if (quoted) {
    const quotedText = stripMarkers(quoted);
    const quotedScan = scan(quotedText, words);
    if (quotedScan.first !== -1) return markedToHtml(windowOf(quotedText, quotedScan.runs, quotedScan.first));
    if (!bodyText.trim()) return markedToHtml(windowOf(quotedText, quotedScan.runs.slice(0, SNIPPET_WORDS), 0));
  }
  return markedToHtml(windowOf(bodyText, bodyScan.runs.slice(0, SNIPPET_WORDS), 0));
}
