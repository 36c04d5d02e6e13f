/** What a page needs to say whose list it is; presentList() on the server builds it. */
export type OwnershipView = {
  name: string;
  hostName: string;
  hostUrl: string | null;
  infoUrl: string | null;
  contact: string | null;
  contactHref: string | null;
  ownershipNotice: string;
  customNotice: boolean;
};

/**
 * The promise every archive page keeps (DESIGN.md, promise 2): the list
 * belongs to the site that hosts it, which answers for its data.
 */
export function ArchiveOwnership({ list, className = "" }: { list: OwnershipView; className?: string }) {
  const host = list.hostUrl ? <a href={list.hostUrl} rel="noopener">{list.hostName}</a> : <>{list.hostName}</>;
  return (
    <aside
      aria-label="Who owns this list"
      data-testid="archive-ownership"
      className={`rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-950 ${className}`}
    >
      <p>
        The <strong>{list.name}</strong> mailing list is hosted by {host}.
        {list.infoUrl ? (
          <>
            {" "}
            <a href={list.infoUrl} rel="noopener">List information and subscription</a> are at the host.
          </>
        ) : null}
      </p>
      <p className="mt-1">
        Threadline does not own or control this list&apos;s data; questions about its data practices go to {list.hostName}
        {list.contact ? (
          <>
            {" "}(
            {list.contactHref ? <a href={list.contactHref} rel="noopener">{list.contact}</a> : list.contact})
          </>
        ) : null}
        .
      </p>
      {list.customNotice ? <p className="mt-1">{list.ownershipNotice}</p> : null}
    </aside>
  );
}
