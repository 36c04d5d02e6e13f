import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { Field, FormErrors } from "~/components/field";
import { SettingsNav } from "~/components/settings-nav";
import { PASSWORD_MIN_LENGTH } from "~/utils/auth/account-rules";
import { changePassword } from "~/utils/auth/accounts.server";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { failure, parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Account settings · Threadline" }, { name: "robots", content: "noindex" }];

const ChangePasswordSchema = z.object({
  currentPassword: z.string({ required_error: "Enter your current password." }).min(1, "Enter your current password."),
  password: z.string({ required_error: "Enter a new password." }).min(1, "Enter a new password."),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const sessionUser = requireUser(request, context);
  const user = await db.user.findUniqueOrThrow({
    where: { id: sessionUser.id },
    select: { username: true, email: true, role: true, createdAt: true },
  });
  return { user };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const formData = await request.formData();
  const parsed = parseForm(ChangePasswordSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await changePassword(user.id, parsed.data.currentPassword, parsed.data.password, context.auth!.session.id);
  if (!result.ok) return data(failure(formData, result.fieldErrors), { status: 400 });
  return { ok: true as const, endedSessions: result.endedSessions };
}

export default function AccountSettings() {
  const { user } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData && !actionData.ok ? actionData : undefined;
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
            <dd>{user.email} <span className="text-slate-500">(never shown to others)</span></dd>
            <dt className="text-slate-500">Role</dt>
            <dd className="capitalize">{user.role}</dd>
          </dl>
        </section>
        <section aria-labelledby="change-password">
          <h2 id="change-password" className="text-lg font-semibold">Change password</h2>
          {actionData?.ok ? (
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
