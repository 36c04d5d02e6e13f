import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { excerptOf } from "~/archive/quote-fold";
import { loadThread, pageOfEntry, resolveThread, threadNeighbours } from "~/archive/read-thread.server";
import { findVisibleList, maskerFor, presentList, viewerOf } from "~/archive/read.server";
import { ArchiveBreadcrumb } from "~/components/archive-breadcrumb";
import { ArchiveOwnership } from "~/components/archive-ownership";
import { ArchiveThreadItem, ArchiveThreadToc, TOC_THRESHOLD } from "~/components/archive-thread-view";
import { Pagination } from "~/components/pagination";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.thread.subject} · ${data.list.name} · Threadline` },
        { name: "description", content: data.description || `A thread of the ${data.list.name} mailing list, hosted by ${data.list.hostName}.` },
        { tagName: "link", rel: "canonical", href: data.page > 1 ? `${data.thread.url}?page=${data.page}` : data.thread.url },
        ...(data.readable === 0 ? [{ name: "robots", content: "noindex" }] : []),
      ]
    : [];

export const headers: HeadersFunction = ({ loaderHeaders }) => {
  const cacheControl = loaderHeaders.get("Cache-Control");
  const out: Record<string, string> = {};
  if (cacheControl) out["Cache-Control"] = cacheControl;
  return out;
};

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const viewer = viewerOf(context.auth?.user);
  const list = await findVisibleList(params.slug, viewer);
  const { thread, viaMessage } = await resolveThread(list, params.publicId);
  const url = `/lists/${list.slug}/thread/${thread.publicId}`;
  const requested = Number.parseInt(new URL(request.url).searchParams.get("page") ?? "1", 10);
  const [{ items, toc, page, pageCount, readableCount, missing, removed }, neighbours] = await Promise.all([
    loadThread(list, thread, viewer, { page: Number.isFinite(requested) ? requested : 1 }),
    threadNeighbours(list, thread, viewer),
  ]);
  // Any message's id names its thread; the thread's own id is the canonical one.
  if (viaMessage) {
    const at = pageOfEntry(toc, viaMessage);
    throw redirect(`${url}${at > 1 ? `?page=${at}` : ""}#m-${viaMessage}`);
  }
  const mask = maskerFor(viewer, list);
  const first = items.find((item) => item.kind === "message");
  const payload = {
    list: presentList(list),
    thread: { publicId: thread.publicId, url, subject: mask(thread.subject) || "(no subject)", mboxUrl: `${url}/mbox` },
    items,
    toc,
    page,
    pageCount,
    readable: readableCount,
    missing,
    removed,
    neighbours,
    description: first && first.kind === "message" ? excerptOf(first.blocks.filter((b) => b.kind === "text").map((b) => b.text).join("\n"), 160) : "",
  };
  // Everything in it was taken down: the thread is gone for visitors.
  return readableCount === 0 && removed > 0 ? data(payload, { status: 410, headers: { "Cache-Control": "no-cache" } }) : payload;
}

export default function ThreadPage() {
  const { list, thread, items, toc, page, pageCount, missing, removed, neighbours } = useLoaderData<typeof loader>();
  return (
    <div>
      <ArchiveBreadcrumb items={[{ label: list.name, href: list.url }, { label: "Thread" }]} />
      <div className="mt-1 flex flex-wrap items-start justify-between gap-3">
        <h1 className="text-2xl font-semibold">{thread.subject}</h1>
        <a className="btn-secondary" href={thread.mboxUrl} rel="nofollow">Download thread as mbox</a>
      </div>
      <ArchiveOwnership list={list} className="mt-4" />
      {missing ? (
        <p role="note" className="mt-4 text-sm text-slate-600">
          {missing} referenced message{missing === 1 ? " was" : "s were"} not received by the archive; {missing === 1 ? "its place is" : "their places are"} marked below.
        </p>
      ) : null}
      {removed ? (
        <p role="note" className="mt-2 text-sm text-slate-600">
          {removed} message{removed === 1 ? " was" : "s were"} removed from the archive.
        </p>
      ) : null}
      {toc.length > TOC_THRESHOLD ? <ArchiveThreadToc entries={toc} page={page} /> : null}
      {pageCount > 1 ? <p className="mt-4 text-sm text-slate-600">Page {page} of {pageCount} of this thread.</p> : null}
      <ol className="mt-4 space-y-3">
        {items.map((item) => (
          <ArchiveThreadItem key={item.publicId} item={item} />
        ))}
      </ol>
      <Pagination page={page} lastPage={pageCount} basePath={thread.url} />
      <nav aria-label="Other threads" className="mt-6 flex flex-wrap justify-between gap-3 text-sm">
        {neighbours.older ? (
          <a href={neighbours.older.url} rel="prev">← Older thread: {neighbours.older.subject}</a>
        ) : <span />}
        {neighbours.newer ? <a href={neighbours.newer.url} rel="next">Newer thread: {neighbours.newer.subject} →</a> : null}
      </nav>
    </div>
  );
}
