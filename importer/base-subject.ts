// Subject normalisation following the "base subject" of RFC 5256 §2.1, so
// "Re: [foo-dev] Fwd: Build broken (fwd)" and "Build broken" compare equal.
//
// Beyond the RFC's "re"/"fw"/"fwd" we accept the reply and forward prefixes
// that non-English mail clients write (AW, SV, WG, TR, VS, ...), because list
// archives are full of them. "Re[2]:" is covered by the RFC grammar: a blob
// may sit between the prefix and its colon.

const PREFIX = "(?:re|fwd?|aw|sv|wg|antw|tr|vs|odp|rif)";
const BLOB = "\\[[^\\[\\]]*\\]\\s*";

// subj-leader = (*subj-blob subj-refwd) / WSP
const LEADER = new RegExp(`^(?:(?:${BLOB})*${PREFIX}\\s*(?:${BLOB})?:\\s*|\\s+)`, "i");
const LEADING_BLOB = new RegExp(`^${BLOB}`);
// subj-trailer = "(fwd)" / WSP
const TRAILER = /(?:\s+|\(fwd\))$/i;
// subj-fwd = "[fwd:" subject "]"
const FWD_WRAPPER = /^\[fwd:\s*([\s\S]*)\]$/i;

function removeRepeatedly(text: string, pattern: RegExp): string {
  let current = text;
  for (;;) {
    const next = current.replace(pattern, "");
    if (next === current) return current;
    current = next;
  }
}

/**
 * RFC 5256 base subject: list tags, reply/forward prefixes and "(fwd)"
 * trailers removed, whitespace collapsed. Case is kept; compare with
 * `subjectKey` when grouping.
 */
export function normalizeSubject(subject: string): string {
  let s = subject.normalize("NFC").replace(/\s+/g, " ");
  // Each round strips one "[fwd: ...]" wrapper; the bound only guards against
  // pathological input, real subjects need a handful of rounds at most.
  for (let round = 0; round < 50; round++) {
    s = removeRepeatedly(s, TRAILER);
    let before: string;
    do {
      before = s;
      s = removeRepeatedly(s, LEADER);
      const blob = LEADING_BLOB.exec(s);
      if (blob && blob[0].length < s.length) s = s.slice(blob[0].length);
    } while (s !== before);
    const wrapped = FWD_WRAPPER.exec(s);
    if (!wrapped) break;
    s = wrapped[1] ?? "";
  }
  return s.trim();
}

/** Case-insensitive comparison key for normalised subjects. */
export function subjectKey(normalizedSubject: string): string {
  return normalizedSubject.toLowerCase();
}
