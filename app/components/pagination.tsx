/** Numbered pages with stable URLs (?page=N), usable without JavaScript. */
export function Pagination({ page, lastPage, basePath }: { page: number; lastPage: number; basePath: string }) {
  if (lastPage <= 1) return null;
  const href = (n: number) => (n === 1 ? basePath : `${basePath}?page=${n}`);
  const pages = [...new Set([1, page - 2, page - 1, page, page + 1, page + 2, lastPage])].filter((n) => n >= 1 && n <= lastPage).sort((a, b) => a - b);
  return (
    <nav aria-label="Pages" className="mt-6 flex flex-wrap items-center gap-1 text-sm">
      {page > 1 ? <a className="btn-secondary" href={href(page - 1)} rel="prev">Previous</a> : null}
      {pages.map((n, i) => (
        <span key={n} className="flex items-center gap-1">
          {i > 0 && n - pages[i - 1]! > 1 ? <span className="px-1 text-slate-400">…</span> : null}
          {n === page ? (
            <span aria-current="page" className="rounded-md bg-brand-600 px-3 py-1.5 font-semibold text-white">{n}</span>
          ) : (
            <a className="rounded-md px-3 py-1.5 no-underline hover:bg-slate-100" href={href(n)}>{n}</a>
          )}
        </span>
      ))}
      {page < lastPage ? <a className="btn-secondary" href={href(page + 1)} rel="next">Next</a> : null}
    </nav>
  );
}
