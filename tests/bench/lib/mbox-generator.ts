// A deterministic synthetic mailing-list archive for the importer benchmark:
// an mboxo file of N messages (default 200,000) written as a stream, so any
// size fits in memory. Same seed and size, same bytes.
//
// What it holds, roughly like a busy technical list over ~6 years:
// - threads of 1 to 200 messages, heavy-tailed (most 1-5, a few 100+),
//   interleaved in date order, replies carrying In-Reply-To and References
//   (root + the last few ancestors, as mail clients trim them);
// - From with display names (some non-ASCII, some encoded-words), Dates
//   spread over the years, "Re:" subjects with a [list] tag;
// - bodies of 300 B to 20 KB, replies quoting their parent;
// - charsets: mostly UTF-8 (8bit or quoted-printable), some ISO-8859-1,
//   some base64 bodies, some encoded-word subjects;
// - ~5 % multipart/alternative with an HTML part, ~3 % multipart/mixed with
//   a small base64 attachment, ~0.3 % malformed (no Message-ID, a broken
//   Date, an unterminated MIME part, garbage header lines).
//
// Files are cached in os.tmpdir() under a name made of the parameters.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

export type MboxGeneratorOptions = {
  messages: number;
  seed?: number;
};

export type GeneratedMbox = {
  file: string;
  messages: number;
  bytes: number;
  threads: number;
  /** True when the file came from the cache. */
  cached: boolean;
  seconds: number;
  mix: MixCounts;
};

export type MixCounts = {
  threads: number;
  largestThread: number;
  utf8: number;
  latin1: number;
  quotedPrintable: number;
  base64Body: number;
  encodedWordSubject: number;
  html: number;
  attachments: number;
  malformed: number;
};

const GENERATOR_VERSION = 2;

/** mulberry32: small, fast, good enough for test data. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
    chance: (p: number) => next() < p,
  };
}
type Rng = ReturnType<typeof prng>;

const WORDS = (
  "the a to of and in is it that for on with as this be not are we can you if but or have from by an at was " +
  "patch build release kernel driver memory buffer thread lock commit branch merge review test failure error " +
  "warning config option default value module package version upgrade install compile linker symbol function " +
  "pointer struct array string parser import export socket server client request response timeout retry cache " +
  "index query table column migration schema database transaction rollback performance benchmark latency " +
  "throughput regression bisect maintainer subsystem documentation example behaviour expected actually " +
  "reproduce workaround upstream downstream backport stable mainline architecture platform toolchain compiler " +
  "optimisation allocation garbage collector scheduler interrupt handler signal process filesystem directory " +
  "permission ownership license contributor tarball mirror checksum signature keyring vote proposal agenda"
).split(" ");
const ACCENTED = "café naïve résumé über Müller Straße señor año façade déjà vu Ærøskøbing Łódź crème brûlée".split(" ");
const FIRST = "Alice Bob Carol Dave Erin Frank Grace Heidi Ivan Judy Mallory Niaj Olivia Peggy Rupert Sybil Trent Victor Walter Yuki".split(" ");
const LAST = "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans Walker White Roberts Green".split(" ");
const ACCENTED_NAMES = ["José Núñez", "Zoë Ångström", "Jürgen Groß", "François Lefèvre", "Søren Kierkegård", "Małgorzata Wójcik", "Ågot Ødegård"];
const DOMAINS = ["example.org", "example.com", "mail.example.net", "lists.example.edu", "corp.example.io"];
const TOPICS = [
  "Build failure on ARM64 with the new toolchain",
  "Proposal: drop support for the legacy config format",
  "Memory leak in the socket handler",
  "Release schedule for the next stable branch",
  "Question about transaction isolation",
  "Regression in parser performance since last release",
  "How to bisect a flaky test",
  "Vote: adopting the new code of conduct",
  "Patch review: scheduler interrupt latency",
  "Mirror checksum mismatch",
  "Documentation for the migration tool",
  "Crash when importing large archives",
];
const LIST_TAG = "[dev-list]";
const DAY = 86_400_000;
const START = Date.UTC(2019, 0, 7, 9, 0, 0);
const SPAN_MS = 6 * 365 * DAY;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number) => String(n).padStart(2, "0");

function rfc5322Date(ms: number, offsetMinutes: number): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return `${WEEKDAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

function asctime(ms: number): string {
  const d = new Date(ms);
  return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, " ")} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

type Person = { name: string; address: string; accented: boolean };

function makePeople(rng: Rng, count: number): Person[] {
  const people: Person[] = [];
  for (let i = 0; i < count; i += 1) {
    const accented = rng.chance(0.12);
    const name = accented ? rng.pick(ACCENTED_NAMES) : `${rng.pick(FIRST)} ${rng.pick(LAST)}`;
    const local = name.normalize("NFD").replace(/[^\w ]/g, "").toLowerCase().replace(/ /g, ".");
    people.push({ name, address: `${local}${i}@${rng.pick(DOMAINS)}`, accented });
  }
  return people;
}

/** Thread sizes: heavy-tailed (Pareto, alpha ~1.1), 1 to 200. */
function threadSize(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-9);
  return Math.min(200, Math.max(1, Math.floor(Math.pow(u, -1 / 1.1))));
}

