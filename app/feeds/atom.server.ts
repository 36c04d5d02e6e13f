/** Atom 1.0 documents (RFC 4287). Every text is XML-escaped; HTML content goes in escaped as type="html". */
export type AtomEntry = { id: string; title: string; url: string; updated: Date; author: string; html: string };
export type AtomFeed = { id: string; title: string; subtitle?: string; url: string; selfUrl: string; updated: Date; entries: AtomEntry[] };

export function escapeXml(text: string): string {
  // Characters XML 1.0 forbids are dropped rather than escaped.
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

export function renderAtom(feed: AtomFeed): string {
  const entries = feed.entries
    .map(
      (entry) => `  <entry>
    <id>${escapeXml(entry.id)}</id>
    <title>${escapeXml(entry.title)}</title>
    <link rel="alternate" type="text/html" href="${escapeXml(entry.url)}"/>
    <updated>${entry.updated.toISOString()}</updated>
    <author><name>${escapeXml(entry.author)}</name></author>
    <content type="html">${escapeXml(entry.html)}</content>
  </entry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>${escapeXml(feed.id)}</id>
  <title>${escapeXml(feed.title)}</title>
${feed.subtitle ? `  <subtitle>${escapeXml(feed.subtitle)}</subtitle>\n` : ""}  <link rel="alternate" type="text/html" href="${escapeXml(feed.url)}"/>
  <link rel="self" type="application/atom+xml" href="${escapeXml(feed.selfUrl)}"/>
  <updated>${feed.updated.toISOString()}</updated>
  <generator>Threadline</generator>
${entries}
</feed>
`;
}

export function atomResponse(feed: AtomFeed): Response {
  return new Response(renderAtom(feed), {
    headers: { "Content-Type": "application/atom+xml; charset=utf-8", "Cache-Control": "public, max-age=300" },
  });
}

/** The site's public origin for absolute links in feeds. */
export function siteOrigin(request: Request): string {
  return process.env.PUBLIC_URL ? new URL(process.env.PUBLIC_URL).origin : new URL(request.url).origin;
}
