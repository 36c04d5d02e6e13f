// IBANs: a known country, its exact length, and the ISO 13616 mod-97 check.
// Knowing each country's length lets a trailing word ("… 00 BIC") end the
// match instead of spoiling it, and keeps random tokens like AB12CDEF… out.
import type { Candidate } from "./context";

const LENGTHS: Record<string, number> = Object.fromEntries(
  ("AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DK18 DO28 EE20 EG29 ES24 " +
    "FI18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27 JO30 KW30 KZ20 LB28 LC32 " +
    "LI21 LT20 LU20 LV21 MC27 MD24 ME22 MK19 MR27 MT31 MU30 NL18 NO15 PK24 PL28 PS29 PT25 QA29 RO24 RS22 SA24 " +
    "SC31 SE24 SI19 SK24 SM27 ST25 SV28 TL23 TN24 TR26 UA29 VA22 VG24 XK20")
    .split(" ")
    .map((entry) => [entry.slice(0, 2), Number(entry.slice(2))]),
);

export function findIbans(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(/(?<![A-Za-z0-9])([A-Z]{2})\d{2}/g)) {
    const length = LENGTHS[match[1]!];
    if (length === undefined) continue;
    const start = match.index;
    let end = start;
    let compact = "";
    // Printed IBANs are grouped by single spaces; take exactly `length` characters.
    while (end < text.length && compact.length < length) {
      const ch = text[end]!;
      if (/[A-Z0-9]/.test(ch)) compact += ch;
      else if (!(ch === " " && compact.length > 0 && /[A-Z0-9]/.test(text[end + 1] ?? ""))) break;
      end++;
    }
    if (compact.length !== length || /[A-Za-z0-9]/.test(text[end] ?? "") || !mod97Valid(compact)) continue;
    found.push({ start, end });
  }
  return found;
}

/** ISO 7064 MOD 97-10 as IBANs use it: move the first four characters to the end, letters become 10..35. */
export function mod97Valid(iban: string): boolean {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const value = Number.parseInt(ch, 36);
    remainder = (value > 9 ? remainder * 100 + value : remainder * 10 + value) % 97;
  }
  return remainder === 1;
}
