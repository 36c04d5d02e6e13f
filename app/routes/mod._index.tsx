import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { loadQueue, openQueueCount, parseQueueFilters } from "~/moderation/queue.server";
import { db } from "~/utils/db.server";
import { requireAnyModeration } from "~/forums/board-moderators.server";
import { canAdminister } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Moderation · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, scope } = await requireAnyModeration(request, context);
  if (scope !== "all") {
    // Board moderators: their boards' queue, nothing site-wide.
    const boards = await db.board.findMany({ where: { id: { in: scope } }, orderBy: { name: "asc" }, select: { slug: true, name: true } });
    const { total } = await loadQueue(parseQueueFilters(new URLSearchParams()), user, scope);
    return { openItems: total, siteModerator: false, admin: false, boards };
  }
  return { openItems: await openQueueCount(), siteModerator: true, admin: canAdminister(user), boards: [] };
}

export default function Moderation() {
  const { openItems, siteModerator, admin, boards } = useLoaderData<typeof loader>();
  if (!siteModerator) return <BoardModeration openItems={openItems} boards={boards} />;
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-semibold">Moderation</h1>
      <ul className="space-y-3">
        <li className="card p-5">
          <h2 className="font-semibold">
            <a href="/mod/queue">Review queue ({openItems} open)</a>
          </h2>
          <p className="text-sm text-slate-600">
            Posts held for approval, reported posts, chat messages and archived messages, appeals and import failures: everything that needs a decision, in one place.
          </p>
        </li>
        <li className="card p-5">
          <h2 className="font-semibold">
            <a href="/mod/lists">Archived lists</a>
          </h2>
          <p className="text-sm text-slate-600">
            Add and edit mailing lists, publish or hide them, sync IMAP sources, and deal with import failures.
          </p>
        </li>
        <li className="card p-5">
          <h2 className="font-semibold">
            <a href="/mod/boards">Forums and boards</a>
          </h2>
          <p className="text-sm text-slate-600">
            Create, rename, describe, reorder and archive forums and boards, and choose each board's own moderators.
          </p>
        </li>
        <li className="card p-5">
          <h2 className="font-semibold">
            <a href="/mod/rooms">Chat rooms</a>
          </h2>
          <p className="text-sm text-slate-600">
            Create, reorder and archive rooms; each room's settings page renames, describes, slows down or archives it and lifts mutes.
          </p>
        </li>
        <li className="card p-5">
          <h2 className="font-semibold">
            <a href="/mod/watched-words">Watched words</a> · <a href="/mod/settings">Anti-spam settings</a>
          </h2>
          <p className="text-sm text-slate-600">
            Words that block, hold or flag posts and chat messages, and how many approved posts a new member needs before their posts (or links) go up unreviewed.
          </p>
        </li>
        <li className="card p-5">
          <h2 className="font-semibold">
            <a href="/mod/log">Audit log</a>
          </h2>
          <p className="text-sm text-slate-600">
            Every moderator and admin action with who, what, on what and why; filter it and export it as CSV.
          </p>
        </li>
        {admin ? (
          <li className="card p-5">
            <h2 className="font-semibold">
              <a href="/admin/users">Members (admin)</a>
            </h2>
            <p className="text-sm text-slate-600">Find accounts, change roles, suspend members and sign them out everywhere.</p>
          </li>
        ) : null}
      </ul>
      <p className="text-sm text-slate-500">Topics, posts and chat messages are moderated from their own pages.</p>
    </div>
  );
}

function BoardModeration({ openItems, boards }: { openItems: number; boards: { slug: string; name: string }[] }) {
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <h1 className="text-2xl font-semibold">Moderation</h1>
      <p className="text-slate-600">
        You moderate {boards.map((b, i) => (
          <span key={b.slug}>{i > 0 ? (i === boards.length - 1 ? " and " : ", ") : ""}<a href={`/b/${b.slug}`}>{b.name}</a></span>
        ))}: hide and restore posts, lock, pin, move, merge and split topics there, and decide reports and appeals about them.
      </p>
      <div className="card p-5">
        <h2 className="font-semibold">
          <a href="/mod/queue">Review queue ({openItems} open)</a>
        </h2>
        <p className="text-sm text-slate-600">Reported posts and appeals from your boards.</p>
      </div>
    </div>
  );
}
