// Small helpers the detectors share. Everything works on UTF-16 offsets, the
// same ones String.prototype.slice and a textarea's selection use.

export type Candidate = { start: number; end: number };

/** True when the character is part of a word or an identifier (user_123, x86, v2). */
export function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
}

/** The characters just before `start` on the same line, for keyword checks. */
export function lineBefore(text: string, start: number, length: number): string {
  const from = Math.max(0, start - length);
  const slice = text.slice(from, start);
  const newline = slice.lastIndexOf("\n");
  return newline === -1 ? slice : slice.slice(newline + 1);
}

/** Spans of URLs (scheme or www.), so numbers in paths and queries can be ignored. */
export function urlSpans(text: string): Candidate[] {
  const spans: Candidate[] = [];
  for (const match of text.matchAll(/\b(?:[a-z][a-z0-9+.-]{1,15}:\/\/|www\.)[^\s<>"'`]+/gi)) {
    spans.push({ start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

/** Whether [start, end) lies within one of the sorted, disjoint spans (binary search: texts can hold thousands). */
export function insideAny(spans: Candidate[], start: number, end: number): boolean {
  let low = 0;
  let high = spans.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    const span = spans[middle]!;
    if (span.end <= start) low = middle + 1;
    else if (span.start > start) high = middle - 1;
    else return end <= span.end;
  }
  return false;
}
