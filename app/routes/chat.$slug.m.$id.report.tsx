import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { reportChatMessage } from "~/chat/report.server";
import { requireRoom } from "~/chat/room-page.server";
import { ChatReasonSchema } from "~/chat/schema";
import { FormErrors } from "~/components/field";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { failure, parseForm } from "~/utils/forms";
import { notFound } from "~/utils/http";

export const meta: MetaFunction = () => [{ title: "Report a message · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireUser(request, context);
  const room = await requireRoom(params.slug);
  const id = Number(params.id);
  const message = Number.isSafeInteger(id) && id > 0
    ? await db.chatMessage.findFirst({ where: { id, roomId: room.id, deletedAt: null }, select: { id: true, author: { select: { username: true } } } })
    : null;
  if (!message) notFound("This message does not exist.");
  return { room: { slug: room.slug, name: room.name }, message };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const room = await requireRoom(params.slug);
  const formData = await request.formData();
  const parsed = parseForm(ChatReasonSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const id = Number(params.id);
  const inRoom = Number.isSafeInteger(id) && id > 0 ? await db.chatMessage.count({ where: { id, roomId: room.id } }) : 0;
  if (!inRoom) notFound("This message does not exist.");
  const result = await reportChatMessage(user.id, id, parsed.data.reason);
  if (!result.ok) return data(failure(formData, {}, [result.message]), { status: result.status });
  return { ok: true as const };
}

export default function ReportChatMessage() {
  const { room, message } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const back = `/chat/${room.slug}/m/${message.id}`;
  if (actionData?.ok) {
    return (
      <div className="card mx-auto max-w-xl p-6">
        <h1 className="text-xl font-semibold">Thank you</h1>
        <p role="status" className="mt-2 text-slate-700">Your report was sent to the moderators.</p>
        <p className="mt-4"><a href={back}>Back to the message</a></p>
      </div>
    );
  }
  const errors = actionData && !actionData.ok ? actionData : undefined;
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="text-2xl font-semibold">Report a message by {message.author.username}</h1>
      <p className="text-sm text-slate-600">in <a href={back}>{room.name}</a></p>
      <Form method="post" className="card mt-4 space-y-3 p-5">
        <FormErrors errors={errors?.formErrors} />
        <label htmlFor="reason" className="block text-sm font-medium">What is wrong with this message?</label>
        <textarea id="reason" name="reason" rows={4} className="input" required minLength={3} maxLength={500} aria-invalid={errors?.fieldErrors.reason ? true : undefined} defaultValue={errors?.values.reason} />
        {errors?.fieldErrors.reason ? <p className="text-sm text-red-700">{errors.fieldErrors.reason.join(" ")}</p> : null}
        <button type="submit" className="btn">Send report</button>
      </Form>
    </div>
  );
}
