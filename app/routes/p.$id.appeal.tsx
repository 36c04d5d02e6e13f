import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { FormErrors } from "~/components/field";
import { appealStatus, fileAppeal } from "~/moderation/appeals.server";
import { APPEAL_MAX, APPEAL_MIN } from "~/moderation/rules";
import { requireUser } from "~/utils/auth/guards.server";
import { failure, parseForm } from "~/utils/forms";
import { notFound } from "~/utils/http";

export const meta: MetaFunction = () => [{ title: "Appeal a hidden post · Threadline" }, { name: "robots", content: "noindex" }];

const AppealSchema = z.object({
  text: z
    .string({ required_error: "Say why the post should be shown again." })
    .trim()
    .min(APPEAL_MIN, `Say why the post should be shown again (at least ${APPEAL_MIN} characters).`)
    .max(APPEAL_MAX, `Keep your appeal under ${APPEAL_MAX} characters.`),
});

async function statusFor(userId: number, idParam: string | undefined) {
  const id = Number(idParam);
  const status = Number.isSafeInteger(id) && id > 0 ? await appealStatus(userId, id) : null;
  // Other people's posts look the same as missing ones.
  if (!status) notFound("You can only appeal the hiding of your own posts.");
  return status;
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const { post, appeal, canAppeal } = await statusFor(user.id, params.id);
  return {
    post: { id: post.id, number: post.number, hidden: Boolean(post.hiddenAt), hiddenReason: post.hiddenReason, topic: post.topic },
    appeal: appeal ? { state: appeal.state, text: appeal.text, decisionReason: appeal.decisionReason } : null,
    canAppeal,
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const { post } = await statusFor(user.id, params.id);
  const formData = await request.formData();
  const parsed = parseForm(AppealSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await fileAppeal(user, post.id, parsed.data.text);
  if (!result.ok) return data(failure(formData, {}, [result.message]), { status: result.status });
  return { ok: true as const, message: result.message };
}

export default function AppealPost() {
  const { post, appeal, canAppeal } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const back = `/t/${post.topic.id}/${post.topic.slug}/${post.number}`;
  if (actionData?.ok) {
    return (
      <div className="card mx-auto max-w-xl p-6">
        <h1 className="text-xl font-semibold">Appeal sent</h1>
        <p role="status" className="mt-2 text-slate-700">{actionData.message} You will get a notification with their decision.</p>
        <p className="mt-4"><a href={back}>Back to the post</a></p>
      </div>
    );
  }
  const errors = actionData && !actionData.ok ? actionData : undefined;
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-semibold">Appeal: post #{post.number}</h1>
      <p className="text-sm text-slate-600">in <a href={back}>{post.topic.title}</a></p>
      {post.hidden ? <p className="mt-2 text-sm">Moderators hid this post{post.hiddenReason ? `: ${post.hiddenReason}` : ""}.</p> : <p className="mt-2 text-sm">This post is not hidden.</p>}
      {appeal ? (
        <div className="card mt-4 p-5 text-sm">
          <p>You appealed this decision: “{appeal.text}”</p>
          <p className="mt-1">
            {appeal.state === "open" ? "Moderators have not decided yet." : appeal.state === "restored" ? "Your appeal was accepted." : "Your appeal was considered and the post stays hidden."}
            {appeal.decisionReason ? ` ${appeal.decisionReason}` : ""}
          </p>
        </div>
      ) : null}
      {canAppeal || errors ? (
        <Form method="post" className="card mt-4 space-y-3 p-5">
          <FormErrors errors={errors?.formErrors} />
          <label htmlFor="appeal-text" className="block text-sm font-medium">Why should moderators show it again?</label>
          <textarea
            id="appeal-text"
            name="text"
            rows={5}
            className="input"
            required
            minLength={APPEAL_MIN}
            maxLength={APPEAL_MAX}
            aria-invalid={errors?.fieldErrors.text ? true : undefined}
            aria-describedby={errors?.fieldErrors.text ? "appeal-text-errors" : undefined}
            defaultValue={errors?.values.text}
          />
          {errors?.fieldErrors.text ? <p id="appeal-text-errors" className="text-sm text-red-700">{errors.fieldErrors.text.join(" ")}</p> : null}
          <p className="text-xs text-slate-500">You can appeal each decision once. Another moderator reviews it when possible.</p>
          <button type="submit" className="btn">Send appeal</button>
        </Form>
      ) : null}
    </div>
  );
}
