import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Field, FormErrors } from "~/components/field";
import { SettingsNav } from "~/components/settings-nav";
import { Time } from "~/components/time";
import { consentHistory } from "~/privacy/consent.server";
import { PASSWORD_MIN_LENGTH } from "~/utils/auth/account-rules";
import { emailSchema } from "~/utils/auth/account-rules";
import { changePassword } from "~/utils/auth/accounts.server";
import { cancelEmailChange, requestEmailChange } from "~/utils/auth/email-address.server";
import { setForumEmailPreferences } from "~/forums/notify-email.server";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { failure, parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Account settings · Threadline" }, { name: "robots", content: "noindex" }];

const ChangePasswordSchema = z.object({
  currentPassword: z.string({ required_error: "Enter your current password." }).min(1, "Enter your current password."),
  password: z.string({ required_error: "Enter a new password." }).min(1, "Enter a new password."),
});

const ChangeEmailSchema = z.object({
  newEmail: emailSchema,
  emailPassword: z.string({ required_error: "Enter your password." }).min(1, "Enter your password."),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const sessionUser = requireUser(request, context);
  const user = await db.user.findUniqueOrThrow({
    where: { id: sessionUser.id },
    select: { username: true, email: true, role: true, createdAt: true, emailVerifiedAt: true, pendingEmail: true, emailOnReply: true, emailOnMention: true, emailOnWatched: true },
  });
  const consents = await consentHistory(sessionUser.id);
  return { user, consents: consents.map((c) => ({ ...c, createdAt: c.createdAt.toISOString() })) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "email-notifications") {
    await setForumEmailPreferences(user.id, {
      reply: formData.get("emailOnReply") === "on",
      mention: formData.get("emailOnMention") === "on",
      watched: formData.get("emailOnWatched") === "on",
    });
    return { ok: true as const, intent: "email-notifications" as const };
  }
  if (intent === "cancel-email-change") {
    await cancelEmailChange(user.id);
    return { ok: true as const, intent: "cancel-email-change" as const };
  }
  if (intent === "change-email") {
    const parsedEmail = parseForm(ChangeEmailSchema, formData);
    if (!parsedEmail.ok) return data({ ...parsedEmail, intent: "change-email" as const }, { status: 400 });
    const changed = await requestEmailChange(user.id, parsedEmail.data.newEmail, parsedEmail.data.emailPassword, request);
    if (!changed.ok) {
      const fieldErrors = { newEmail: changed.fieldErrors.newEmail, emailPassword: changed.fieldErrors.currentPassword };
      return data({ ...failure(formData, fieldErrors), intent: "change-email" as const }, { status: 400 });
    }
    return { ok: true as const, intent: "change-email" as const };
  }
  const parsed = parseForm(ChangePasswordSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await changePassword(user.id, parsed.data.currentPassword, parsed.data.password, context.auth!.session.id);
  if (!result.ok) return data(failure(formData, result.fieldErrors), { status: 400 });
  return { ok: true as const, intent: "password" as const, endedSessions: result.endedSessions };
}

export default function AccountSettings() {
  const { user, consents } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData && !actionData.ok ? actionData : undefined;
  const emailErrors = failed && "intent" in failed && failed.intent === "change-email" ? failed : undefined;
  const errors = failed && !emailErrors ? failed : undefined;
  return (
    <div className="grid gap-8 md:grid-cols-[12rem_1fr]">
      <SettingsNav />
      <div className="space-y-8">
        <section>
          <h1 className="text-2xl font-semibold">Account</h1>
          <dl className="card mt-4 grid grid-cols-[8rem_1fr] gap-y-2 p-6 text-sm">
            <dt className="text-slate-500">Username</dt>
            <dd>{user.username}</dd>
            <dt className="text-slate-500">Email</dt>
            <dd>
              {user.email} <span className="text-slate-500">(never shown to others)</span>{" "}
              {user.emailVerifiedAt ? (
                <span className="text-green-700">Verified</span>
              ) : (
                <a href="/verify-email" className="text-amber-700">Not verified yet</a>
              )}
            </dd>
            <dt className="text-slate-500">Role</dt>
            <dd className="capitalize">{user.role}</dd>
          </dl>
        </section>
        <section aria-labelledby="change-email">
          <h2 id="change-email" className="text-lg font-semibold">Change email address</h2>
          {actionData?.ok && actionData.intent === "change-email" ? (
            <p role="status" className="mt-3 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
              We sent a link to your new address. Your address changes when you open it; until then your account keeps the current one.
            </p>
          ) : null}
          {user.pendingEmail ? (
            <Form method="post" className="mt-3 flex flex-wrap items-center gap-3 text-sm">
              <input type="hidden" name="intent" value="cancel-email-change" />
              <span>
                Waiting for confirmation: <strong>{user.pendingEmail}</strong>
              </span>
              <button type="submit" className="btn-secondary">Cancel the change</button>
            </Form>
          ) : null}
          <Form method="post" className="card mt-3 max-w-md space-y-4 p-6" noValidate>
            <FormErrors errors={emailErrors?.formErrors} />
            <input type="hidden" name="intent" value="change-email" />
            <Field
              label="New email address"
              name="newEmail"
              type="email"
              autoComplete="email"
              required
              hint="We send a link to the new address and a notice to the current one."
              defaultValue={emailErrors?.values.newEmail}
              errors={emailErrors?.fieldErrors.newEmail}
            />
            <Field label="Confirm with your password" name="emailPassword" type="password" autoComplete="current-password" required errors={emailErrors?.fieldErrors.emailPassword} />
            <button type="submit" className="btn">Change email address</button>
          </Form>
        </section>
        <section aria-labelledby="email-notifications">
          <h2 id="email-notifications" className="text-lg font-semibold">Email notifications</h2>
          <p className="mt-1 text-sm text-slate-600">
            Sent to your address once it is confirmed. Every email has a link to switch its kind off.
          </p>
          {actionData?.ok && actionData.intent === "email-notifications" ? (
            <p role="status" className="mt-3 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">Your email choices were saved.</p>
          ) : null}
          <Form method="post" className="card mt-3 max-w-md space-y-3 p-6">
            <input type="hidden" name="intent" value="email-notifications" />
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="emailOnReply" defaultChecked={user.emailOnReply} /> Replies to my posts
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="emailOnMention" defaultChecked={user.emailOnMention} /> Mentions of me
            </label>
            <label className="flex items-center gap-2 text-sm">
              <input type="checkbox" name="emailOnWatched" defaultChecked={user.emailOnWatched} /> New posts in topics and boards I watch
            </label>
            <button type="submit" className="btn">Save email choices</button>
          </Form>
        </section>
        <section aria-labelledby="privacy-consents">
          <h2 id="privacy-consents" className="text-lg font-semibold">Privacy agreements</h2>
          <p className="mt-1 text-sm text-slate-600">
            When a <a href="/privacy">privacy policy</a> version uses personal data in a new way, it applies to you only if you accept. Your answers, newest first:
          </p>
          {consents.length === 0 ? (
            <p className="mt-3 text-sm text-slate-600">You have not been asked yet.</p>
          ) : (
            <ul className="card mt-3 max-w-md divide-y divide-slate-100 text-sm">
              {consents.map((consent) => (
                <li key={consent.id} className="flex flex-wrap justify-between gap-2 px-4 py-2">
                  <span>
                    <a href={`/privacy/v/${consent.version}`}>Version {consent.version}</a>: <strong>{consent.choice === "accepted" ? "accepted" : "declined"}</strong>
                  </span>
                  <Time date={consent.createdAt} withTime />
                </li>
              ))}
            </ul>
          )}
          <p className="mt-2 text-sm"><a href="/privacy/consent">Review or change your answer</a></p>
        </section>
        <section aria-labelledby="change-password">
          <h2 id="change-password" className="text-lg font-semibold">Change password</h2>
          {actionData?.ok && actionData.intent === "password" ? (
            <p role="status" className="mt-3 rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">
              Your password was changed. {actionData.endedSessions === 1 ? "1 other session was" : `${actionData.endedSessions} other sessions were`} signed out.
            </p>
          ) : null}
          <Form method="post" className="card mt-3 max-w-md space-y-4 p-6" noValidate>
            <FormErrors errors={errors?.formErrors} />
            <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required errors={errors?.fieldErrors.currentPassword} />
            <Field
              label="New password"
              name="password"
              type="password"
              autoComplete="new-password"
              required
              minLength={PASSWORD_MIN_LENGTH}
              hint="Changing your password signs you out everywhere else."
              errors={errors?.fieldErrors.password}
            />
            <button type="submit" className="btn">Change password</button>
          </Form>
        </section>
      </div>
    </div>
  );
}
