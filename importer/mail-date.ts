// Date parsing for mail headers and mbox From_ lines.
//
// We do not use `new Date(string)`: V8 happily turns junk like "1" into
// 2001-01-01, and mailparser silently replaces an unparsable Date header with
// "now". Archives need to know when a date is missing so they can fall back to
// a better source (the From_ line, IMAP INTERNALDATE).

const MONTHS: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5,
  jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};

// Offsets in minutes. RFC 5322 names only the US zones; the European ones
// are common in 1990s list archives (e.g. "MET DST" in the ImageMagick list).
const ZONES: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, wet: 0,
  est: -300, edt: -240, cst: -360, cdt: -300,
  mst: -420, mdt: -360, pst: -480, pdt: -420,
  akst: -540, akdt: -480, hst: -600,
  bst: 60, cet: 60, met: 60, mez: 60, west: 60,
  cest: 120, mest: 120, mesz: 120, eet: 120, eest: 180,
  jst: 540, kst: 540, aest: 600, aedt: 660, nzst: 720, nzdt: 780,
};

function zoneOffset(zone: string | undefined): number {
  if (!zone) return 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3]);
    return numeric[1] === "-" ? -minutes : minutes;
  }
  // Unknown names and single-letter military zones mean "no reliable zone"
  // (RFC 5322 §4.3), which we read as UTC.
  return ZONES[zone.toLowerCase()] ?? 0;
}

function fullYear(year: string): number {
  const n = Number(year);
  if (year.length === 2) return n < 50 ? 2000 + n : 1900 + n;
  if (year.length === 3) return 1900 + n;
  return n;
}

function build(
  year: number, month: number | undefined, day: number,
  hour: number, minute: number, second: number, zone: string | undefined,
): Date | null {
  if (month === undefined || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return null;
  }
  const utc = Date.UTC(year, month, day, hour, minute, Math.min(second, 59));
  const date = new Date(utc - zoneOffset(zone) * 60_000);
  return Number.isNaN(date.getTime()) ? null : date;
}

function stripComments(value: string): string {
  let out = "";
  let depth = 0;
  for (const ch of value) {
    if (ch === "(") depth++;
    else if (ch === ")" && depth > 0) depth--;
    else if (depth === 0) out += ch;
  }
  return out;
}

const RFC5322 =
  /^\s*(?:[A-Za-z]{2,}\.?\s*,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[A-Za-z]*\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?\s*([+-]\d{2}:?\d{2}|[A-Za-z]{1,5})?/;
const ASCTIME =
  /(?:[A-Za-z]{3},?\s+)?([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s+(?:([A-Za-z]{1,5})(?:\s+DST)?\s+)?(\d{4})(?:\s+([+-]\d{4}|[A-Za-z]{1,5}))?/;
const ISO8601 =
  /^\s*(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i;

function parseAsctime(text: string): Date | null {
  const m = ASCTIME.exec(text);
  if (!m) return null;
  const [, mon = "", day = "", hh = "", mm = "", ss, zoneBefore, year = "", zoneAfter] = m;
  return build(Number(year), MONTHS[mon.toLowerCase()], Number(day),
    Number(hh), Number(mm), Number(ss ?? 0), zoneAfter ?? zoneBefore);
}

/** Parses an RFC 5322 Date header (with the usual real-world deviations); null when unusable. */
export function parseMailDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const text = stripComments(value).trim();
  const m = RFC5322.exec(text);
  if (m) {
    const [, day = "", mon = "", year = "", hh = "", mm = "", ss, zone] = m;
    return build(fullYear(year), MONTHS[mon.toLowerCase()], Number(day),
      Number(hh), Number(mm), Number(ss ?? 0), zone);
  }
  const iso = ISO8601.exec(text);
  if (iso) {
    const [, y = "", mo = "", d = "", hh = "", mm = "", ss, zone] = iso;
    return build(Number(y), Number(mo) - 1, Number(d), Number(hh), Number(mm), Number(ss ?? 0),
      zone?.toUpperCase() === "Z" ? "UTC" : zone);
  }
  // Some clients write C asctime() dates into the Date header.
  return parseAsctime(text);
}

/**
 * Date of an mbox From_ line ("From sender  Wed Feb  9 22:02 MET 2000"), or null
 * for bare separators ("From ") and lines without a recognisable date.
 */
export function parseFromLineDate(fromLine: string): Date | null {
  const tail = fromLine.replace(/^From\s+(?:\S+\s+at\s+\S+|\S+)?/, "");
  return parseAsctime(tail);
}
