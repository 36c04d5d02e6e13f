import type { ActionFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { Field, FormErrors } from "~/components/field";
import { Honeypot, isHoneypotFilled } from "~/components/honeypot";
import { emailSchema } from "~/utils/auth/account-rules";
import { requestPasswordReset } from "~/utils/auth/password-reset.server";
import { hashEmailToken } from "~/utils/auth/email-tokens.server";
import { failure, parseForm } from "~/utils/forms";
import { consumeLimit } from "~/utils/rate-limit.server";

export const meta: MetaFunction = () => [{ title: "Forgot your password? · Threadline" }, { name: "robots", content: "noindex" }];

const ForgotSchema = z.object({ email: emailSchema });

// Per network and per typed address (as a hash: rate-limit keys hold no addresses).
const CLIENT_LIMIT = { max: 10, windowMs: 60 * 60_000 };
const ADDRESS_LIMIT = { max: 3, windowMs: 60 * 60_000 };

/** The one answer, whether or not an account has the address. */
export const RESET_REQUESTED = "If an account uses that address, we sent it a link to choose a new password. It works once and expires in 1 hour.";

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  if (isHoneypotFilled(formData)) return { ok: true as const, message: RESET_REQUESTED };
  const parsed = parseForm(ForgotSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const clientLimit = consumeLimit(`reset-request:${context.clientKey}`, CLIENT_LIMIT);
  if (!clientLimit.ok) {
    return data(failure(formData, {}, [`Too many requests from your network. Please wait ${Math.ceil(clientLimit.retryAfterSeconds / 60)} minutes and try again.`]), {
      status: 429,
      headers: { "Retry-After": String(clientLimit.retryAfterSeconds) },
    });
  }
  // Beyond a few requests per address in an hour, answer the same and send nothing more.
  const addressKey = `reset-address:${hashEmailToken(parsed.data.email.toLowerCase())}`;
  if (consumeLimit(addressKey, ADDRESS_LIMIT).ok) await requestPasswordReset(parsed.data.email, request);
  else await new Promise((resolve) => setTimeout(resolve, 300));
  return { ok: true as const, message: RESET_REQUESTED };
}

export default function ForgotPasswordPage() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors = actionData && !actionData.ok ? actionData : undefined;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">Forgot your password?</h1>
      <p className="mt-1 text-sm text-slate-600">Enter the email address of your account and we will send you a link to choose a new password.</p>
      {actionData?.ok ? (
        <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          {actionData.message}
        </p>
      ) : (
        <Form method="post" className="card mt-6 space-y-4 p-6" noValidate>
          <FormErrors errors={errors?.formErrors} />
          <Honeypot />
          <Field label="Email" name="email" type="email" autoComplete="email" required defaultValue={errors?.values.email} errors={errors?.fieldErrors.email} />
          <button type="submit" className="btn w-full" disabled={navigation.state === "submitting"}>
            Send the link
          </button>
        </Form>
      )}
      <p className="mt-4 text-sm"><a href="/login">Back to log in</a></p>
    </div>
  );
}