/** Body length: log-normal-ish, median ~1.1 KB, clamped to 300 B..20 KB. */
function bodyLength(rng: Rng): number {
  const gauss = rng.next() + rng.next() + rng.next() + rng.next() - 2; // ~N(0, 0.33)
  return Math.round(Math.min(20_000, Math.max(300, 1100 * Math.exp(gauss * 2.6))));
}

function sentence(rng: Rng, accented: boolean): string {
  const n = rng.int(6, 18);
  const words: string[] = [];
  for (let i = 0; i < n; i += 1) words.push(accented && rng.chance(0.15) ? rng.pick(ACCENTED) : rng.pick(WORDS));
  const first = words[0]!;
  words[0] = first[0]!.toUpperCase() + first.slice(1);
  return `${words.join(" ")}.`;
}

/** Paragraphs wrapped at ~72 columns, about `length` characters. */
function prose(rng: Rng, length: number, accented: boolean): string[] {
  const lines: string[] = [];
  let total = 0;
  let line = "";
  while (total < length) {
    const s = sentence(rng, accented);
    if (line.length + s.length + 1 > 72) {
      lines.push(line);
      total += line.length + 1;
      line = "";
      if (rng.chance(0.25)) {
        lines.push("");
        total += 1;
      }
    }
    line = line ? `${line} ${s}` : s;
    if (rng.chance(0.002)) {
      // A body line that needs mboxo escaping.
      lines.push(line, "From the changelog: nothing else changed.");
      total += line.length + 42;
      line = "";
    }
  }
  if (line) lines.push(line);
  return lines;
}

function encodeQuotedPrintable(bytes: Buffer): string {
  let out = "";
  let lineLength = 0;
  for (let i = 0; i < bytes.length; i += 1) {
    const b = bytes[i]!;
    if (b === 0x0a) {
      out += "\n";
      lineLength = 0;
      continue;
    }
    const literal = (b >= 33 && b <= 126 && b !== 61) || (b === 32 && bytes[i + 1] !== 0x0a);
    const piece = literal ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
    if (lineLength + piece.length > 75) {
      out += "=\n";
      lineLength = 0;
    }
    out += piece;
    lineLength += piece.length;
  }
  return out;
}

function base64Lines(bytes: Buffer): string {
  return (bytes.toString("base64").match(/.{1,76}/g) ?? []).join("\n");
}

function encodedWord(text: string, rng: Rng): string {
  if (rng.chance(0.5)) return `=?UTF-8?B?${Buffer.from(text, "utf8").toString("base64")}?=`;
  const bytes = Buffer.from(text, "latin1");
  let q = "";
  for (const b of bytes) q += (b >= 48 && b <= 57) || (b >= 65 && b <= 90) || (b >= 97 && b <= 122) ? String.fromCharCode(b) : b === 32 ? "_" : `=${b.toString(16).toUpperCase().padStart(2, "0")}`;
  return `=?ISO-8859-1?Q?${q}?=`;
}

