import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ArchiveButton, InlineErrors, MoveButtons, NameForm } from "~/components/manage-forms";
import { ModStatus, type ModFeedback } from "~/components/mod-forms";
import { handleBoardManagementForm } from "~/forums/manage-actions.server";
import { loadBoardManagement } from "~/forums/manage-page.server";
import { requireModerator } from "~/utils/auth/guards.server";

export const meta: MetaFunction = () => [{ title: "Forums and boards · Moderation · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  return { forums: await loadBoardManagement() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = requireModerator(request, context);
  return handleBoardManagementForm(moderator, await request.formData());
}

type Forum = Awaited<ReturnType<typeof loader>>["forums"][number];
type Board = Forum["boards"][number];

export default function ManageBoards() {
  const { forums } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>() as ModFeedback;
  return (
    <div className="mx-auto max-w-4xl space-y-6">
      <div>
        <p className="text-sm"><a href="/mod">Moderation</a> ›</p>
        <h1 className="text-2xl font-semibold">Forums and boards</h1>
        <p className="text-sm text-slate-600">
          The order here is the order of the <a href="/forums">forum index</a>. Archived forums and boards stay readable and take no new topics or replies.
          Every change goes to the <a href="/mod/log">audit log</a>.
        </p>
      </div>
      <ModStatus feedback={feedback} />
      {forums.map((forum, index) => (
        <ForumCard key={forum.id} forum={forum} first={index === 0} last={index === forums.length - 1} feedback={feedback} />
      ))}
      <section className="card space-y-2 p-5" aria-labelledby="new-forum-heading">
        <h2 id="new-forum-heading" className="font-semibold">New forum</h2>
        <InlineErrors feedback={feedback} form="forum-create" />
        <NameForm intent="forum-create" hidden={{}} label="New forum" values={{ name: "", description: "" }} withSlug button="Create forum" />
      </section>
    </div>
  );
}

function ForumCard({ forum, first, last, feedback }: { forum: Forum; first: boolean; last: boolean; feedback: ModFeedback }) {
  return (
    <section className="card space-y-4 p-5" aria-label={`Forum ${forum.name}`}>
      <header className="flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">
          {forum.name} {forum.archived ? <span className="ml-1 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-700">Archived</span> : null}
        </h2>
        <div className="flex items-center gap-2">
          <MoveButtons intent="forum-move" id={forum.id} label={`forum ${forum.name}`} first={first} last={last} />
          <ArchiveButton intent="forum-archive" id={forum.id} label={`forum ${forum.name}`} archived={forum.archived} />
        </div>
      </header>
      <InlineErrors feedback={feedback} form={`forum-move:${forum.id}`} />
      <details>
        <summary className="cursor-pointer text-sm font-medium">Rename or describe the forum</summary>
        <div className="mt-2">
          <InlineErrors feedback={feedback} form={`forum-edit:${forum.id}`} />
          <NameForm intent="forum-edit" hidden={{ id: forum.id }} label={`Edit forum ${forum.name}`} values={forum} button="Save forum" />
        </div>
      </details>
      <ol className="divide-y divide-slate-100 rounded-md border border-slate-200">
        {forum.boards.map((board, index) => (
          <BoardRow key={board.id} board={board} first={index === 0} last={index === forum.boards.length - 1} feedback={feedback} />
        ))}
        {forum.boards.length === 0 ? <li className="p-3 text-sm text-slate-600">No boards yet.</li> : null}
      </ol>
      <details>
        <summary className="cursor-pointer text-sm font-medium">Add a board to {forum.name}</summary>
        <div className="mt-2">
          <InlineErrors feedback={feedback} form={`board-create:${forum.id}`} />
          <NameForm intent="board-create" hidden={{ forumId: forum.id }} label={`New board in ${forum.name}`} values={{ name: "", description: "" }} withSlug button="Create board" />
        </div>
      </details>
    </section>
  );
}

function BoardRow({ board, first, last, feedback }: { board: Board; first: boolean; last: boolean; feedback: ModFeedback }) {
  return (
    <li className="space-y-2 p-3" aria-label={`Board ${board.name}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <div>
          <a href={`/b/${board.slug}`} className="font-medium">{board.name}</a>
          {board.archived ? <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-700">Archived</span> : null}
          {board.hidden ? <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-800">Hidden</span> : null}
          <p className="text-sm text-slate-600">{board.description} <span className="text-slate-400">· {board.topicCount} topics</span></p>
        </div>
        <div className="flex items-center gap-2">
          <MoveButtons intent="board-move" id={board.id} label={`board ${board.name}`} first={first} last={last} />
          <ArchiveButton intent="board-archive" id={board.id} label={`board ${board.name}`} archived={board.archived} />
        </div>
      </div>
      <InlineErrors feedback={feedback} form={`board-move:${board.id}`} />
      <details>
        <summary className="cursor-pointer text-sm">Rename, describe and moderators ({board.moderators.length})</summary>
        <div className="mt-2 space-y-3">
          <InlineErrors feedback={feedback} form={`board-edit:${board.id}`} />
          <NameForm intent="board-edit" hidden={{ id: board.id }} label={`Edit board ${board.name}`} values={board} button="Save board" />
          <BoardModerators board={board} feedback={feedback} />
        </div>
      </details>
    </li>
  );
}

function BoardModerators({ board, feedback }: { board: Board; feedback: ModFeedback }) {
  return (
    <div className="space-y-2 rounded-md bg-slate-50 p-3 text-sm">
      <h3 className="font-medium">Board moderators</h3>
      <p className="text-slate-600">They hide and restore posts, lock, pin, move, merge and split topics, and work the queue — on this board only.</p>
      <InlineErrors feedback={feedback} form={`moderator-remove:${board.id}`} />
      <ul className="space-y-1">
        {board.moderators.map((m) => (
          <li key={m.id} className="flex flex-wrap items-center gap-2">
            <a href={`/u/${m.username}`}>{m.username}</a>
            <Form method="post" className="flex items-center gap-1" aria-label={`Remove ${m.username}`}>
              <input type="hidden" name="intent" value="moderator-remove" />
              <input type="hidden" name="boardId" value={board.id} />
              <input type="hidden" name="userId" value={m.id} />
              <label className="sr-only" htmlFor={`remove-${board.id}-${m.id}`}>Reason</label>
              <input id={`remove-${board.id}-${m.id}`} name="reason" className="input w-40 py-1" placeholder="Reason" required minLength={3} />
              <button type="submit" className="btn-secondary py-1">Remove</button>
            </Form>
          </li>
        ))}
        {board.moderators.length === 0 ? <li className="text-slate-600">None: site moderators look after it.</li> : null}
      </ul>
      <InlineErrors feedback={feedback} form={`moderator-add:${board.id}`} />
      <Form method="post" className="flex flex-wrap items-end gap-2" aria-label={`Add a moderator to ${board.name}`}>
        <input type="hidden" name="intent" value="moderator-add" />
        <input type="hidden" name="boardId" value={board.id} />
        <label className="block">
          <span className="font-medium">Username</span>
          <input name="username" className="input mt-1 py-1" required />
        </label>
        <label className="block">
          <span className="font-medium">Reason</span>
          <input name="reason" className="input mt-1 py-1" required minLength={3} />
        </label>
        <button type="submit" className="btn-secondary">Add moderator</button>
      </Form>
    </div>
  );
}
