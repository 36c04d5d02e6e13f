import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { checkConfirmation, confirmSubscription } from "~/announcements/subscriptions.server";
import { OutcomeNotice } from "~/components/outcome-notice";

// The link in the welcome email. Opening it (GET) only shows a button;
// pressing it (POST) confirms, so mail scanners that open links confirm nothing.

export const meta: MetaFunction = () => [{ title: "Confirm your subscription · Threadline" }, { name: "robots", content: "noindex" }];

// The page carries a one-time token: never cache it anywhere.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  const list = await checkConfirmation(token);
  return data({ token, list }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request }: ActionFunctionArgs) {
  const token = (await request.formData()).get("token");
  const list = await confirmSubscription(typeof token === "string" ? token : null);
  if (!list) return data({ ok: false as const, message: "This link is not valid: it was used already, has expired, or was replaced by a newer one." }, { status: 400 });
  return { ok: true as const, message: `You are subscribed to ${list.name}. Every email from it has a link to unsubscribe with one click.` };
}

export default function ConfirmSubscriptionPage() {
  const { token, list } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">Confirm your subscription</h1>
      {actionData ? (
        <OutcomeNotice outcome={actionData} />
      ) : list ? (
        <Form method="post" className="card mt-4 space-y-4 p-6">
          <input type="hidden" name="token" value={token ?? ""} />
          <p className="text-sm text-slate-700">Receive {list.name} at this address?</p>
          <button type="submit" className="btn w-full">Confirm my subscription</button>
        </Form>
      ) : (
        <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          This link is not valid: it was used already, has expired, or was replaced by a newer one. You can subscribe again from the{" "}
          <a href="/announcements">announcement lists</a>.
        </p>
      )}
    </div>
  );
}