function latin1Safe(text: string): string {
  return text.replace(/[^\u0000-\u00ff]/g, "?");
}

type ThreadState = {
  rootId: string;
  subject: string;
  remaining: number;
  /** Message-IDs so far with their References chains (trimmed) and a quotable line. */
  messages: Array<{ id: string; refs: string[]; snippet: string[]; author: string }>;
};

/** mboxo escaping: body lines starting with "From " get a ">". */
function escapeFromLines(text: string): string {
  return text.replace(/^From /gm, ">From ");
}

/** Writes the mbox to `file` (through a .partial file, renamed at the end). */
async function writeMbox(file: string, options: Required<MboxGeneratorOptions>): Promise<{ bytes: number; mix: MixCounts }> {
  const rng = prng(options.seed);
  const people = makePeople(rng, 1500);
  const partial = `${file}.${process.pid}.partial`;
  const out = fs.createWriteStream(partial, { highWaterMark: 1024 * 1024 });
  const mix: MixCounts = {
    threads: 0, largestThread: 0, utf8: 0, latin1: 0, quotedPrintable: 0, base64Body: 0,
    encodedWordSubject: 0, html: 0, attachments: 0, malformed: 0,
  };
  let bytes = 0;
  let chunks: string[] = [];
  let chunkLength = 0;
  const write = async (text: string) => {
    chunks.push(text);
    chunkLength += text.length;
    if (chunkLength < 512 * 1024) return;
    await flush();
  };
  const flush = async () => {
    if (chunks.length === 0) return;
    const buffer = Buffer.from(chunks.join(""), "latin1"); // texts are already byte strings
    chunks = [];
    chunkLength = 0;
    bytes += buffer.length;
    if (!out.write(buffer)) await new Promise<void>((resolve) => out.once("drain", resolve));
  };

  const active: ThreadState[] = [];
  let unallocated = options.messages;
  let time = START;
  const meanGap = SPAN_MS / options.messages;
  let counter = 0;

  for (let n = 0; n < options.messages; n += 1) {
    // Keep 5-40 threads alive; start a new one with some probability or when none is.
    const startNew = unallocated > 0 && (active.length === 0 || (active.length < 40 && rng.chance(active.length < 5 ? 0.6 : 0.12)));
    let thread: ThreadState;
    if (startNew) {
      const size = Math.min(unallocated, threadSize(rng));
      unallocated -= size;
      mix.threads += 1;
      mix.largestThread = Math.max(mix.largestThread, size);
      thread = { rootId: "", subject: `${rng.pick(TOPICS)} (${mix.threads})`, remaining: size, messages: [] };
      active.push(thread);
    } else {
      thread = active[Math.floor(rng.next() * active.length)]!;
    }
    thread.remaining -= 1;
    if (thread.remaining === 0) active.splice(active.indexOf(thread), 1);

    time += Math.round(meanGap * -Math.log(Math.max(rng.next(), 1e-9)));
    counter += 1;
    const author = rng.pick(people);
    const domain = author.address.split("@")[1]!;
    const id = `${counter.toString(36)}.${Math.floor(rng.next() * 1e9).toString(36)}@${domain}`;
    const parent = thread.messages.length ? thread.messages[Math.floor(Math.pow(rng.next(), 0.4) * thread.messages.length)]! : null;
    const refs = parent ? [...parent.refs, parent.id] : [];
    const trimmedRefs = refs.length > 10 ? [refs[0]!, ...refs.slice(-9)] : refs;
    if (!parent) thread.rootId = id;

    // Charset and encodings.
    const roll = rng.next();
    const charset = roll < 0.82 ? "utf-8" : roll < 0.94 ? "iso-8859-1" : "us-ascii";
    const accented = charset !== "us-ascii" && (author.accented || rng.chance(0.2));
    const encodingRoll = rng.next();
    const transfer = charset === "us-ascii" ? "7bit" : encodingRoll < 0.6 ? "8bit" : encodingRoll < 0.88 ? "quoted-printable" : "base64";
    const malformed = rng.chance(0.003) ? rng.int(1, 4) : 0;

    // Body text: quote of the parent, prose, signature.
    const lines: string[] = [];
    if (parent) {
      lines.push(`On ${rfc5322Date(time - 3_600_000, 0)}, ${parent.author} wrote:`);
      for (const quoted of parent.snippet) lines.push(quoted === "" ? ">" : `> ${quoted}`);
      lines.push("");
    }
    const own = prose(rng, bodyLength(rng), accented);
    lines.push(...own, "", "-- ", `${author.name}`);
    const bodyText = lines.join("\n") + "\n";
    const snippet = own.slice(0, rng.int(2, 8));
    thread.messages.push({ id, refs: trimmedRefs, snippet, author: author.name });

    const subjectText = parent ? `Re: ${LIST_TAG} ${thread.subject}` : `${LIST_TAG} ${thread.subject}`;
    const useEncodedWord = accented && rng.chance(0.3);
    const subjectShown = useEncodedWord ? `${subjectText} ${rng.pick(ACCENTED)}` : subjectText;

    // Encode the text part.
    const textBytes = charset === "iso-8859-1" ? Buffer.from(latin1Safe(bodyText), "latin1") : Buffer.from(bodyText, "utf8");
    const encodedText =
      transfer === "base64" ? base64Lines(textBytes) + "\n" : transfer === "quoted-printable" ? encodeQuotedPrintable(textBytes) : textBytes.toString("latin1");
    if (charset === "utf-8") mix.utf8 += 1;
    else if (charset === "iso-8859-1") mix.latin1 += 1;
    if (transfer === "quoted-printable") mix.quotedPrintable += 1;
    if (transfer === "base64") mix.base64Body += 1;
    const textPart = `Content-Type: text/plain; charset=${charset}${rng.chance(0.2) ? "; format=flowed" : ""}\nContent-Transfer-Encoding: ${transfer}\n\n${encodedText}`;

    const kindRoll = rng.next();
    const withHtml = kindRoll < 0.05;
    const withAttachment = !withHtml && kindRoll < 0.08;
    let mimeHeaders: string;
    let body: string;
    const boundary = `=_b${counter.toString(36)}_${Math.floor(rng.next() * 1e9).toString(36)}`;
    if (withHtml) {
      mix.html += 1;
      const html = `<html><body>${own.map((line) => (line ? `<p>${line.replace(/&/g, "&amp;").replace(/</g, "&lt;")}</p>` : "")).join("\n")}<p>-- <br>${author.name}</p></body></html>\n`;
      const htmlPart = `Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n${encodeQuotedPrintable(Buffer.from(html, "utf8"))}`;
      mimeHeaders = `MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary="${boundary}"\n`;
      body = `This is a multi-part message in MIME format.\n\n--${boundary}\n${textPart}\n--${boundary}\n${htmlPart}\n--${boundary}--\n`;
    } else if (withAttachment) {
      mix.attachments += 1;
      const size = rng.int(1_000, 30_000);
      const isPatch = rng.chance(0.6);
      const content = isPatch
        ? Buffer.from(prose(rng, size, false).map((line) => `+${line}`).join("\n"), "utf8")
        : Buffer.from(Array.from({ length: size }, () => rng.int(0, 255)));
      const name = isPatch ? `0001-fix-${counter}.patch` : `screenshot-${counter}.png`;
      const type = isPatch ? "text/x-patch" : "image/png";
      mimeHeaders = `MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="${boundary}"\n`;
      body =
        `--${boundary}\n${textPart}\n--${boundary}\nContent-Type: ${type}; name="${name}"\nContent-Transfer-Encoding: base64\n` +
        `Content-Disposition: attachment; filename="${name}"\n\n${base64Lines(content)}\n` +
        (malformed === 3 ? "" : `--${boundary}--\n`); // malformed 3: unterminated multipart
    } else {
      mimeHeaders = rng.chance(0.9) ? "MIME-Version: 1.0\n" : "";
      body = encodedText;
      mimeHeaders += textPart.slice(0, textPart.indexOf("\n\n") + 1);
    }

    const offset = [0, 60, 120, -300, -420, -480, 330, 540][rng.int(0, 7)]!;
    const fromName = author.accented
      ? charset === "iso-8859-1" && !useEncodedWord
        ? latin1Safe(author.name) // raw 8-bit in the header: common in old archives
        : encodedWord(author.name, rng)
      : author.name;
    if (useEncodedWord) mix.encodedWordSubject += 1;
    const headers: string[] = [];
    headers.push(`From: ${author.accented && fromName.startsWith("=?") ? fromName : `"${fromName}"`} <${author.address}>`);
    headers.push(`To: dev-list@lists.example.org`);
    headers.push(`Date: ${malformed === 2 ? "sometime last week" : rfc5322Date(time, offset)}`);
    headers.push(`Subject: ${useEncodedWord ? encodedWord(subjectShown, rng) : subjectShown}`);
    if (malformed !== 1) headers.push(`Message-ID: <${id}>`);
    if (parent) {
      headers.push(`In-Reply-To: <${parent.id}>`);
      headers.push(`References: ${trimmedRefs.map((ref) => `<${ref}>`).join("\n ")}`);
    }
    headers.push("List-Id: Development discussion <dev-list.lists.example.org>");
    headers.push("List-Post: <mailto:dev-list@lists.example.org>");
    headers.push("Precedence: list");
    if (rng.chance(0.4)) headers.push(`User-Agent: ${rng.pick(["Mutt/2.2.12", "Thunderbird/115.4", "Evolution 3.50", "Gnus/5.13"])}`);
    headers.push(`Received: from mail.${domain} (mail.${domain} [192.0.2.${rng.int(1, 254)}])\n\tby lists.example.org with ESMTPS id ${counter.toString(16)}\n\tfor <dev-list@lists.example.org>; ${rfc5322Date(time, 0)}`);
    if (malformed === 4) headers.push("this line is not a header field at all");
    if (malformed) mix.malformed += 1;

    const header = `${headers.join("\n")}\n${mimeHeaders}`;
    // Header and body text are byte strings (latin1 code units) from here on.
    const headerBytes = Buffer.from(header, "utf8").toString("latin1").replace(/[^\u0000-\u00ff]/g, "?");
    const headerOut = charset === "iso-8859-1" ? latin1Safe(header) : headerBytes;
    const bodyOut = escapeFromLines(body);
    await write(`From ${author.address} ${asctime(time)}\n${headerOut}\n${bodyOut}${bodyOut.endsWith("\n") ? "" : "\n"}\n`);
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  fs.renameSync(partial, file);
  return { bytes, mix };
}

/** The cached mbox for these parameters, written first when missing. */
export async function ensureMbox(options: MboxGeneratorOptions, log: (message: string) => void = () => {}): Promise<GeneratedMbox> {
  const settings = { messages: options.messages, seed: options.seed ?? 20_240_601 };
  const base = path.join(os.tmpdir(), `threadline-bench-mbox-v${GENERATOR_VERSION}-s${settings.seed}-n${settings.messages}`);
  const file = `${base}.mbox`;
  const metaFile = `${base}.json`;
  if (fs.existsSync(file) && fs.existsSync(metaFile)) {
    const meta = JSON.parse(fs.readFileSync(metaFile, "utf8")) as { bytes: number; mix: MixCounts };
    if (fs.statSync(file).size === meta.bytes) {
      return { file, messages: settings.messages, bytes: meta.bytes, threads: meta.mix.threads, cached: true, seconds: 0, mix: meta.mix };
    }
  }
  log(`Generating a synthetic mbox of ${settings.messages.toLocaleString("en")} messages in ${file}...`);
  const started = performance.now();
  const { bytes, mix } = await writeMbox(file, settings);
  fs.writeFileSync(metaFile, JSON.stringify({ bytes, mix }));
  const seconds = (performance.now() - started) / 1000;
  log(`Generated ${(bytes / 1024 / 1024).toFixed(0)} MiB in ${seconds.toFixed(1)} s.`);
  return { file, messages: settings.messages, bytes, threads: mix.threads, cached: false, seconds, mix };
}
