import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { findByMessageId, normalizeMessageId } from "~/archive/read-message.server";
import { viewerOf } from "~/archive/read.server";
import { ArchiveTime } from "~/components/archive-time";

export const meta: MetaFunction = () => [{ title: "Message-ID look-up · Threadline" }, { name: "robots", content: "noindex" }];

/** The Message-ID from the raw path: a splat, so ids with "/" in them survive. */
function rawId(request: Request): string {
  const path = new URL(request.url).pathname;
  return path.replace(/^\/mid\/?/, "");
}

export async function loader({ request, context }: LoaderFunctionArgs) {
  const messageId = normalizeMessageId(rawId(request));
  const matches = messageId ? await findByMessageId(messageId, viewerOf(context.auth?.user)) : [];
  if (matches.length === 1) throw redirect(matches[0]!.url);
  if (matches.length === 0) {
    throw data({ messageId: messageId ?? rawId(request) }, { status: 404 });
  }
  return { messageId, matches };
}

export default function MidChoice() {
  const { messageId, matches } = useLoaderData<typeof loader>();
  return (
    <div className="card mx-auto max-w-2xl p-6">
      <h1 className="text-xl font-semibold">This message was sent to several lists</h1>
      <p className="mt-1 break-all font-mono text-xs text-slate-500">&lt;{messageId}&gt;</p>
      <ul className="mt-4 space-y-3">
        {matches.map((m) => (
          <li key={m.url}>
            <a href={m.url} className="font-medium">{m.subject}</a>
            <div className="text-sm text-slate-600">
              in <strong>{m.list.name}</strong> (hosted by {m.list.hostName}) · {m.from} · <ArchiveTime date={m.date} />
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  const id = notFound && error.data && typeof error.data === "object" && "messageId" in error.data ? String(error.data.messageId) : "";
  return (
    <div className="card mx-auto max-w-xl p-8 text-center">
      <h1 className="text-2xl font-semibold">{notFound ? "No archived message with that Message-ID" : "Something went wrong"}</h1>
      {id ? <p className="mt-2 break-all font-mono text-xs text-slate-500">&lt;{id}&gt;</p> : null}
      <p className="mt-3 text-slate-600">
        {notFound
          ? "None of the lists archived here has it. It may have gone to a list we do not archive, or it was never received."
          : "Please try again in a moment."}
      </p>
      <p className="mt-6">
        <a href="/lists" className="btn">Browse the archived lists</a>
      </p>
    </div>
  );
}
