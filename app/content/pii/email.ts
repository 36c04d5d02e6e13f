// E-mail addresses, found from each "@" outwards rather than with one big
// regular expression: scanning a long run of letters for a local part that
// never meets an "@" would otherwise cost quadratic time.
import type { Candidate } from "./context";

// The practical subset: the RFC also allows =, / and quotes, which would pull
// "email=" or a quote into the match far more often than they help.
const LOCAL_CHAR = /[A-Za-z0-9._%+-]/;
const DOMAIN = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}/;

// RFC 2606 and RFC 6761 names nobody can own, so they disclose nothing.
const RESERVED = /(?:^|\.)(?:example\.(?:com|org|net)|example|test|invalid|localhost)$/i;
// icon@2x.png and friends: asset names, not mailboxes.
const FILE_SUFFIX = /\.(?:png|jpe?g|gif|svg|webp|ico|js|mjs|cjs|ts|tsx|jsx|css|map|json)$/i;

export function findEmails(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (let at = text.indexOf("@"); at !== -1; at = text.indexOf("@", at + 1)) {
    let start = at;
    while (start > 0 && at - start < 64 && LOCAL_CHAR.test(text[start - 1]!)) start--;
    while (text[start] === ".") start++;
    if (start === at) continue;
    const domain = DOMAIN.exec(text.slice(at + 1, at + 1 + 255))?.[0];
    if (!domain || RESERVED.test(domain) || FILE_SUFFIX.test(domain)) continue;
    const end = at + 1 + domain.length;
    // git@github.com:owner/repo is an SSH remote, not somebody's mailbox.
    if (text[end] === ":" && /\S/.test(text[end + 1] ?? " ")) continue;
    if (/[A-Za-z0-9-]/.test(text[end] ?? "")) continue;
    found.push({ start, end });
  }
  return found;
}
