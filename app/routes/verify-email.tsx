import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { checkAddressToken, confirmAddress, resendVerificationEmail } from "~/utils/auth/email-address.server";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { consumeLimit } from "~/utils/rate-limit.server";
import { OutcomeNotice } from "~/components/outcome-notice";

// Opening the link (GET) only shows a button; pressing it (POST) verifies.
// Mail scanners that fetch every link therefore verify nothing.

export const meta: MetaFunction = () => [{ title: "Confirm your email address · Threadline" }, { name: "robots", content: "noindex" }];

// The page carries a one-time token: never cache it anywhere.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

const RESEND_LIMIT = { max: 3, windowMs: 60 * 60_000 };

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token");
  const user = context.auth?.user ?? null;
  const account = user ? await db.user.findUnique({ where: { id: user.id }, select: { emailVerifiedAt: true } }) : null;
  return data(
    {
      token,
      tokenValid: token ? await checkAddressToken(token) : false,
      sent: url.searchParams.get("sent") === "1",
      loggedIn: Boolean(user),
      verified: Boolean(account?.emailVerifiedAt),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  if (formData.get("intent") === "resend") {
    const user = requireUser(request, context);
    const limit = consumeLimit(`verify-resend:${user.id}`, RESEND_LIMIT);
    if (!limit.ok) {
      return data({ ok: false as const, message: `We sent several links already. Please wait ${Math.ceil(limit.retryAfterSeconds / 60)} minutes before asking again.` }, {
        status: 429,
        headers: { "Retry-After": String(limit.retryAfterSeconds) },
      });
    }
    const result = await resendVerificationEmail(user.id, request);
    if (!result.ok) return { ok: true as const, message: "Your email address is already verified." };
    throw redirect("/verify-email?sent=1");
  }
  const token = formData.get("token");
  const result = await confirmAddress(typeof token === "string" ? token : null);
  if (!result.ok) {
    const message =
      result.reason === "address-taken"
        ? "Another account uses this address now, so it cannot become yours. Choose another address in your settings."
        : "This link is not valid: it was used already, has expired, or was replaced by a newer one.";
    return data({ ok: false as const, message }, { status: 400 });
  }
  return {
    ok: true as const,
    message: result.purpose === "change-email" ? "Your new email address is confirmed and is now your account's address." : "Your email address is verified. Thank you!",
  };
}

export default function VerifyEmailPage() {
  const { token, tokenValid, sent, loggedIn, verified } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">Confirm your email address</h1>
      {actionData ? (
        <OutcomeNotice outcome={actionData} />
      ) : null}
      {sent ? (
        <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          We sent a new link to your email address. It works once and expires in 24 hours.
        </p>
      ) : null}
      {actionData?.ok ? (
        <p className="mt-4 text-sm"><a href="/">Go to the home page</a></p>
      ) : token && tokenValid ? (
        <Form method="post" className="card mt-4 space-y-4 p-6">
          <p className="text-sm text-slate-700">Press the button to confirm that this address is yours.</p>
          <input type="hidden" name="token" value={token} />
          <button type="submit" className="btn w-full">Confirm my address</button>
        </Form>
      ) : token && !actionData ? (
        <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          This link is not valid: it was used already, has expired, or was replaced by a newer one.
        </p>
      ) : null}
      {!actionData?.ok && loggedIn && !verified ? (
        <Form method="post" className="mt-6">
          <input type="hidden" name="intent" value="resend" />
          <p className="text-sm text-slate-600">Did not get the email, or the link expired?</p>
          <button type="submit" className="btn-secondary mt-2">Send a new link</button>
        </Form>
      ) : null}
      {!token && !loggedIn && !sent ? (
        <p className="mt-4 text-sm text-slate-600">Open the link from the email we sent you, or <a href="/login?redirectTo=%2Fverify-email">log in</a> to ask for a new one.</p>
      ) : null}
      {!token && loggedIn && verified && !actionData ? <p className="mt-4 text-sm text-slate-600">Your email address is verified.</p> : null}
    </div>
  );
}
