// The Atom feed of a list: its newest messages. Feeds are public documents
// that caches and feed readers keep, so they are always built for an
// anonymous reader: addresses masked, hidden messages and lists left out.
import { atomResponse, siteOrigin } from "~/feeds/atom.server";
import { db } from "~/utils/db.server";
import { maskEmails } from "./mask";
import { ownershipNotice } from "./ownership";
import { excerptOf } from "./quote-fold";
import { ANONYMOUS, findVisibleList } from "./read.server";

const FEED_SIZE = 30;
const EXCERPT = 2000;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export async function listFeed(request: Request, slug: string | undefined) {
  const list = await findVisibleList(slug, ANONYMOUS);
  const keep = [list.listAddress];
  const mask = (text: string) => maskEmails(text, { keep });
  const messages = await db.mailMessage.findMany({
    where: { listId: list.id, kind: "message", hiddenAt: null, date: { not: null } },
    orderBy: [{ date: "desc" }, { id: "desc" }],
    take: FEED_SIZE,
    select: { publicId: true, subject: true, fromName: true, date: true, textBody: true },
  });
  const origin = siteOrigin(request);
  const listUrl = `${origin}/lists/${list.slug}`;
  const provenance = `<p><small>From the ${escapeHtml(list.name)} mailing list, hosted by ${escapeHtml(list.hostName)}. ` +
    `Threadline does not own or control this list's data.</small></p>`;
  return atomResponse({
    id: listUrl,
    title: `${list.name} (hosted by ${list.hostName}) · Threadline archive`,
    subtitle: ownershipNotice(list),
    url: listUrl,
    selfUrl: `${listUrl}/feed.atom`,
    updated: messages[0]?.date ?? list.lastMessageAt ?? new Date(0),
    entries: messages.map((message) => {
      const excerpt = excerptOf(mask(message.textBody), EXCERPT, false);
      return {
        id: `${origin}/lists/${list.slug}/m/${message.publicId}`,
        title: `[${list.name}] ${mask(message.subject) || "(no subject)"}`,
        url: `${origin}/lists/${list.slug}/m/${message.publicId}`,
        updated: message.date!,
        // The name only: a masked address is no name, so none is shown.
        author: mask(message.fromName.trim()) || "Unknown sender",
        html: `<pre>${escapeHtml(excerpt)}</pre>${provenance}`,
      };
    }),
  });
}
