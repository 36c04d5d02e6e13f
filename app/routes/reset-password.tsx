import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormErrors } from "~/components/field";
import { PASSWORD_MIN_LENGTH } from "~/utils/auth/account-rules";
import { clearSessionCookie } from "~/utils/auth/cookie.server";
import { checkResetToken, resetPassword } from "~/utils/auth/password-reset.server";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Threadline" }, { name: "robots", content: "noindex" }];

// The page carries a one-time token: never cache it anywhere.
export const headers: HeadersFunction = () => ({ "Cache-Control": "no-store", "Referrer-Policy": "no-referrer" });

const INVALID = "This link is not valid: it was used already, has expired, or was replaced by a newer one. You can ask for a new one.";

function refusal(formErrors: string[], passwordError?: string) {
  return { ok: false as const, formErrors, fieldErrors: { password: passwordError ? [passwordError] : undefined } };
}

export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token");
  return data({ token, valid: token ? await checkResetToken(token) : false }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const formData = await request.formData();
  const token = formData.get("token");
  const password = formData.get("password");
  if (typeof password !== "string" || password.length === 0) {
    return data(refusal([], "Enter a new password."), { status: 400 });
  }
  const result = await resetPassword(typeof token === "string" ? token : null, password);
  if (!result.ok) {
    if (result.reason === "password") return data(refusal([], result.message), { status: 400 });
    return data(refusal([INVALID]), { status: 400 });
  }
  // Every session of the account ended, this browser's included.
  throw redirect("/login?reset=done", { headers: context.auth ? { "Set-Cookie": clearSessionCookie(context.cookieOptions) } : undefined });
}

export default function ResetPasswordPage() {
  const { token, valid } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">Choose a new password</h1>
      {token && valid ? (
        <Form method="post" className="card mt-6 space-y-4 p-6" noValidate>
          <FormErrors errors={actionData?.formErrors} />
          <input type="hidden" name="token" value={token} />
          <Field
            label="New password"
            name="password"
            type="password"
            autoComplete="new-password"
            required
            minLength={PASSWORD_MIN_LENGTH}
            hint={`At least ${PASSWORD_MIN_LENGTH} characters. Setting it signs you out everywhere.`}
            errors={actionData?.fieldErrors.password}
          />
          <button type="submit" className="btn w-full" disabled={navigation.state === "submitting"}>
            Set the new password
          </button>
        </Form>
      ) : (
        <p role="alert" className="mt-4 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          {INVALID} <a href="/forgot-password">Ask for a new link</a>.
        </p>
      )}
    </div>
  );
}
