// Phone numbers are the detector most likely to cry wolf in developer text
// (versions, dates, IP addresses, ports, ids, timestamps, sizes), so it only
// accepts the shapes people write phone numbers in: international "+" or "00" forms,
// North American 555-123-4567 forms, national forms with a leading trunk 0,
// and 555-1234. A bare run of digits counts only after a word such as
// "phone" or "call me". Numbers inside URLs are ids, not phone numbers.
import { insideAny, isWordChar, lineBefore, urlSpans, type Candidate } from "./context";

const KEYWORD = /(?<!\p{L})(?:phone|tel|t[ée]l[ée]phone|telefon|mobile|mob|cell|fax|whatsapp|sms|handy|call me|text me|ring me)\b[^\d\n]{0,16}$/iu;
const DATE = /(?<!\d)(?:\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{4}|\d{1,2}\/\d{1,2}\/\d{2})(?!\d)/;
const BALANCED = /^[^()]*(?:\(\d{1,5}\)[^()]*)*$/;
// Dots separate version numbers and IPv4 addresses far more often than phone
// groups: only these dotted shapes are phone numbers.
const DOTTED = /^\+|^(?:1\.)?[2-9]\d{2}\.\d{3}\.\d{4}$|^0\d(?:\.\d{2}){4}$/;
// Area codes never start with 0 or 1.
const NORTH_AMERICAN = /^(?:\+?1[ .-]?)?(?:\([2-9]\d{2}\) ?|[2-9]\d{2}[ .-])\d{3}[ .-]\d{4}$/;
const TRUNK = /^(?:\(0[1-9]\d{0,3}\)|0[1-9]\d{0,3})(?:[ /.-]\d{2,8})+$/;
const LOCAL = /^\d{3}-\d{4}$/;
// Characters that, right before a number, make it part of something else:
// an identifier, #1234567, a port or line (:8080), a path, a key=value.
const BAD_BEFORE = /[#:./\\=@$%&_~^-]/;
const MAX_WORDS = 7;

export function findPhones(text: string): Candidate[] {
  const words = numericWords(text);
  const urls = urlSpans(text);
  const found: Candidate[] = [];
  let glued = false;
  for (let first = 0; first < words.length; first++) {
    // Numbers following a word glued to digits (DE89 3704 0044 …) belong to
    // that word: an account number, a hash, a version, not a phone number.
    if (first === 0 || !joined(text, words[first - 1]!, words[first]!)) glued = isWordChar(text[words[first]!.start - 1]);
    if (glued) continue;
    let last = first;
    while (last + 1 < words.length && last - first < MAX_WORDS - 1 && joined(text, words[last]!, words[last + 1]!)) last++;
    for (; last >= first; last--) {
      const candidate = { start: words[first]!.start, end: words[last]!.end };
      if (!insideAny(urls, candidate.start, candidate.end) && isPhone(text, candidate)) {
        found.push(candidate);
        first = last;
        break;
      }
    }
  }
  return found;
}

/** Runs of digits with the punctuation phone numbers use inside a group, with dangling punctuation trimmed. */
function numericWords(text: string): Candidate[] {
  const words: Candidate[] = [];
  for (const match of text.matchAll(/[+(]?\d[\d().\-/]*/g)) {
    // Longer runs are never phone numbers; skipping them first keeps trimming cheap.
    if (match[0].length > 40) continue;
    let word = match[0];
    while (/[.\-/(]$/.test(word) || (word.endsWith(")") && count(word, ")") > count(word, "("))) word = word.slice(0, -1);
    let start = match.index;
    if (word.startsWith("(") && !word.includes(")")) {
      word = word.slice(1);
      start++;
    }
    words.push({ start, end: start + word.length });
  }
  return words;
}

function isPhone(text: string, { start, end }: Candidate): boolean {
  const printed = text.slice(start, end);
  // "00" dials out like "+", but zero-padded ids start with it too: require a separator.
  const international = printed.startsWith("+") || /^00[1-9]\d{0,3}[ .-]/.test(printed);
  const digits = printed.replace(/\D/g, "").length - (printed.startsWith("00") ? 2 : 0);
  if (digits < 7 || digits > 15 || !BALANCED.test(printed) || DATE.test(printed)) return false;
  if (printed.includes(".") && !DOTTED.test(printed)) return false;
  const keyword = KEYWORD.test(lineBefore(text, start, 40));
  const before = text[start - 1];
  if (isWordChar(before) || (before !== undefined && BAD_BEFORE.test(before) && !(before === ":" && keyword))) return false;
  const after = text[end];
  if (isWordChar(after) || after === "@" || after === "%" || (after === ":" && /\d/.test(text[end + 1] ?? ""))) return false;
  if (international) return digits >= 8;
  if (keyword) return true;
  return NORTH_AMERICAN.test(printed) || LOCAL.test(printed) || (TRUNK.test(printed) && digits >= 9 && digits <= 12);
}

/** Phone groups are separated by exactly one space. */
function joined(text: string, left: Candidate, right: Candidate): boolean {
  return right.start === left.end + 1 && /[ \u00a0]/.test(text[left.end]!);
}

function count(text: string, ch: string): number {
  return text.split(ch).length - 1;
}
