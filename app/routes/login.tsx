import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { Field, FormErrors } from "~/components/field";
import { formatUntil } from "~/moderation/sanctions.server";
import { authenticate } from "~/utils/auth/accounts.server";
import { requireAnonymous } from "~/utils/auth/guards.server";
import { startSession } from "~/utils/auth/start-session.server";
import { failure, parseForm } from "~/utils/forms";
import { safeRedirect } from "~/utils/redirect";

export const meta: MetaFunction = () => [{ title: "Log in · Threadline" }, { name: "robots", content: "noindex" }];

const LoginSchema = z.object({
  identifier: z.string({ required_error: "Enter your username or email address." }).trim().min(1, "Enter your username or email address.").max(254),
  password: z.string({ required_error: "Enter your password." }).min(1, "Enter your password."),
  redirectTo: z.string().optional(),
});

export async function loader({ context }: LoaderFunctionArgs) {
  requireAnonymous(context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireAnonymous(context);
  const formData = await request.formData();
  const parsed = parseForm(LoginSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const { identifier, password, redirectTo } = parsed.data;
  const result = await authenticate(identifier, password, context.clientKey);
  if (!result.ok) {
    if (result.reason === "throttled") {
      return data(failure(formData, {}, [`Too many log-in attempts. Please wait ${result.retryAfterSeconds} seconds and try again.`]), {
        status: 429,
        headers: { "Retry-After": String(result.retryAfterSeconds) },
      });
    }
    if (result.reason === "suspended") {
      return data(failure(formData, {}, [`Your account is suspended until ${formatUntil(result.until)}. You can log in again after that.`]), { status: 403 });
    }
    return data(failure(formData, {}, ["That username or email and password do not match an account."]), { status: 400 });
  }
  const cookie = await startSession(result.user.id, request, context);
  throw redirect(safeRedirect(redirectTo), { headers: { "Set-Cookie": cookie } });
}

export default function LoginPage() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const errors = actionData && !actionData.ok ? actionData : undefined;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">Log in</h1>
      <p className="mt-1 text-sm text-slate-600">
        New here? <a href={`/signup${searchParams.size ? `?${searchParams}` : ""}`}>Create an account</a>.
      </p>
      {searchParams.get("reset") === "done" ? (
        <p role="status" className="mt-4 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
          Your password was changed and every session was signed out. Log in with your new password.
        </p>
      ) : null}
      <Form method="post" className="card mt-6 space-y-4 p-6" noValidate>
        <FormErrors errors={errors?.formErrors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Field
          label="Username or email"
          name="identifier"
          autoComplete="username"
          required
          defaultValue={errors?.values.identifier}
          errors={errors?.fieldErrors.identifier}
        />
        <Field label="Password" name="password" type="password" autoComplete="current-password" required errors={errors?.fieldErrors.password} />
        <button type="submit" className="btn w-full" disabled={navigation.state === "submitting"}>
          Log in
        </button>
        <p className="text-sm">
          <a href="/forgot-password">Forgot your password?</a>
        </p>
      </Form>
      <p className="mt-4 text-xs text-slate-500">
        Logging in sets one cookie that keeps you logged in. Reading Threadline never needs a cookie.{" "}
        <a href="/privacy#cookies">About cookies</a>
      </p>
    </div>
  );
}
