import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { openQueueCount } from "~/moderation/queue.server";
import { requireModerator } from "~/utils/auth/guards.server";

export const meta: MetaFunction = () => [{ title: "Moderation · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  return { openItems: await openQueueCount() };
}

export default function Moderation() {
  const { openItems } = useLoaderData<typeof loader>();
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
            <a href="/chat">Chat rooms</a>
          </h2>
          <p className="text-sm text-slate-600">
            Create rooms (<a href="/chat/new">new room</a>); each room's settings page renames, describes, slows down or archives it and lifts mutes.
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
      </ul>
      <p className="text-sm text-slate-500">Topics, posts and chat messages are moderated from their own pages.</p>
    </div>
  );
}
