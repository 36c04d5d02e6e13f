import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { z } from "zod";
import { Field, FormErrors } from "~/components/field";
import { SettingsNav } from "~/components/settings-nav";
import { CONFIRM_MESSAGES, confirmPassword } from "~/account/confirm-password.server";
import { deleteAccount } from "~/account/delete-account.server";
import { requireUser } from "~/utils/auth/guards.server";
import { clearSessionCookie } from "~/utils/auth/cookie.server";
import { db } from "~/utils/db.server";
import { failure, parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "Your data · Threadline" }, { name: "robots", content: "noindex" }];

const DeleteSchema = z.object({
  posts: z.enum(["keep", "remove"], {
    errorMap: () => ({ message: "Choose what happens to your posts and messages." }),
  }),
  deletePassword: z.string({ required_error: "Enter your password." }).min(1, "Enter your password."),
});

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const [posts, topics, chatMessages] = await Promise.all([
    db.post.count({ where: { authorId: user.id } }),
    db.topic.count({ where: { authorId: user.id } }),
    db.chatMessage.count({ where: { authorId: user.id } }),
  ]);
  const exportError = new URL(request.url).searchParams.get("exportError");
  return { counts: { posts, topics, chatMessages }, exportError: exportError ? (CONFIRM_MESSAGES[exportError] ?? null) : null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const formData = await request.formData();
  const parsed = parseForm(DeleteSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const confirmed = await confirmPassword(user.id, parsed.data.deletePassword);
  if (!confirmed.ok) return data(failure(formData, { deletePassword: [confirmed.message] }), { status: confirmed.reason === "throttled" ? 429 : 400 });
  const result = await deleteAccount(user.id, { keepPosts: parsed.data.posts === "keep" });
  if (!result.ok) return data(failure(formData, {}, [result.message]), { status: result.status });
  // Every session of the account is gone with it; this clears the cookie of the browser that asked.
  return redirect("/account-deleted", { headers: { "Set-Cookie": clearSessionCookie(context.cookieOptions) } });
}

const plural = (count: number, noun: string) => `${count.toLocaleString("en")} ${noun}${count === 1 ? "" : "s"}`;

export default function DataSettings() {
  const { counts, exportError } = useLoaderData<typeof loader>();
  // A download leaves the page as it is: forget an earlier error once the form is sent again.
  const [shownExportError, setShownExportError] = useState(exportError);
  const actionData = useActionData<typeof action>();
  const errors = actionData && !actionData.ok ? actionData : undefined;
  return (
    <div className="grid gap-8 md:grid-cols-[12rem_1fr]">
      <SettingsNav />
      <div className="space-y-8">
        <section aria-labelledby="export-data">
          <h1 id="export-data" className="text-2xl font-semibold">Your data</h1>
          <p className="mt-1 max-w-prose text-sm text-slate-600">
            Download everything you wrote here and every setting we keep about you, as a zip file: your profile, email
            address, settings, sessions, bookmarks, drafts, watched topics, notifications, reports and appeals,
            announcement subscriptions and privacy-policy answers in{" "}
            <code>account.json</code>; each of your forum posts ({plural(counts.posts, "post")}) as a Markdown file; and your
            chat messages ({plural(counts.chatMessages, "message")}) as JSON.
          </p>
          <Form
            method="post"
            action="/settings/data/export"
            reloadDocument
            onSubmit={() => setShownExportError(null)}
            className="card mt-4 max-w-md space-y-4 p-6"
            noValidate
          >
            <Field
              label="Confirm with your password"
              name="password"
              type="password"
              autoComplete="current-password"
              required
              errors={shownExportError ? [shownExportError] : undefined}
            />
            <button type="submit" className="btn">Download my data</button>
          </Form>
        </section>

        <section aria-labelledby="delete-account">
          <h2 id="delete-account" className="text-lg font-semibold text-red-800">Delete your account</h2>
          <p className="mt-1 max-w-prose text-sm text-slate-600">
            This cannot be undone. Your sessions, email address, password, settings, drafts, bookmarks, notifications,
            watched topics, announcement subscriptions and privacy-policy answers are erased at once, and you are logged out
            everywhere. Your username becomes free for others
            to take. You may want to download your data first.
          </p>
          <Form method="post" className="card mt-4 max-w-xl space-y-4 border-red-200 p-6" noValidate>
            <FormErrors errors={errors?.formErrors} />
            <fieldset className="space-y-2" aria-describedby={errors?.fieldErrors.posts ? "posts-errors" : undefined}>
              <legend className="text-sm font-medium text-slate-800">
                Your posts and chat messages: {plural(counts.posts, "forum post")} ({plural(counts.topics, "topic")} you started),{" "}
                {plural(counts.chatMessages, "chat message")}
              </legend>
              <label className="flex items-start gap-2 text-sm">
                <input type="radio" name="posts" value="keep" className="mt-1" defaultChecked={errors?.values.posts === "keep"} />
                <span>
                  <strong>Keep them</strong>, shown as written by “deleted member”. Conversations stay readable; nothing links
                  them to you any more.
                </span>
              </label>
              <label className="flex items-start gap-2 text-sm">
                <input type="radio" name="posts" value="remove" className="mt-1" defaultChecked={errors?.values.posts === "remove"} />
                <span>
                  <strong>Remove them</strong>: their text is erased and they show as deleted. Topics you started lose their
                  title; those nobody else replied to disappear.
                </span>
              </label>
              {errors?.fieldErrors.posts ? (
                <p id="posts-errors" className="text-sm text-red-700">{errors.fieldErrors.posts.join(" ")}</p>
              ) : null}
            </fieldset>
            <Field
              label="Confirm deletion with your password"
              name="deletePassword"
              type="password"
              autoComplete="current-password"
              required
              errors={errors?.fieldErrors.deletePassword}
            />
            <button type="submit" className="btn-danger">Delete my account</button>
          </Form>
        </section>
      </div>
    </div>
  );
}
