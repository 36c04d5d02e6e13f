// Payment card numbers: 13–19 digits, an issuer prefix some network really
// uses, and a valid Luhn check digit. Groups must look printed (4-4-4-4,
// 4-6-5, …). Luhn alone passes one random number in ten, so the prefix is
// what keeps "2023 2024 2025 2026" from being a card.
import { isWordChar, type Candidate } from "./context";

// Visa 4; Mastercard 51–55 and 2221–2720; Maestro 50, 56–58, 6x; Amex 34, 37;
// Diners 30, 36, 38, 39; JCB 35; Discover, UnionPay, RuPay 6x.
const ISSUER = /^(?:4|5[0-8]|6|3[0456789]|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720))/;
const GROUPING = /^(?:\d{13,19}|\d{4}(?:[ -]\d{4}){2,3}(?:[ -]\d{1,4})?|\d{4}[ -]\d{6}[ -]\d{4,5})$/;

export function findCards(text: string): Candidate[] {
  const found: Candidate[] = [];
  // Runs of digit groups joined by one space or dash.
  for (const run of text.matchAll(/\d+(?:[ -]\d+)*/g)) {
    // Digits glued to a word (DE89 3704…, build-2024 …) belong to that word.
    if (isWordChar(text[run.index - 1])) continue;
    const groups = [...run[0].matchAll(/\d+/g)].map((g) => ({ start: run.index + g.index, end: run.index + g.index + g[0].length }));
    // A card may share its run with an expiry or amount ("… 1111 12 25"), so
    // try windows of whole groups, longest first; a card prints in at most five.
    for (let first = 0; first < groups.length; first++) {
      for (let last = Math.min(groups.length - 1, first + 4); last >= first; last--) {
        const start = groups[first]!.start;
        const end = groups[last]!.end;
        if (/[.,]\d/.test(text.slice(end, end + 2)) || isWordChar(text[end])) continue;
        const printed = text.slice(start, end);
        const digits = printed.replace(/\D/g, "");
        if (!GROUPING.test(printed) || digits.length < 13 || digits.length > 19 || !ISSUER.test(digits) || !luhnValid(digits)) continue;
        found.push({ start, end });
        first = last;
        break;
      }
    }
  }
  return found;
}

/** The Luhn (mod 10) check every card number carries in its last digit. */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return digits.length > 0 && sum % 10 === 0;
}
