import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors } from "~/components/field";
import { ReasonSchema } from "~/forums/compose-schema";
import { reportPost } from "~/forums/report.server";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { failure, parseForm } from "~/utils/forms";
import { notFound } from "~/utils/http";

export const meta: MetaFunction = () => [{ title: "Report a post · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  const id = Number(params.id);
  const post = Number.isSafeInteger(id) && id > 0
    ? await db.post.findUnique({ where: { id }, select: { id: true, number: true, heldAt: true, author: { select: { username: true } }, topic: { select: { id: true, slug: true, title: true } } } })
    : null;
  // Held posts are not public yet: only moderators see them, in the queue.
  if (!post || post.heldAt) notFound("This post does not exist.");
  return { post };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const formData = await request.formData();
  const parsed = parseForm(ReasonSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await reportPost(user.id, Number(params.id), parsed.data.reason);
  if (!result.ok) return data(failure(formData, {}, [result.message]), { status: result.status });
  return { ok: true as const };
}

export default function ReportPost() {
  const { post } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const back = `/t/${post.topic.id}/${post.topic.slug}/${post.number}`;
  if (actionData?.ok) {
    return (
      <div className="card mx-auto max-w-xl p-6">
        <h1 className="text-xl font-semibold">Thank you</h1>
        <p role="status" className="mt-2 text-slate-700">Your report was sent to the moderators.</p>
        <p className="mt-4"><a href={back}>Back to the post</a></p>
      </div>
    );
  }
  const errors = actionData && !actionData.ok ? actionData : undefined;
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-semibold">Report post #{post.number} by {post.author.username}</h1>
      <p className="text-sm text-slate-600">in <a href={back}>{post.topic.title}</a></p>
      <Form method="post" className="card mt-4 space-y-3 p-5">
        <FormErrors errors={errors?.formErrors} />
        <label htmlFor="reason" className="block text-sm font-medium">What is wrong with this post?</label>
        <textarea id="reason" name="reason" rows={4} className="input" required minLength={3} maxLength={500} aria-invalid={errors?.fieldErrors.reason ? true : undefined} defaultValue={errors?.values.reason} />
        {errors?.fieldErrors.reason ? <p className="text-sm text-red-700">{errors.fieldErrors.reason.join(" ")}</p> : null}
        <button type="submit" className="btn">Send report</button>
      </Form>
    </div>
  );
}
