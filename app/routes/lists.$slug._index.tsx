import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { findVisibleList, listThreadsPage, monthCounts, monthIndex, presentList, viewerOf } from "~/archive/read.server";
import { ArchiveBreadcrumb } from "~/components/archive-breadcrumb";
import { ArchiveOwnership } from "~/components/archive-ownership";
import { ArchiveTime } from "~/components/archive-time";
import { Pagination } from "~/components/pagination";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.list.name}${data.page > 1 ? ` (page ${data.page})` : ""} · Mailing-list archive · Threadline` },
        { name: "description", content: data.list.description || `Archive of the ${data.list.name} mailing list, hosted by ${data.list.hostName}.` },
        { tagName: "link", rel: "canonical", href: `${data.list.url}${data.page > 1 ? `?page=${data.page}` : ""}` },
        { tagName: "link", rel: "alternate", type: "application/atom+xml", href: `${data.list.url}/feed.atom`, title: data.list.name },
      ]
    : [];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const viewer = viewerOf(context.auth?.user);
  const list = await findVisibleList(params.slug, viewer);
  const [threads, counts] = await Promise.all([
    listThreadsPage(list, viewer, new URL(request.url).searchParams.get("page")),
    monthCounts(list),
  ]);
  return { list: presentList(list), ...threads, months: monthIndex(counts, list.slug) };
}

export default function ListPage() {
  const { list, threads, page, lastPage, months } = useLoaderData<typeof loader>();
  return (
    <div>
      <ArchiveBreadcrumb items={[{ label: list.name }]} />
      <div className="mt-1 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{list.name}</h1>
          {list.description ? <p className="text-slate-600">{list.description}</p> : null}
          {list.hidden ? <p className="mt-1 text-sm font-medium text-amber-800">Hidden: only moderators can see this list.</p> : null}
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <a className="btn-secondary" href={`${list.url}/feed.atom`}>Atom feed</a>
          {list.listAddress ? <a className="btn" href={`mailto:${list.listAddress}`}>Post to the list by email</a> : null}
        </div>
      </div>
      <ArchiveOwnership list={list} className="mt-4" />

      <div className="mt-6 grid gap-6 lg:grid-cols-[1fr_16rem]">
        <section aria-labelledby="threads-heading">
          <h2 id="threads-heading" className="text-lg font-semibold">Recent threads</h2>
          {threads.length === 0 ? <p className="mt-2 text-slate-600">No messages archived yet.</p> : null}
          <ul className="card mt-2 divide-y divide-slate-100">
            {threads.map((thread) => (
              <li key={thread.publicId} className="flex flex-wrap items-baseline justify-between gap-2 px-4 py-3 text-sm">
                <div className="min-w-0">
                  <a href={thread.url} className="font-medium">{thread.subject}</a>
                  <div className="text-xs text-slate-500">
                    {thread.startedBy ? `started by ${thread.startedBy} · ` : ""}
                    {thread.messageCount} message{thread.messageCount === 1 ? "" : "s"}
                    {thread.missingCount ? ` · ${thread.missingCount} not received` : ""}
                  </div>
                </div>
                <span className="text-xs text-slate-500">
                  <ArchiveTime date={thread.lastAt} dateOnly />
                </span>
              </li>
            ))}
          </ul>
          <Pagination page={page} lastPage={lastPage} basePath={list.url} />
        </section>

        <section aria-labelledby="months-heading">
          <h2 id="months-heading" className="text-lg font-semibold">By month</h2>
          {months.length === 0 ? <p className="mt-2 text-sm text-slate-600">Nothing yet.</p> : null}
          <ul className="mt-2 space-y-3 text-sm">
            {months.map((year) => (
              <li key={year.year}>
                <h3 className="font-semibold">
                  {year.year} <span className="font-normal text-slate-500">({year.total.toLocaleString("en")})</span>
                </h3>
                <ul className="mt-1 grid grid-cols-3 gap-1">
                  {year.months.map((month) => (
                    <li key={month.month}>
                      <a href={month.url} className="block rounded px-1.5 py-0.5 hover:bg-slate-100" aria-label={`${MONTHS[month.month - 1]} ${year.year}: ${month.count} messages`}>
                        {MONTHS[month.month - 1]} <span className="text-xs text-slate-500">{month.count}</span>
                      </a>
                    </li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </div>
  );
}
