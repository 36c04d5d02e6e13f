import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listArchives, viewerOf } from "~/archive/read.server";
import { ArchiveActivityChart } from "~/components/archive-activity-chart";
import { ArchiveTime } from "~/components/archive-time";

export const meta: MetaFunction = () => [
  { title: "Mailing-list archives · Threadline" },
  { name: "description", content: "Browsable archives of mailing lists that other sites host, thread by thread and month by month." },
  { tagName: "link", rel: "canonical", href: "/lists" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  return { lists: await listArchives(viewerOf(context.auth?.user)) };
}

export default function Lists() {
  const { lists } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="text-2xl font-semibold">Mailing-list archives</h1>
      <p className="mt-1 max-w-3xl text-slate-600">
        Threadline keeps readable copies of mailing lists that other sites host. Each list belongs to its host, named
        on every page: Threadline does not own or control these lists or their data.
      </p>
      {lists.length === 0 ? <p className="mt-6 text-slate-600">No lists are archived yet.</p> : null}
      <ul className="mt-6 space-y-3">
        {lists.map((list) => (
          <li key={list.slug} className="card flex flex-wrap items-center justify-between gap-4 p-4" data-testid="archive-list">
            <div className="min-w-0 flex-1">
              <h2 className="text-lg font-semibold">
                <a href={list.url}>{list.name}</a>
                {list.hidden ? <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-700">Hidden</span> : null}
              </h2>
              {list.description ? <p className="text-sm text-slate-600">{list.description}</p> : null}
              <p className="mt-1 text-sm text-slate-500">
                Hosted by {list.hostUrl ? <a href={list.hostUrl} rel="noopener">{list.hostName}</a> : list.hostName} ·{" "}
                {list.messageCount.toLocaleString("en")} message{list.messageCount === 1 ? "" : "s"}
                {list.lastMessageAt ? (
                  <>
                    {" "}· last activity <ArchiveTime date={list.lastMessageAt} dateOnly />
                  </>
                ) : null}
              </p>
            </div>
            <ArchiveActivityChart activity={list.activity} name={list.name} />
          </li>
        ))}
      </ul>
    </div>
  );
}
