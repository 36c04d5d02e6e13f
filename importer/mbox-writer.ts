// Writes messages as an mboxrd file that `npm run import -- mbox --format
// mboxrd` reads back byte for byte (for messages that end with a line break):
// From_ separator lines in the asctime shape the reader accepts, ">*From "
// body lines escaped with one more ">", one blank line after each message.
// An optional "#" preamble (ownershipPreamble() of app/archive/ownership.ts)
// may come first; the importer skips it.

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "From sender  Wed Feb  9 22:02:00 2000" (UTC), the classic separator. */
export function fromLine(sender: string | null | undefined, date: Date | null | undefined): string {
  const who = sender && /^[^\s]+$/.test(sender) ? sender : "MAILER-DAEMON";
  const d = date && !Number.isNaN(date.getTime()) ? date : new Date(0);
  const pad = (n: number) => String(n).padStart(2, "0");
  const asctime =
    `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
  return `From ${who} ${asctime}`;
}

/** mboxrd escaping: every line that starts with ">*From " gets one more ">". */
export function mboxrdEscape(raw: Buffer): Buffer {
  const text = raw.toString("latin1"); // byte-preserving
  const escaped = text.replace(/^(>*From )/gm, ">$1");
  return escaped.length === text.length ? raw : Buffer.from(escaped, "latin1");
}

/** One mbox entry: separator, escaped message, the message's own line ending if missing, a blank line. */
export function mboxEntry(raw: Buffer, sender: string | null | undefined, date: Date | null | undefined): Buffer {
  const crlf = raw.includes("\r\n");
  const eol = crlf ? "\r\n" : "\n";
  const body = mboxrdEscape(raw);
  const endsWithNewline = body.length > 0 && body[body.length - 1] === 0x0a;
  return Buffer.concat([
    Buffer.from(`${fromLine(sender, date)}${eol}`, "latin1"),
    body,
    Buffer.from(endsWithNewline ? eol : `${eol}${eol}`, "latin1"),
  ]);
}

/** A whole mbox: optional preamble, then the entries. */
export function writeMbox(
  messages: Iterable<{ raw: Buffer; sender?: string | null; date?: Date | null }>,
  preamble = "",
): Buffer {
  const parts: Buffer[] = [];
  if (preamble) parts.push(Buffer.from(preamble.endsWith("\n") ? preamble : `${preamble}\n`, "utf8"));
  for (const m of messages) parts.push(mboxEntry(m.raw, m.sender, m.date));
  return Buffer.concat(parts);
}
