// Which lines of an mbox start a new message.
//
// A bare "From " prefix is not enough: mboxo writers leave body lines such as
// "From not mangled but this line should have been escaped" (git t5100) alone,
// and git format-patch output has separators with no blank line before them,
// so the blank-line rule cannot be relied on either. We accept a line when it
// has the shape writers actually produce:
//   From sender  Wed Feb  9 22:02 MET 2000          (classic, asctime date)
//   From jane at example.org  Thu Apr 14 11:06:56 2016   (Pipermail)
//   From jane at example.org                        (Pipermail, date lost)
//   From                                            (bare: ponymail test data)

/** Longest line we will consider as a separator; real ones are < 200 bytes. */
export const MAX_SEPARATOR_LENGTH = 1000;

const MONTH = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)";
const WEEKDAY = "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)";
const TIME = "\\d{1,2}:\\d{2}(?::\\d{2})?";
const ASCTIME_TAIL = `(?:${WEEKDAY},?\\s+)?${MONTH}\\s+\\d{1,2}\\s+${TIME}(?:\\s+\\S+)?\\s+\\d{4}`;
const RFC5322_TAIL = `(?:${WEEKDAY},?\\s+)?\\d{1,2}\\s+${MONTH}\\s+\\d{4}\\s+${TIME}`;
const SENDER = "(?:\\S+ at \\S+|\\S+)";

const DATED = new RegExp(`^From ${SENDER}\\s+(?:${ASCTIME_TAIL}|${RFC5322_TAIL})(?:\\s.*)?$`, "i");
const PIPERMAIL_UNDATED = /^From [^\s@]+ at [^\s@]+\.[^\s@]+$/;
const BARE = /^From ?$/;

/** `line` without its line ending. `atStart` is true for the first line of the input. */
export function isFromSeparator(line: string, atStart: boolean): boolean {
  if (!line.startsWith("From")) return false;
  // The first line of an mbox is a separator by definition, whatever it holds.
  if (atStart) return line.startsWith("From ") || line === "From";
  return DATED.test(line) || PIPERMAIL_UNDATED.test(line) || BARE.test(line);
}

export type MboxFormat = "mboxo" | "mboxrd" | "auto";

/**
 * How many leading bytes to drop from a body line when un-escaping: mboxrd
 * escapes ">*From " by adding one ">", mboxo only escapes "From ".
 * "auto" reads as mboxo: the two formats cannot be told apart from content,
 * they only disagree on lines with two or more ">", and mboxo is what
 * Mailman, mod_mbox and most MTAs write.
 */
export function escapePrefixLength(lineStart: string, format: MboxFormat): number {
  if (format === "mboxrd") return /^>+From /.test(lineStart) ? 1 : 0;
  return lineStart.startsWith(">From ") ? 1 : 0;
}
