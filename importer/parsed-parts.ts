// Sender and body helpers for parse-message.ts.

import { simpleParser, type AddressObject, type EmailAddress } from "mailparser";

export interface Sender {
  name: string;
  address: string | null;
}

// Pipermail and HyperKitty archives obfuscate senders as "jane at example.org (Jane)".
const PIPERMAIL_FROM = /^\s*([^\s@<>()",]+) at ([^\s@<>()",]+\.[^\s@<>()",]+)\s*(?:\(([^()]*)\))?\s*$/;

function normalizeAddress(address: string | undefined): string | null {
  const trimmed = (address ?? "").trim();
  const at = trimmed.lastIndexOf("@");
  if (at <= 0 || at === trimmed.length - 1 || /\s/.test(trimmed)) return null;
  // Only the domain is case-insensitive; local parts may legally differ by case.
  return trimmed.slice(0, at) + "@" + trimmed.slice(at + 1).toLowerCase();
}

function flatten(entries: readonly EmailAddress[]): EmailAddress[] {
  return entries.flatMap((entry) => (entry.group ? flatten(entry.group) : [entry]));
}

export function parseFrom(rawFrom: string | null, parsed: AddressObject | undefined): Sender {
  const pipermail = rawFrom ? PIPERMAIL_FROM.exec(rawFrom) : null;
  if (pipermail) {
    return {
      name: (pipermail[3] ?? "").trim(),
      address: normalizeAddress(`${pipermail[1]}@${pipermail[2]}`),
    };
  }
  const entries = flatten(parsed?.value ?? []);
  const withAddress = entries.find((entry) => normalizeAddress(entry.address) !== null);
  const chosen = withAddress ?? entries[0];
  return {
    name: (chosen?.name ?? "").trim().replace(/^"(.*)"$/, "$1"),
    address: normalizeAddress(chosen?.address),
  };
}

/**
 * HTML to plain text with the converter mailparser already bundles: mailparser
 * only converts an HTML part when it is the message root, so an HTML-only body
 * inside multipart/mixed or multipart/related is re-parsed on its own here.
 */
export async function htmlToText(html: string): Promise<string> {
  try {
    const wrapped = Buffer.concat([
      Buffer.from("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"),
      Buffer.from(html, "utf8"),
    ]);
    const mail = await simpleParser(wrapped, {
      keepCidLinks: true,
      skipImageLinks: true,
      skipTextToHtml: true,
      skipTextLinks: true,
      maxHtmlLengthToParse: 5 * 1024 * 1024,
    });
    return mail.text ?? "";
  } catch {
    return ""; // the HTML itself is still stored; only the text rendering is lost
  }
}
