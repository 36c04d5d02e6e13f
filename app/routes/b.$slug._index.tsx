import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { Time } from "~/components/time";
import { WatchButton } from "~/components/watch-button";
import { getBoard, listBoardTopics, pageNumber, TOPICS_PER_PAGE } from "~/forums/read.server";
import { isWatching, readPositions, setWatch } from "~/forums/reading.server";
import { requireUser } from "~/utils/auth/guards.server";
import { notFound } from "~/utils/http";
import { isArchivedBoard } from "~/forums/manage-boards.server";
import { canCreateTopic, canSeeHiddenContent } from "~/utils/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.board.name}${data.page > 1 ? ` (page ${data.page})` : ""} · Threadline` },
        { name: "description", content: data.board.description },
        { tagName: "link", rel: "canonical", href: `/b/${data.board.slug}${data.page > 1 ? `?page=${data.page}` : ""}` },
        { tagName: "link", rel: "alternate", type: "application/atom+xml", href: `/b/${data.board.slug}/feed.atom`, title: data.board.name },
      ]
    : [];

async function visibleBoard(slug: string | undefined, actor: { id: number; role: string } | undefined) {
  const board = await getBoard(slug ?? "");
  if (!board || (board.hiddenAt && !canSeeHiddenContent(actor))) notFound("There is no board at this address.");
  return board;
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = context.auth?.user;
  const board = await visibleBoard(params.slug, user);
  const lastPage = Math.max(1, Math.ceil(board.topicCount / TOPICS_PER_PAGE));
  const page = pageNumber(new URL(request.url).searchParams.get("page"), lastPage);
  const topics = await listBoardTopics(board.id, page);
  const [read, watching] = user
    ? await Promise.all([readPositions(user.id, topics.map((t) => t.id)), isWatching(user.id, "board", board.id)])
    : [new Map<number, number>(), false];
  return {
    board: { slug: board.slug, name: board.name, description: board.description, forum: { name: board.forum.name, slug: board.forum.slug }, closed: Boolean(board.hiddenAt), archived: isArchivedBoard(board) },
    page,
    lastPage,
    viewer: user ? { watching, canCreate: canCreateTopic(user) && !board.hiddenAt && !isArchivedBoard(board) } : null,
    topics: topics.map(({ lastPostNumber, ...t }) => {
      const lastRead = read.get(t.id);
      return {
        ...t,
        bumpedAt: t.bumpedAt.toISOString(),
        // Unread markers only for members who opened the topic before; new topics say "new".
        unread: user ? (lastRead === undefined ? "new" : lastPostNumber > lastRead ? `${lastPostNumber - lastRead} new` : null) : null,
      };
    }),
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const board = await visibleBoard(params.slug, user);
  const intent = (await request.formData()).get("intent");
  await setWatch(user.id, "board", board.id, intent === "watch");
  return { ok: true };
}

export default function BoardPage() {
  const { board, page, lastPage, topics, viewer } = useLoaderData<typeof loader>();
  return (
    <div>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <a href="/forums">Forums</a> › {board.forum.name}
      </nav>
      <div className="mt-1 flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold">{board.name}</h1>
          <p className="text-slate-600">{board.description}</p>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          <a className="btn-secondary" href={`/b/${board.slug}/feed.atom`}>Atom feed</a>
          {viewer ? <WatchButton watching={viewer.watching} label="board" /> : null}
          {viewer?.canCreate ? <a className="btn" href={`/b/${board.slug}/new`}>New topic</a> : null}
          {!viewer && !board.archived ? <a className="btn" href={`/login?redirectTo=${encodeURIComponent(`/b/${board.slug}/new`)}`}>Log in to post</a> : null}
        </div>
      </div>
      {board.archived ? (
        <p role="status" className="mt-3 rounded-md border border-slate-300 bg-slate-100 p-3 text-sm">
          <strong>This board is archived.</strong> Its topics stay readable; it takes no new topics or replies.
        </p>
      ) : null}
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
                {topic.unread ? (
                  <a href={`/t/${topic.id}/${topic.slug}/unread`} className="ml-2 rounded-full bg-brand-100 px-2 py-0.5 text-xs font-semibold text-brand-900 no-underline">
                    {topic.unread}
                  </a>
                ) : null}
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
