import type { FacetLink, SearchOutcome } from "../../search/portal.server";
import { ArchiveTime } from "./archive-time";

type Ok = Extract<SearchOutcome, { status: "ok" }>;

const TYPE_LABELS = { post: "Forum post", mail: "Mailing list", chat: "Chat" } as const;

function searchHref(q: string, sort: string, page = 1) {
  const params = new URLSearchParams({ q });
  if (sort !== "relevance") params.set("sort", sort);
  if (page > 1) params.set("page", String(page));
  return `/search?${params.toString()}`;
}

/** Adds a filter to the query, or takes it out when it is already there. */
function toggled(q: string, token: string, active: boolean) {
  if (!active) return `${q} ${token}`.trim();
  return q
    .split(/\s+/)
    .filter((part) => part.toLowerCase() !== token.toLowerCase())
    .join(" ");
}

function FacetGroup({ title, links, outcome }: { title: string; links: FacetLink[]; outcome: Ok }) {
  if (links.length === 0) return null;
  return (
    <section aria-label={title} className="mb-4">
      <h2 className="text-xs font-semibold uppercase tracking-wide text-slate-500">{title}</h2>
      <ul className="mt-1 space-y-0.5 text-sm">
        {links.map((link) => (
          <li key={link.token}>
            <a
              href={searchHref(toggled(outcome.q, link.token, link.active), outcome.sort)}
              aria-current={link.active ? "true" : undefined}
              className={`flex justify-between gap-2 rounded px-1 no-underline hover:bg-slate-100 ${link.active ? "font-semibold text-slate-900" : "text-slate-700"}`}
            >
              <span className="truncate">{link.active ? "✓ " : ""}{link.label}</span>
              <span className="text-slate-500">{link.count.toLocaleString("en")}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SearchResults({ outcome }: { outcome: Ok }) {
  if (outcome.total === 0) {
    return (
      <div className="card mt-6 p-4 text-slate-700" data-testid="search-total">
        <p className="font-medium">No results for “{outcome.q}”.</p>
        <p className="mt-1 text-sm text-slate-600">
          Try fewer or more general words, check filters such as <code>list:</code> or <code>after:</code>, or search every kind of content.
        </p>
      </div>
    );
  }
  const hasMail = outcome.items.some((item) => item.type === "mail") || (outcome.facets?.type.some((f) => f.token === "in:lists") ?? false);
  const archiveQuery = /\bin:lists\b/i.test(outcome.q) ? outcome.q : `${outcome.q} in:lists`;
  return (
    <div className="mt-6 grid gap-6 md:grid-cols-[12rem_1fr]">
      <aside aria-label="Refine">
        {outcome.facets ? (
          <>
            <FacetGroup title="Kind" links={outcome.facets.type} outcome={outcome} />
            <FacetGroup title="Where" links={outcome.facets.place} outcome={outcome} />
            <FacetGroup title="Year" links={outcome.facets.year} outcome={outcome} />
          </>
        ) : null}
      </aside>
      <div>
        <p className="text-sm text-slate-600" data-testid="search-total">
          {`${outcome.total.toLocaleString("en")}${outcome.totalCapped ? "+" : ""} result${outcome.total === 1 && !outcome.totalCapped ? "" : "s"}${outcome.page > 1 ? `, page ${outcome.page}` : ""}.`}
          {hasMail ? (
            <>
              {" "}Archive matches as{" "}
              <a href={`/search/mbox?q=${encodeURIComponent(archiveQuery)}`} download>mbox</a> or an{" "}
              <a href={`/search/feed.atom?q=${encodeURIComponent(archiveQuery)}`}>Atom feed</a>.
            </>
          ) : null}
        </p>
        <ol className="mt-3 space-y-4">
          {outcome.items.map((item) => (
            <li key={item.id} className="card p-4" data-testid="search-result">
              <h2 className="text-base font-semibold">
                {/* Escaped by the engine adapter; only <mark> is markup. */}
                <a href={item.url} dangerouslySetInnerHTML={{ __html: item.titleHtml }} />
              </h2>
              <p className="mt-1 text-xs text-slate-500">
                <span className="font-medium">{TYPE_LABELS[item.type]}</span> ·{" "}
                <a href={item.placeUrl}>{item.placeName}</a>
                {item.hostName ? <> (hosted by {item.hostName}, not by Threadline)</> : null} · {item.author} ·{" "}
                <ArchiveTime date={item.date} dateOnly />
              </p>
              {item.snippetHtml ? <p className="mt-2 text-sm text-slate-700 [&_mark]:bg-yellow-100" dangerouslySetInnerHTML={{ __html: item.snippetHtml }} /> : null}
            </li>
          ))}
        </ol>
        {outcome.hosts.length > 0 ? (
          <section aria-label="About archived lists" className="mt-6 rounded-md border border-slate-200 bg-slate-50 p-3 text-xs text-slate-600">
            {outcome.hosts.map((host) => (
              <p key={host.listName}>
                <a href={host.hostUrl} rel="noopener">{host.hostName}</a>: {host.notice}
              </p>
            ))}
          </section>
        ) : null}
        {outcome.pageCount > 1 ? (
          <nav aria-label="Pages" className="mt-6 flex items-center gap-2 text-sm">
            {outcome.page > 1 ? <a className="btn-secondary" rel="prev" href={searchHref(outcome.q, outcome.sort, outcome.page - 1)}>Previous</a> : null}
            <span>Page {outcome.page} of {outcome.pageCount}</span>
            {outcome.page < outcome.pageCount ? <a className="btn-secondary" rel="next" href={searchHref(outcome.q, outcome.sort, outcome.page + 1)}>Next</a> : null}
          </nav>
        ) : null}
      </div>
    </div>
  );
}
