import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listAllLists } from "~/archive/lists.server";
import { ArchiveTime } from "~/components/archive-time";
import { requireModerator } from "~/utils/auth/guards.server";

export const meta: MetaFunction = () => [{ title: "Archived lists · Moderation · Threadline" }, { name: "robots", content: "noindex" }];

const SOURCE_LABELS: Record<string, string> = { none: "None", mbox: "mbox", imap: "IMAP" };

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  const lists = await listAllLists();
  return {
    lists: lists.map((list) => ({
      slug: list.slug,
      name: list.name,
      visibility: list.visibility,
      active: list.active,
      sourceType: list.sourceType,
      imapHost: list.imapHost,
      messageCount: list.messageCount,
      threadCount: list.threadCount,
      lastSyncedAt: list.lastSyncedAt?.toISOString() ?? null,
      lastMessageAt: list.lastMessageAt?.toISOString() ?? null,
    })),
  };
}

export default function ModerateLists() {
  const { lists } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm text-slate-600">
            <a href="/mod">Moderation</a> ›
          </p>
          <h1 className="text-2xl font-semibold">Archived lists</h1>
          <p className="text-sm text-slate-600">Every list, hidden ones included. New lists stay hidden until published.</p>
        </div>
        <a href="/mod/lists/new" className="btn">
          New list
        </a>
      </div>
      {lists.length === 0 ? (
        <p className="card p-5 text-slate-600">No lists yet.</p>
      ) : (
        <div className="card overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Archived lists</caption>
            <thead className="border-b border-slate-200 text-slate-600">
              <tr>
                <th scope="col" className="p-3">List</th>
                <th scope="col" className="p-3">Visibility</th>
                <th scope="col" className="p-3">Source</th>
                <th scope="col" className="p-3 text-right">Messages</th>
                <th scope="col" className="p-3 text-right">Threads</th>
                <th scope="col" className="p-3">Last sync</th>
                <th scope="col" className="p-3">Links</th>
              </tr>
            </thead>
            <tbody>
              {lists.map((list) => (
                <tr key={list.slug} className="border-b border-slate-100 last:border-0" data-testid="mod-list-row">
                  <th scope="row" className="p-3 font-medium">
                    <a href={`/mod/lists/${list.slug}`}>{list.name}</a>
                    <div className="font-mono text-xs text-slate-500">{list.slug}</div>
                  </th>
                  <td className="p-3">
                    {list.visibility === "public" ? "Public" : <span className="rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-700">Hidden</span>}
                  </td>
                  <td className="p-3">
                    {SOURCE_LABELS[list.sourceType] ?? list.sourceType}
                    {list.sourceType === "imap" ? <div className="text-xs text-slate-500">{list.imapHost}{list.active ? "" : " · inactive"}</div> : null}
                  </td>
                  <td className="p-3 text-right">{list.messageCount.toLocaleString("en")}</td>
                  <td className="p-3 text-right">{list.threadCount.toLocaleString("en")}</td>
                  <td className="p-3">{list.lastSyncedAt ? <ArchiveTime date={list.lastSyncedAt} /> : <span className="text-slate-400">never</span>}</td>
                  <td className="space-x-2 p-3 whitespace-nowrap">
                    <a href={`/mod/lists/${list.slug}`} aria-label={`Manage ${list.name}`}>Manage</a>
                    <a href={`/mod/lists/${list.slug}/edit`} aria-label={`Edit ${list.name}`}>Edit</a>
                    <a href={`/lists/${list.slug}`} aria-label={`Archive of ${list.name}`}>Archive</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
