// Engines mark matches with two private-use characters instead of HTML tags,
// so the text can be escaped first and the markers turned into <mark> after:
// neither FTS5's highlight() nor Meilisearch's _formatted escapes anything,
// and both see text that came from members and from mail.

export const MARK_OPEN = "\uE000";
export const MARK_CLOSE = "\uE001";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** Removes the marker characters (from text that should carry none). */
export function stripMarkers(text: string): string {
  return text.replace(/[\uE000\uE001]/g, "");
}

/**
 * Escapes `marked` for HTML and turns marker pairs into <mark>…</mark>.
 * Unbalanced markers are dropped, so the result is always well formed.
 */
export function markedToHtml(marked: string): string {
  let html = "";
  let open = false;
  for (const ch of marked) {
    if (ch === MARK_OPEN) {
      if (!open) html += "<mark>";
      open = true;
    } else if (ch === MARK_CLOSE) {
      if (open) html += "</mark>";
      open = false;
    } else {
      html += ESCAPES[ch] ?? ch;
    }
  }
  return open ? `${html}</mark>` : html;
}

/** Plain text escaped for HTML (a title with no match, say). */
export function escapeHtml(text: string): string {
  return markedToHtml(stripMarkers(text));
}
