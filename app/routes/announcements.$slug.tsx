import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { findAnnouncementList } from "~/announcements/lists.server";
import { CONFIRM_DAYS } from "~/announcements/list-schema";
import { subscribeAddress } from "~/announcements/subscriptions.server";
import { Field, FormErrors } from "~/components/field";
import { Honeypot, isHoneypotFilled } from "~/components/honeypot";
import { siteOrigin } from "~/mail/links.server";
import { emailSchema } from "~/utils/auth/account-rules";
import { failure, parseForm } from "~/utils/forms";
import { notFound } from "~/utils/http";
import { consumeLimit } from "~/utils/rate-limit.server";

// The public subscribe form. Its answer is the same whether the address is
// new, pending or already subscribed, so it tells nobody who is on a list.

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.list.name ?? "Announcements"} · Threadline` }];

const SubscribeSchema = z.object({ email: emailSchema });
/** Per network (a keyed hash of the address, never the address itself). */
const SUBSCRIBE_LIMIT = { max: 10, windowMs: 60 * 60_000 };

export async function loader({ params }: LoaderFunctionArgs) {
  const list = await findAnnouncementList(params.slug ?? "");
  if (!list) notFound("There is no announcement list here.");
  return { list };
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const list = await findAnnouncementList(params.slug ?? "");
  if (!list) notFound("There is no announcement list here.");
  const formData = await request.formData();
  if (isHoneypotFilled(formData)) return data(failure(formData, {}, ["Your request could not be accepted. Please try again."]), { status: 400 });
  const parsed = parseForm(SubscribeSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const limit = consumeLimit(`announce-subscribe:${context.clientKey}`, SUBSCRIBE_LIMIT);
  if (!limit.ok) {
    return data(failure(formData, {}, [`Too many requests from your network. Please wait ${Math.ceil(limit.retryAfterSeconds / 60)} minutes and try again.`]), {
      status: 429,
      headers: { "Retry-After": String(limit.retryAfterSeconds) },
    });
  }
  await subscribeAddress(list, parsed.data.email, siteOrigin(request));
  return { ok: true as const };
}

export default function AnnouncementListPage() {
  const { list } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData && !actionData.ok ? actionData : undefined;
  return (
    <div className="mx-auto max-w-md">
      <p className="text-sm"><a href="/announcements">Announcement lists</a></p>
      <h1 className="mt-1 text-2xl font-semibold">{list.name}</h1>
      {list.description ? <p className="mt-1 text-slate-700">{list.description}</p> : null}
      {actionData?.ok ? (
        <p role="status" className="mt-6 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          Thank you. If this address can receive mail, a message is on its way to it: open the link in it to confirm your subscription. The link works for{" "}
          {CONFIRM_DAYS} days; until you confirm, nothing is sent to you.
        </p>
      ) : (
        <Form method="post" className="card mt-6 space-y-4 p-6" noValidate>
          <FormErrors errors={errors?.formErrors} />
          <Honeypot />
          <Field
            label="Your email address"
            name="email"
            type="email"
            autoComplete="email"
            required
            hint="We send a confirmation link first. Every email has a one-click unsubscribe link."
            defaultValue={errors?.values.email}
            errors={errors?.fieldErrors.email}
          />
          <button type="submit" className="btn w-full" disabled={navigation.state === "submitting"}>
            Subscribe
          </button>
          <p className="text-xs text-slate-500">
            Members can also subscribe from <a href="/settings/announcements">their settings</a>. See the <a href="/privacy">privacy policy</a>.
          </p>
        </Form>
      )}
    </div>
  );
}
