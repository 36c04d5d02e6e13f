// Meilisearch hits → SearchHit. Meilisearch copies stored text into _formatted
// with our markers around matches and escapes nothing, so the HTML is built
// here by markedToHtml: a "<script>" in a message comes out as text.
// https://www.meilisearch.com/docs/capabilities/full_text_search/how_to/highlight_search_results
import { MARK_CLOSE, MARK_OPEN, markedToHtml, stripMarkers } from "../highlight";
import type { SearchHit } from "../types";
import { fromMeiliDocument } from "./documents";

/** Words in a snippet, as in the embedded engine. */
export const SNIPPET_WORDS = 30;
export const CROP_MARKER = "…";

const collapse = (text: string) => text.replace(/\s+/g, " ").trim();

const WORD_AFTER_CLOSE = new RegExp(`${MARK_CLOSE}([\\p{L}\\p{N}\\p{M}]+)`, "gu");
const WORD_BEFORE_OPEN = new RegExp(`([\\p{L}\\p{N}\\p{M}]+)${MARK_OPEN}`, "gu");

/**
 * Meilisearch marks only the typed part of a prefix match ("<homem>ade");
 * the embedded engine marks whole words, so the markers are moved out to the
 * word's edges.
 */
export function widenMarks(marked: string): string {
  return marked.replace(WORD_AFTER_CLOSE, `$1${MARK_CLOSE}`).replace(WORD_BEFORE_OPEN, `${MARK_OPEN}$1`);
}

function formattedText(formatted: Record<string, unknown> | undefined, key: string): string | undefined {
  const value = formatted?.[key];
  return typeof value === "string" ? value : undefined;
}

const WORDY = /[\p{L}\p{N}]/u;
const EDGE_CHARS = 40;

/**
 * Meilisearch's crop can stop at a separator near either end of the text
 * ("<img …" comes back as "…img …") and marks the cut. When only separators
 * were cut off, they are put back in place of the marker.
 */
export function restoreCropEdges(cropped: string, original: string): string {
  let text = cropped;
  if (text.startsWith(CROP_MARKER)) {
    const head = stripMarkers(text.slice(CROP_MARKER.length)).slice(0, EDGE_CHARS).replace(/…$/, "");
    const at = head ? original.indexOf(head) : -1;
    if (at > 0 && !WORDY.test(original.slice(0, at))) text = original.slice(0, at) + text.slice(CROP_MARKER.length);
  }
  if (text.endsWith(CROP_MARKER) && !original.endsWith(CROP_MARKER)) {
    const tail = stripMarkers(text.slice(0, -CROP_MARKER.length)).slice(-EDGE_CHARS);
    const at = tail ? original.lastIndexOf(tail) : -1;
    const rest = at >= 0 ? original.slice(at + tail.length) : "";
    if (rest && !WORDY.test(rest)) text = text.slice(0, -CROP_MARKER.length) + rest;
  }
  return text;
}

/** The first words of plain text, for a hit that came back without _formatted. */
function plainCrop(text: string): string {
  const words = text.split(/\s+/).filter(Boolean);
  return words.length > SNIPPET_WORDS ? `${words.slice(0, SNIPPET_WORDS).join(" ")}${CROP_MARKER}` : words.join(" ");
}

/**
 * Like the embedded engine: the cropped body around its first match; the
 * cropped quoted text when only that matched, or when the body is empty;
 * otherwise the start of the body.
 */
export function toSearchHit(hit: Record<string, unknown>): SearchHit {
  const document = fromMeiliDocument(hit);
  const formatted = hit._formatted as Record<string, unknown> | undefined;
  const title = formattedText(formatted, "title") ?? document.title;
  const cropped = (key: "body" | "quoted") => {
    const text = formattedText(formatted, key);
    return text === undefined ? plainCrop(document[key]) : restoreCropEdges(text, document[key]);
  };
  const body = cropped("body");
  const quoted = cropped("quoted");
  const bodyMatched = body.includes(MARK_OPEN);
  const useQuoted = !bodyMatched && quoted.trim() !== "" && (quoted.includes(MARK_OPEN) || document.body.trim() === "");
  return {
    document,
    titleHtml: markedToHtml(widenMarks(collapse(title))),
    snippetHtml: markedToHtml(widenMarks(collapse(useQuoted ? quoted : body))),
  };
}
