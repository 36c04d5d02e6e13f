import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { Time } from "~/components/time";
import { getBoard, listBoardTopics, pageNumber, TOPICS_PER_PAGE } from "~/forums/read.server";
import { notFound } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.board.name} · Threadline` }, { name: "description", content: data.board.description }] : [];

export async function loader({ params, request }: LoaderFunctionArgs) {
  const board = await getBoard(params.slug ?? "");
  if (!board) notFound("There is no board at this address.");
  const lastPage = Math.max(1, Math.ceil(board.topicCount / TOPICS_PER_PAGE));
  const page = pageNumber(new URL(request.url).searchParams.get("page"), lastPage);
  const topics = await listBoardTopics(board.id, page);
  return { board, page, lastPage, topics: topics.map((t) => ({ ...t, bumpedAt: t.bumpedAt.toISOString() })) };
}

export default function BoardPage() {
  const { board, page, lastPage, topics } = useLoaderData<typeof loader>();
  return (
    <div>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <a href="/forums">Forums</a> › {board.forum.name}
      </nav>
      <h1 className="mt-1 text-2xl font-semibold">{board.name}</h1>
      <p className="text-slate-600">{board.description}</p>
      <table className="card mt-6 w-full overflow-hidden text-sm">
        <thead className="bg-slate-50 text-left text-slate-500">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">Topic</th>
            <th scope="col" className="hidden px-4 py-2 text-right font-medium sm:table-cell">Replies</th>
            <th scope="col" className="hidden px-4 py-2 text-right font-medium sm:table-cell">Views</th>
            <th scope="col" className="px-4 py-2 text-right font-medium">Last activity</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {topics.map((topic) => (
            <tr key={topic.id}>
              <td className="px-4 py-3">
                {topic.pinned ? <span className="mr-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-800">Pinned</span> : null}
                {topic.locked ? <span className="mr-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-700">Locked</span> : null}
                <a href={`/t/${topic.id}/${topic.slug}`} className="font-medium">{topic.title}</a>
                <div className="text-xs text-slate-500">by {topic.author.username}</div>
              </td>
              <td className="hidden px-4 py-3 text-right tabular-nums sm:table-cell">{Math.max(0, topic.postCount - 1)}</td>
              <td className="hidden px-4 py-3 text-right tabular-nums sm:table-cell">{topic.viewCount}</td>
              <td className="px-4 py-3 text-right text-slate-500">
                <Time date={topic.bumpedAt} />
                {topic.lastPoster ? <div className="text-xs">by {topic.lastPoster}</div> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {topics.length === 0 ? <p className="mt-4 text-slate-600">No topics yet.</p> : null}
      <Pagination page={page} lastPage={lastPage} basePath={`/b/${board.slug}`} />
    </div>
  );
}
