// Splits a plain-text mail body into what a reader wants to see first (the
// new text) and what they may expand (quoted text, the signature, the list's
// footer). Pure and shared: the page renders each folded block in a
// <details> element, which works without JavaScript.

export type TextBlock =
  | { kind: "text"; text: string }
  | { kind: "quote"; text: string; lines: number }
  | { kind: "signature"; text: string; lines: number }
  | { kind: "footer"; text: string; lines: number };

/** Mailman's footer separator is 47 underscores; accept any long run. */
const FOOTER_SEPARATOR = /^_{30,}\s*$/;
/** RFC 3676 "-- "; many clients strip the trailing space. */
const SIGNATURE_SEPARATOR = /^-- ?$/;
const ORIGINAL_MESSAGE = /^\s*-{3,}\s*(?:Original Message|Forwarded message|Ursprüngliche Nachricht|Message d'origine)\s*-{3,}\s*$/i;
const QUOTED = /^ {0,2}>/;
/** A footer or signature longer than this is more likely content. */
const MAX_FOOTER_LINES = 25;
const MAX_BARE_DASH_SIGNATURE_LINES = 12;

export function foldMessageText(body: string): TextBlock[] {
  const lines = body.replace(/\r\n?/g, "\n").replace(/\n+$/, "").split("\n");
  let end = lines.length;

  let footer: string[] = [];
  const footerAt = lastIndex(lines, (line) => FOOTER_SEPARATOR.test(line), 0, end);
  if (footerAt >= 0 && end - footerAt <= MAX_FOOTER_LINES) {
    footer = lines.slice(footerAt, end);
    end = footerAt;
  }

  let signature: string[] = [];
  const signatureAt = lastIndex(lines, (line) => SIGNATURE_SEPARATOR.test(line), 0, end);
  if (signatureAt >= 0) {
    const exact = lines[signatureAt] === "-- ";
    if (exact || end - signatureAt <= MAX_BARE_DASH_SIGNATURE_LINES) {
      signature = lines.slice(signatureAt, end);
      end = signatureAt;
    }
  }

  const blocks: TextBlock[] = [];
  const main = lines.slice(0, end);
  const original = main.findIndex((line) => ORIGINAL_MESSAGE.test(line));
  const ownLines = original >= 0 ? main.slice(0, original) : main;
  blocks.push(...splitQuotes(ownLines));
  if (original >= 0) pushFolded(blocks, "quote", main.slice(original));
  pushFolded(blocks, "signature", signature);
  pushFolded(blocks, "footer", footer);
  return blocks;
}

function splitQuotes(lines: string[]): TextBlock[] {
  const blocks: TextBlock[] = [];
  let i = 0;
  while (i < lines.length) {
    if (QUOTED.test(lines[i]!)) {
      let j = i;
      // A quote runs on over blank lines when quoted lines follow them.
      while (j < lines.length) {
        if (QUOTED.test(lines[j]!)) {
          j++;
          continue;
        }
        let k = j;
        while (k < lines.length && lines[k]!.trim() === "") k++;
        if (k > j && k < lines.length && QUOTED.test(lines[k]!)) j = k;
        else break;
      }
      pushFolded(blocks, "quote", lines.slice(i, j));
      i = j;
    } else {
      const start = i;
      while (i < lines.length && !QUOTED.test(lines[i]!)) i++;
      const text = lines.slice(start, i).join("\n");
      if (text.trim()) blocks.push({ kind: "text", text: trimBlankLines(text) });
    }
  }
  return blocks;
}

function pushFolded(blocks: TextBlock[], kind: "quote" | "signature" | "footer", lines: string[]) {
  const text = trimBlankLines(lines.join("\n"));
  if (!text.trim()) return;
  blocks.push({ kind, text, lines: text.split("\n").length });
}

function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, "").replace(/(?:\n[ \t]*)+$/, "");
}

function lastIndex(lines: string[], test: (line: string) => boolean, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (test(lines[i]!)) return i;
  return -1;
}

/** An excerpt without quotes, signature or footer (feeds, descriptions); `flat` joins it into one line. */
export function excerptOf(body: string, max = 300, flat = true): string {
  const own = foldMessageText(body)
    .filter((block) => block.kind === "text")
    .map((block) => block.text)
    .join("\n\n");
  const text = flat ? (own || body).replace(/\s+/g, " ").trim() : own || body.trim();
  return text.length > max ? `${text.slice(0, max - 1).trimEnd()}…` : text;
}
