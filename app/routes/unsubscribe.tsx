import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { FORUM_EMAIL_DESCRIPTIONS, isForumEmailKind, unsubscribeFromLink } from "~/forums/notify-email.server";
import { OutcomeNotice } from "~/components/outcome-notice";

// The link at the foot of every forum email, and its List-Unsubscribe header.
// Opening it shows a button (link scanners change nothing); a POST to the
// same address, from the button or from the mail program's one-click
// unsubscribe (RFC 8058), switches that kind of email off. server.ts lets
// this one POST in without the same-origin check, as mail programs send it.

export const meta: MetaFunction = () => [{ title: "Unsubscribe · Threadline" }, { name: "robots", content: "noindex" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

function linkParts(request: Request) {
  const url = new URL(request.url);
  return { userId: Number(url.searchParams.get("u")), kind: url.searchParams.get("k") ?? "", key: url.searchParams.get("t") ?? "" };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { kind } = linkParts(request);
  return { description: isForumEmailKind(kind) ? FORUM_EMAIL_DESCRIPTIONS[kind] : null };
}

export async function action({ request }: ActionFunctionArgs) {
  const { userId, kind, key } = linkParts(request);
  const done = await unsubscribeFromLink(userId, kind, key);
  if (!done) return data({ ok: false as const, message: "This unsubscribe link is not valid. You can switch emails off in your settings." }, { status: 400 });
  return { ok: true as const, message: `Done: you will get no more emails about ${FORUM_EMAIL_DESCRIPTIONS[done]}. You can switch them on again in your settings.` };
}

export default function UnsubscribePage() {
  const { description } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">Unsubscribe</h1>
      {actionData ? (
        <OutcomeNotice outcome={actionData} />
      ) : description ? (
        <Form method="post" action={`${location.pathname}${location.search}`} className="card mt-4 space-y-4 p-6">
          <p className="text-sm text-slate-700">Stop emails about {description}?</p>
          <button type="submit" className="btn w-full">Unsubscribe</button>
        </Form>
      ) : (
        <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">This unsubscribe link is not valid.</p>
      )}
      <p className="mt-4 text-sm"><a href="/settings">Email settings</a></p>
    </div>
  );
}
