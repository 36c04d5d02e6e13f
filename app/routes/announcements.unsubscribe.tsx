import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { checkUnsubscribeLink, unsubscribeWithLink } from "~/announcements/subscriptions.server";
import { OutcomeNotice } from "~/components/outcome-notice";

// The link at the foot of every announcement, and its List-Unsubscribe
// header. Opening it shows a button (link scanners change nothing); a POST to
// the same address, from the button or from the mail program's one-click
// unsubscribe (RFC 8058, body "List-Unsubscribe=One-Click"), unsubscribes.
// No login: the link's key is the authority. server.ts lets this POST in
// without the same-origin check, as mail programs send no Origin.

export const meta: MetaFunction = () => [{ title: "Unsubscribe · Threadline" }, { name: "robots", content: "noindex" }];

export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

function linkParts(request: Request) {
  const url = new URL(request.url);
  return { subscriptionId: Number(url.searchParams.get("s")), key: url.searchParams.get("k") ?? "" };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const { subscriptionId, key } = linkParts(request);
  return data({ link: await checkUnsubscribeLink(subscriptionId, key) }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const { subscriptionId, key } = linkParts(request);
  const list = await unsubscribeWithLink(subscriptionId, key);
  if (!list) return data({ ok: false as const, message: "This unsubscribe link is not valid." }, { status: 400 });
  return { ok: true as const, message: `Done: you will get no more email from ${list.name}.` };
}

export default function AnnouncementUnsubscribePage() {
  const { link } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const location = useLocation();
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">Unsubscribe</h1>
      {actionData ? (
        <OutcomeNotice outcome={actionData} />
      ) : link ? (
        link.subscribed ? (
          <Form method="post" action={`${location.pathname}${location.search}`} className="card mt-4 space-y-4 p-6">
            <input type="hidden" name="List-Unsubscribe" value="One-Click" />
            <p className="text-sm text-slate-700">Stop receiving {link.list.name}?</p>
            <button type="submit" className="btn w-full">Unsubscribe</button>
          </Form>
        ) : (
          <p role="status" className="mt-4 rounded-md border border-slate-200 bg-white p-3 text-sm">You are not subscribed to {link.list.name}.</p>
        )
      ) : (
        <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">This unsubscribe link is not valid.</p>
      )}
      <p className="mt-4 text-sm"><a href="/announcements">Announcement lists</a></p>
    </div>
  );
}
