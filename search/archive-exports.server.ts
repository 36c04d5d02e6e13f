// An archive search as an mbox download and as an Atom feed. Results can span
// several lists, so the mbox preamble names every list and its host, and each
// feed entry says which list it came from and who hosts it. Messages are read
// again from the database: anything hidden or unpublished since it was
// indexed is left out.
import { maskEmails } from "~/archive/mask";
import { mboxEntriesStream, type MboxOptions } from "~/archive/mbox-export.server";
import { ownershipPreamble } from "~/archive/ownership";
import { excerptOf } from "~/archive/quote-fold";
import type { Viewer } from "~/archive/read.server";
import { atomResponse, escapeXml, siteOrigin } from "~/feeds/atom.server";
import { db } from "~/utils/db.server";
import { MAX_QUERY_CHARS, searchArchiveMessageIds } from "./portal.server.ts";

/** The most messages one search download holds; narrow the search for more. */
export const MAX_MBOX_MESSAGES = 5000;
const FEED_SIZE = 30;

const LIST_SELECT = { id: true, slug: true, name: true, hostName: true, hostUrl: true, infoUrl: true, contact: true, ownershipNotice: true, listAddress: true } as const;

async function visibleMessages(ids: number[]) {
  return db.mailMessage.findMany({
    where: { id: { in: ids }, kind: "message", hiddenAt: null, list: { visibility: "public" } },
    select: { id: true, listId: true, publicId: true, subject: true, fromName: true, fromAddress: true, date: true, fetchedAt: true, textBody: true },
  });
}

function tooLong(): Response {
  return new Response(`The search is too long: at most ${MAX_QUERY_CHARS} characters, please.\n`, {
    status: 400,
    headers: { "Content-Type": "text/plain; charset=utf-8" },
  });
}

function unavailable(): Response {
  return new Response("Search is temporarily unavailable. Please try again in a few minutes.\n", {
    status: 503,
    headers: { "Content-Type": "text/plain; charset=utf-8", "Retry-After": "60" },
  });
}

export async function searchMboxResponse(q: string, viewer: Viewer): Promise<Response> {
  if (q.trim().length > MAX_QUERY_CHARS) return tooLong();
  const ids = await searchArchiveMessageIds(q, MAX_MBOX_MESSAGES);
  if (ids === null) return unavailable();
  // Oldest first, like a month download; the rows are re-checked batch by batch.
  const rows = await db.mailMessage.findMany({
    where: { id: { in: ids }, kind: "message", hiddenAt: null, list: { visibility: "public" } },
    orderBy: [{ date: "asc" }, { id: "asc" }],
    select: { id: true, listId: true },
  });
  const lists = await db.mailingList.findMany({ where: { id: { in: [...new Set(rows.map((row) => row.listId))] } }, select: LIST_SELECT });
  const listById = new Map(lists.map((list) => [list.id, list]));
  const mask = !viewer.seeAddresses;
  const header =
    `# Threadline archive search: ${q.replace(/[\r\n]+/g, " ")}\n` +
    `# ${rows.length} message${rows.length === 1 ? "" : "s"}${ids.length >= MAX_MBOX_MESSAGES ? ` (the first ${MAX_MBOX_MESSAGES}; narrow the search for more)` : ""}.\n` +
    lists.map((list) => ownershipPreamble(list)).join("") +
    (mask ? "# Email addresses are masked. Log in to download the original messages.\n" : "");
  const stream = mboxEntriesStream(
    Buffer.from(header, "utf8"),
    async () => rows.map((row) => row.id),
    (row): MboxOptions => ({ mask, keep: [listById.get(row.listId)?.listAddress ?? null] }),
  );
  return new Response(stream, {
    headers: {
      "Content-Type": "application/mbox",
      "Content-Disposition": 'attachment; filename="threadline-search.mbox"',
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": viewer.seeAddresses ? "private, no-store" : "public, max-age=300",
      Vary: "Cookie",
    },
  });
}

/** Newest matching messages as Atom; built for an anonymous reader, like every feed. */
export async function searchFeedResponse(request: Request, q: string): Promise<Response> {
  if (q.trim().length > MAX_QUERY_CHARS) return tooLong();
  const ids = await searchArchiveMessageIds(q, FEED_SIZE);
  if (ids === null) return unavailable();
  const rows = await visibleMessages(ids);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const lists = await db.mailingList.findMany({ where: { id: { in: [...new Set(rows.map((row) => row.listId))] } }, select: LIST_SELECT });
  const listById = new Map(lists.map((list) => [list.id, list]));
  const origin = siteOrigin(request);
  const searchUrl = `${origin}/search?q=${encodeURIComponent(q)}&sort=date`;
  const entries = ids.flatMap((id) => {
    const row = byId.get(id);
    const list = row ? listById.get(row.listId) : undefined;
    if (!row || !list) return [];
    const keep = { keep: [list.listAddress] };
    const url = `${origin}/lists/${list.slug}/m/${row.publicId}`;
    const provenance =
      `<p><small>From the ${escapeXml(list.name)} mailing list, hosted by ${escapeXml(list.hostName)}. ` +
      `Threadline does not own or control this list's data.</small></p>`;
    return [
      {
        id: url,
        title: `[${list.name}] ${maskEmails(row.subject, keep) || "(no subject)"}`,
        url,
        updated: row.date ?? row.fetchedAt,
        author: maskEmails(row.fromName.trim(), keep) || "Unknown sender",
        html: `<pre>${escapeXml(excerptOf(maskEmails(row.textBody, keep), 2000, false))}</pre>${provenance}`,
      },
    ];
  });
  return atomResponse({
    id: searchUrl,
    title: `Archive search: ${q} · Threadline`,
    subtitle: "Messages from mailing lists hosted by other sites; each entry names its list and host.",
    url: searchUrl,
    selfUrl: `${origin}/search/feed.atom?q=${encodeURIComponent(q)}`,
    updated: entries[0]?.updated ?? new Date(0),
    entries,
  });
}
