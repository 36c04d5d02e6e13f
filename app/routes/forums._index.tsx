import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { listForums } from "~/forums/read.server";

export const meta: MetaFunction = () => [
  { title: "Forums · Threadline" },
  { name: "description", content: "Discussion boards for developer communities." },
];

export async function loader() {
  const forums = await listForums();
  return {
    forums: forums.map((forum) => ({
      ...forum,
      boards: forum.boards.map(({ archivedAt, ...board }) => ({
        ...board,
        archived: Boolean(archivedAt || forum.archivedAt),
        lastPostedAt: board.lastPostedAt?.toISOString() ?? null,
      })),
    })),
  };
}

export default function Forums() {
  const { forums } = useLoaderData<typeof loader>();
  return (
    <div className="space-y-8">
      <h1 className="text-2xl font-semibold">Forums</h1>
      {forums.map((forum) => (
        <section key={forum.slug} aria-labelledby={`forum-${forum.slug}`}>
          <h2 id={`forum-${forum.slug}`} className="text-lg font-semibold">{forum.name}</h2>
          {forum.description ? <p className="text-sm text-slate-600">{forum.description}</p> : null}
          <ul className="card mt-3 divide-y divide-slate-100">
            {forum.boards.map((board) => (
              <li key={board.slug} className="grid gap-1 px-4 py-3 sm:grid-cols-[1fr_auto] sm:items-center">
                <div>
                  <a href={`/b/${board.slug}`} className="font-medium">{board.name}</a>
                  {board.archived ? <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-700">Archived</span> : null}
                  <p className="text-sm text-slate-600">{board.description}</p>
                </div>
                <p className="text-sm text-slate-500">
                  {board.topicCount} topics · {board.postCount} posts
                  {board.lastPostedAt ? <> · last post <Time date={board.lastPostedAt} /></> : null}
                </p>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
