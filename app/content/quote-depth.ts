// Deeply nested blockquotes are a classic way to make a Markdown parser
// recurse for a long time, and markdown-it silently drops whatever lies below
// its nesting limit. Capping the markers per line before parsing keeps the
// work bounded and the text visible: deeper levels simply flatten.

export const MAX_QUOTE_DEPTH = 20;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const TOO_DEEP = new RegExp(`^((?:[ \\t]{0,4}>){${MAX_QUOTE_DEPTH}})(?:[ \\t]{0,4}>)+`);

/** Returns the source with at most MAX_QUOTE_DEPTH leading `>` on any line outside a fenced block. */
export function capQuoteMarkers(source: string): string {
  let fence: string | undefined;
  return source
    .split("\n")
    .map((line) => {
      const marker = FENCE.exec(line)?.[1];
      if (fence === undefined) {
        if (marker !== undefined) fence = marker;
        return marker === undefined ? line.replace(TOO_DEEP, "$1") : line;
      }
      // A fence closes with the same character, at least as long, and nothing after it.
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
      return line;
    })
    .join("\n");
}
