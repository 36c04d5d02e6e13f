import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { loadMonth, monthLabel, parseMonth, parseSort } from "~/archive/read-month.server";
import { findVisibleList, presentList, viewerOf } from "~/archive/read.server";
import { ArchiveBreadcrumb } from "~/components/archive-breadcrumb";
import { ArchiveOwnership } from "~/components/archive-ownership";
import { ArchiveTime } from "~/components/archive-time";
import { indentClass } from "~/components/archive-thread-view";
import { Pagination } from "~/components/pagination";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [];
  const query = new URLSearchParams();
  if (data.sort !== "thread") query.set("sort", data.sort);
  if (data.page > 1) query.set("page", String(data.page));
  const qs = query.toString();
  return [
    { title: `${data.label} · ${data.list.name} · Threadline` },
    { name: "description", content: `${data.total} messages to the ${data.list.name} mailing list (hosted by ${data.list.hostName}) in ${data.label}.` },
    { tagName: "link", rel: "canonical", href: `${data.base}${qs ? `?${qs}` : ""}` },
  ];
};

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const viewer = viewerOf(context.auth?.user);
  const list = await findVisibleList(params.slug, viewer);
  const range = parseMonth(params.year, params.month);
  const search = new URL(request.url).searchParams;
  const sort = parseSort(search.get("sort"));
  const month = await loadMonth(list, range, viewer, sort, search.get("page"));
  const base = `/lists/${list.slug}/${params.year}/${params.month}`;
  return { list: presentList(list), label: monthLabel(range.year, range.month), base, ...month };
}

const SORTS = [
  { value: "thread", label: "By thread" },
  { value: "date", label: "By date" },
  { value: "author", label: "By author" },
] as const;

export default function MonthPage() {
  const { list, label, base, sort, page, lastPage, total, neighbours, threads, messages } = useLoaderData<typeof loader>();
  const sortPath = sort === "thread" ? base : `${base}?sort=${sort}`;
  return (
    <div>
      <ArchiveBreadcrumb items={[{ label: list.name, href: list.url }, { label }]} />
      <div className="mt-1 flex flex-wrap items-start justify-between gap-3">
        <h1 className="text-2xl font-semibold">
          {list.name}: {label}
        </h1>
        <a className="btn-secondary" href={`${base}/mbox`} rel="nofollow">Download month as mbox</a>
      </div>
      <p className="text-sm text-slate-600">{total.toLocaleString("en")} message{total === 1 ? "" : "s"}</p>
      <ArchiveOwnership list={list} className="mt-4" />

      <div className="mt-4 flex flex-wrap items-center justify-between gap-3 text-sm">
        <nav aria-label="Sort order" className="flex gap-1">
          {SORTS.map((s) =>
            s.value === sort ? (
              <span key={s.value} aria-current="true" className="rounded-md bg-slate-200 px-3 py-1 font-medium">{s.label}</span>
            ) : (
              <a key={s.value} href={s.value === "thread" ? base : `${base}?sort=${s.value}`} className="rounded-md px-3 py-1 hover:bg-slate-100">{s.label}</a>
            ),
          )}
        </nav>
        <nav aria-label="Months" className="flex gap-2">
          {neighbours.previous ? <a href={neighbours.previous.url} rel="prev">← {neighbours.previous.label}</a> : null}
          {neighbours.next ? <a href={neighbours.next.url} rel="next">{neighbours.next.label} →</a> : null}
        </nav>
      </div>

      {total === 0 ? <p className="mt-6 text-slate-600">No messages this month.</p> : null}

      {sort === "thread" ? (
        <ul className="mt-4 space-y-3">
          {threads.map((thread) => (
            <li key={thread.publicId} className="card p-4">
              <h2 className="font-semibold">
                <a href={thread.url}>{thread.subject}</a>
                <span className="ml-2 text-xs font-normal text-slate-500">{thread.messageCount} in thread</span>
              </h2>
              <ul className="mt-2 space-y-1 text-sm">
                {thread.messages.map((m) => (
                  <li key={m.publicId} className={indentClass(m.depth)}>
                    {m.subject === null ? (
                      <>
                        <a href={m.url}>{m.from}</a> <span className="text-slate-500">· <ArchiveTime date={m.date} /></span>
                      </>
                    ) : (
                      <>
                        <a href={m.url}>{m.subject}</a> <span className="text-slate-500">· {m.from} · <ArchiveTime date={m.date} /></span>
                      </>
                    )}
                    {m.hidden ? <span className="ml-1 text-xs text-amber-800">(hidden)</span> : null}
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      ) : (
        <table className="card mt-4 w-full overflow-hidden text-sm">
          <thead className="bg-slate-50 text-left text-slate-500">
            <tr>
              <th scope="col" className="px-4 py-2 font-medium">Subject</th>
              <th scope="col" className="px-4 py-2 font-medium">From</th>
              <th scope="col" className="px-4 py-2 text-right font-medium">Date</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {messages.map((m) => (
              <tr key={m.publicId}>
                <td className="px-4 py-2">
                  <a href={m.url}>{m.subject}</a>
                  {m.hidden ? <span className="ml-1 text-xs text-amber-800">(hidden)</span> : null}
                </td>
                <td className="px-4 py-2 text-slate-600">{m.from}</td>
                <td className="px-4 py-2 text-right text-slate-500"><ArchiveTime date={m.date} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <PaginationWithSort page={page} lastPage={lastPage} basePath={sortPath} />
    </div>
  );
}

/** Pagination keeps ?sort= (the shared component only knows ?page=). */
function PaginationWithSort({ page, lastPage, basePath }: { page: number; lastPage: number; basePath: string }) {
  if (!basePath.includes("?")) return <Pagination page={page} lastPage={lastPage} basePath={basePath} />;
  if (lastPage <= 1) return null;
  return (
    <nav aria-label="Pages" className="mt-6 flex flex-wrap items-center gap-2 text-sm">
      {page > 1 ? <a className="btn-secondary" href={`${basePath}&page=${page - 1}`} rel="prev">Previous</a> : null}
      <span>
        Page {page} of {lastPage}
      </span>
      {page < lastPage ? <a className="btn-secondary" href={`${basePath}&page=${page + 1}`} rel="next">Next</a> : null}
    </nav>
  );
}
