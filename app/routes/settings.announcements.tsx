import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { memberSubscriptions, subscribeAddress, unsubscribeMember } from "~/announcements/subscriptions.server";
import { SettingsNav } from "~/components/settings-nav";
import { siteOrigin } from "~/mail/links.server";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { consumeLimit } from "~/utils/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Announcements · Settings · Threadline" }, { name: "robots", content: "noindex" }];

const SUBSCRIBE_LIMIT = { max: 10, windowMs: 60 * 60_000 };

async function account(userId: number) {
  const row = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { email: true, emailVerifiedAt: true } });
  return { email: row.email, confirmed: row.emailVerifiedAt !== null };
}

/**
 * Subscriptions belong to an address, not an account. Until the member has
 * confirmed that the account's address is theirs, the page does not show
 * what that address is subscribed to, nor unsubscribe it (someone may have
 * signed up with another person's address). Subscribing is safe: the
 * confirmation link goes to the address.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const { email, confirmed } = await account(user.id);
  const lists = await memberSubscriptions(email);
  return { confirmed, lists: confirmed ? lists : lists.map((list) => ({ ...list, state: "none" as const })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const formData = await request.formData();
  const list = await db.announcementList.findUnique({ where: { id: Number(formData.get("listId")) || 0 }, select: { id: true, slug: true, name: true, description: true } });
  if (!list) return data({ ok: false as const, message: "Choose one of the lists below." }, { status: 400 });
  const { email, confirmed } = await account(user.id);
  if (formData.get("intent") === "unsubscribe") {
    if (!confirmed) {
      return data({ ok: false as const, message: "Confirm your email address first (Settings → Account). Until then, use the unsubscribe link in any announcement." }, { status: 403 });
    }
    await unsubscribeMember(list.id, email);
    return { ok: true as const, message: `You are no longer subscribed to ${list.name}.` };
  }
  if (formData.get("intent") === "subscribe") {
    const limit = consumeLimit(`announce-member:${user.id}`, SUBSCRIBE_LIMIT);
    if (!limit.ok) return data({ ok: false as const, message: `Please wait ${Math.ceil(limit.retryAfterSeconds / 60)} minutes and try again.` }, { status: 429 });
    const outcome = await subscribeAddress(list, email, siteOrigin(request));
    if (outcome === "already-active") return { ok: true as const, message: `You are already subscribed to ${list.name}.` };
    if (outcome === "address-throttled") return data({ ok: false as const, message: "We sent several links to your address today already. Please use one of them, or try again tomorrow." }, { status: 429 });
    return { ok: true as const, message: `Almost done: open the link we sent to your email address to confirm your subscription to ${list.name}.` };
  }
  return data({ ok: false as const, message: "Unknown action." }, { status: 400 });
}

const STATE_LABEL = { none: "Not subscribed", pending: "Waiting for your confirmation (check your inbox)", active: "Subscribed" } as const;

export default function AnnouncementSettingsPage() {
  const { lists, confirmed } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="grid gap-8 md:grid-cols-[12rem_1fr]">
      <SettingsNav />
      <div>
        <h1 className="text-2xl font-semibold">Announcement lists</h1>
        <p className="mt-1 text-sm text-slate-600">
          Occasional email from Threadline to your account&apos;s address. Subscribing sends a confirmation link first; every announcement has a one-click
          unsubscribe link. If you change your address, your subscriptions follow it once the new address is confirmed.
        </p>
        {!confirmed ? (
          <p className="mt-4 rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
            Your email address is not confirmed yet, so this page does not show what it is subscribed to. You can still subscribe: the confirmation link
            goes to the address.
          </p>
        ) : null}
        {actionData?.message ? (
          <p role={actionData.ok ? "status" : "alert"} className={`mt-4 rounded-md border p-3 text-sm ${actionData.ok ? "border-slate-200 bg-white" : "border-red-200 bg-red-50 text-red-800"}`}>
            {actionData.message}
          </p>
        ) : null}
        {lists.length === 0 ? <p className="mt-4 text-sm text-slate-600">There are no announcement lists yet.</p> : null}
        {lists.length > 0 ? (
          <ul className="card mt-4 divide-y divide-slate-100" aria-label="Announcement lists">
            {lists.map((list) => (
              <li key={list.id} className="flex flex-wrap items-center justify-between gap-3 p-4">
                <div>
                  <p className="font-medium">{list.name}</p>
                  {list.description ? <p className="text-sm text-slate-600">{list.description}</p> : null}
                  <p className="text-sm text-slate-500">{STATE_LABEL[list.state]}</p>
                </div>
                <div className="flex gap-2">
                  {list.state !== "active" ? (
                    <Form method="post">
                      <input type="hidden" name="listId" value={list.id} />
                      <input type="hidden" name="intent" value="subscribe" />
                      <button type="submit" className="btn" aria-label={`${list.state === "pending" ? "Send the link again for" : "Subscribe to"} ${list.name}`}>
                        {list.state === "pending" ? "Send the link again" : "Subscribe"}
                      </button>
                    </Form>
                  ) : null}
                  {list.state !== "none" ? (
                    <Form method="post">
                      <input type="hidden" name="listId" value={list.id} />
                      <input type="hidden" name="intent" value="unsubscribe" />
                      <button type="submit" className="btn-secondary" aria-label={`Unsubscribe from ${list.name}`}>
                        {list.state === "pending" ? "Cancel" : "Unsubscribe"}
                      </button>
                    </Form>
                  ) : null}
                </div>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
