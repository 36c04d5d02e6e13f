// Cheap pre-checks that run before mailparser sees a message, so a hostile
// message (100 000 MIME parts, megabytes of headers) is refused in one linear
// pass instead of being expanded into objects first.

const BOUNDARY_PARAM = /boundary\s*=\s*(?:"([^"\r\n]{1,200})"|([^\s;"]{1,200}))/gi;

/**
 * Upper estimate of the number of MIME parts: one for the root plus one per
 * delimiter line of every boundary declared anywhere in the message. Returns
 * as soon as the count exceeds `stopAbove`.
 */
export function countMimeParts(raw: Buffer, stopAbove: number): number {
  const text = raw.toString("latin1");
  const boundaries = new Set<string>();
  for (const m of text.matchAll(BOUNDARY_PARAM)) {
    boundaries.add(m[1] ?? m[2] ?? "");
    // Each multipart declares its own boundary, so this is already a count.
    if (boundaries.size > stopAbove) return boundaries.size + 1;
  }
  let parts = 1;
  for (const boundary of boundaries) {
    if (boundary === "") continue;
    const delimiter = `\n--${boundary}`;
    let at = text.indexOf(delimiter);
    while (at !== -1) {
      const after = at + delimiter.length;
      if (text.slice(after, after + 2) !== "--") {
        parts++;
        if (parts > stopAbove) return parts;
      }
      at = text.indexOf(delimiter, after);
    }
  }
  return parts;
}
