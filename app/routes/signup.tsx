import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { listAnnouncementLists } from "~/announcements/lists.server";
import { queueSubscription } from "~/announcements/subscriptions.server";
import { Field, FormErrors } from "~/components/field";
import { recordHoneypotDrop } from "~/antispam/honeypot.server";
import { Honeypot, isHoneypotFilled } from "~/components/honeypot";
import { emailSchema, PASSWORD_MIN_LENGTH, passwordFieldSchema, usernameSchema } from "~/utils/auth/account-rules";
import { registerUser } from "~/utils/auth/accounts.server";
import { requireAnonymous } from "~/utils/auth/guards.server";
import { startSession } from "~/utils/auth/start-session.server";
import { failure, parseForm } from "~/utils/forms";
import { consumeLimit } from "~/utils/rate-limit.server";
import { safeRedirect } from "~/utils/redirect";

export const meta: MetaFunction = () => [{ title: "Sign up · Threadline" }, { name: "robots", content: "noindex" }];

const SignupSchema = z.object({
  username: usernameSchema,
  email: emailSchema,
  password: passwordFieldSchema,
  redirectTo: z.string().optional(),
});

const SIGNUP_LIMIT = { max: 10, windowMs: 60 * 60_000 };

export async function loader({ context }: LoaderFunctionArgs) {
  requireAnonymous(context);
  return { announcementLists: await listAnnouncementLists() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  requireAnonymous(context);
  const formData = await request.formData();
  // A filled honeypot is a bot: it is sent on as if signed up, and no account is made.
  if (isHoneypotFilled(formData)) {
    recordHoneypotDrop("signup");
    throw redirect("/");
  }
  const parsed = parseForm(SignupSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const limit = consumeLimit(`signup:${context.clientKey}`, SIGNUP_LIMIT);
  if (!limit.ok) {
    return data(failure(formData, {}, [`Too many sign-ups from your network. Please wait ${Math.ceil(limit.retryAfterSeconds / 60)} minutes and try again.`]), {
      status: 429,
      headers: { "Retry-After": String(limit.retryAfterSeconds) },
    });
  }
  // Announcement lists are opt-in: only boxes the visitor ticked, each confirmed by its own welcome email.
  const chosen = new Set(formData.getAll("announce").map(Number));
  const lists = (await listAnnouncementLists()).filter((list) => chosen.has(list.id));
  const result = await registerUser({
    ...parsed.data,
    request,
    afterCreate: async (tx, account) => {
      for (const list of lists) await queueSubscription(tx, list, account.email, account.origin);
    },
  });
  if (!result.ok) return data(failure(formData, result.fieldErrors), { status: 400 });
  const cookie = await startSession(result.user.id, request, context);
  throw redirect(safeRedirect(parsed.data.redirectTo, `/u/${result.user.username}`), { headers: { "Set-Cookie": cookie } });
}

export default function SignupPage() {
  const { announcementLists } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const errors = actionData && !actionData.ok ? actionData : undefined;
  return (
    <div className="mx-auto max-w-md">
      <h1 className="text-2xl font-semibold">Create your account</h1>
      <p className="mt-1 text-sm text-slate-600">
        Already a member? <a href={`/login${searchParams.size ? `?${searchParams}` : ""}`}>Log in</a>.
      </p>
      <Form method="post" className="card mt-6 space-y-4 p-6" noValidate>
        <FormErrors errors={errors?.formErrors} />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? ""} />
        <Honeypot />
        <Field
          label="Username"
          name="username"
          autoComplete="username"
          required
          minLength={3}
          maxLength={30}
          hint="Shown next to everything you post. Letters, digits, - and _."
          defaultValue={errors?.values.username}
          errors={errors?.fieldErrors.username}
        />
        <Field
          label="Email"
          name="email"
          type="email"
          autoComplete="email"
          required
          hint="Never shown to other members."
          defaultValue={errors?.values.email}
          errors={errors?.fieldErrors.email}
        />
        <Field
          label="Password"
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN_LENGTH}
          hint={`At least ${PASSWORD_MIN_LENGTH} characters. A long phrase is easier to remember and harder to guess.`}
          errors={errors?.fieldErrors.password}
        />
        {announcementLists.length > 0 ? (
          <fieldset className="space-y-2">
            <legend className="text-sm font-medium text-slate-800">Announcements by email (optional)</legend>
            {announcementLists.map((list) => (
              <label key={list.id} className="flex items-start gap-2 text-sm text-slate-700">
                <input type="checkbox" name="announce" value={list.id} className="mt-1" defaultChecked={false} />
                <span>
                  {list.name}
                  {list.description ? <span className="block text-xs text-slate-500">{list.description}</span> : null}
                </span>
              </label>
            ))}
            <p className="text-xs text-slate-500">We email a confirmation link first. Unsubscribe any time with one click.</p>
          </fieldset>
        ) : null}
        <button type="submit" className="btn w-full" disabled={navigation.state === "submitting"}>
          Create account
        </button>
        <p className="text-xs text-slate-500">
          What you post in forums and chat rooms is public: anyone on the web can read it. See the{" "}
          <a href="/privacy">privacy policy</a>.
        </p>
      </Form>
    </div>
  );
}
