// Finds what looks like personal data in text a member is about to make
// public (the privacy promise: warn and ask before posting it). Runs in the
// browser for instant feedback and on the server as the authority, so it has
// no dependencies. Code blocks are checked too: people paste real data there.
import { findAddresses } from "./pii/address";
import { findCards } from "./pii/card";
import type { Candidate } from "./pii/context";
import { findEmails } from "./pii/email";
import { findIbans } from "./pii/iban";
import { findPhones } from "./pii/phone";

export type PersonalDataKind = "email" | "phone" | "card" | "iban" | "address";

/** A finding; start and end are UTF-16 offsets into the text (end exclusive). */
export type PersonalDataMatch = { kind: PersonalDataKind; start: number; end: number; text: string };

export type PersonalDataSegment = { text: string; match?: PersonalDataMatch };

// When two findings overlap, the more specific one wins: an IBAN or a card
// number also looks like a long phone number; an e-mail can contain digits.
const DETECTORS: [PersonalDataKind, (text: string) => Candidate[]][] = [
  ["email", findEmails],
  ["iban", findIbans],
  ["card", findCards],
  ["phone", findPhones],
  ["address", findAddresses],
];

const DESCRIPTIONS: Record<PersonalDataKind, [one: string, many: string]> = {
  email: ["an email address", "email addresses"],
  phone: ["a phone number", "phone numbers"],
  card: ["a payment card number", "payment card numbers"],
  iban: ["a bank account number (IBAN)", "bank account numbers (IBANs)"],
  address: ["a street address", "street addresses"],
};

/** Every finding in the text, sorted by start, never overlapping. */
export function findPersonalData(text: string): PersonalDataMatch[] {
  // Kept sorted and disjoint, so an overlap test is one binary search.
  const accepted: PersonalDataMatch[] = [];
  for (const [kind, detect] of DETECTORS) {
    for (const { start, end } of detect(text)) {
      const index = firstEndingAfter(accepted, start);
      const next = accepted[index];
      if (next && next.start < end) continue;
      accepted.splice(index, 0, { kind, start, end, text: text.slice(start, end) });
    }
  }
  return accepted;
}

function firstEndingAfter(sorted: PersonalDataMatch[], position: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]!.end <= position) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** Splits the text into plain and matched segments, in order, for highlighting. */
export function highlightPersonalData(text: string, matches: PersonalDataMatch[]): PersonalDataSegment[] {
  const segments: PersonalDataSegment[] = [];
  let position = 0;
  for (const match of [...matches].sort((a, b) => a.start - b.start)) {
    // Tolerate stale matches (the text changed since they were found).
    if (match.start < position || match.end > text.length || match.start >= match.end) continue;
    if (match.start > position) segments.push({ text: text.slice(position, match.start) });
    segments.push({ text: text.slice(match.start, match.end), match });
    position = match.end;
  }
  if (position < text.length) segments.push({ text: text.slice(position) });
  return segments;
}

/**
 * A short phrase naming what was found, one entry per kind in a fixed order,
 * ready for "This post looks like it contains …": "an email address and
 * 2 phone numbers". Empty when nothing was found.
 */
export function describePersonalData(matches: PersonalDataMatch[]): string {
  const phrases = (Object.keys(DESCRIPTIONS) as PersonalDataKind[]).flatMap((kind) => {
    const count = matches.filter((m) => m.kind === kind).length;
    const [one, many] = DESCRIPTIONS[kind];
    return count === 0 ? [] : [count === 1 ? one : `${count} ${many}`];
  });
  return phrases.length <= 1 ? (phrases[0] ?? "") : `${phrases.slice(0, -1).join(", ")} and ${phrases.at(-1)}`;
}
