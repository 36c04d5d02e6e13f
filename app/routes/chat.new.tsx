import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { createRoom } from "~/chat/rooms.server";
import { NewRoomSchema } from "~/chat/schema";
import { ROOM_DESCRIPTION_MAX, ROOM_NAME_MAX } from "~/chat/limits";
import { Field, FormErrors } from "~/components/field";
import { requireModerator } from "~/utils/auth/guards.server";
import { failure, parseForm } from "~/utils/forms";

export const meta: MetaFunction = () => [{ title: "New chat room · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = requireModerator(request, context);
  const formData = await request.formData();
  const parsed = parseForm(NewRoomSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await createRoom(moderator, parsed.data);
  if (!result.ok) return data(failure(formData, result.fieldErrors), { status: 400 });
  throw redirect(`/chat/${result.room.slug}`);
}

export default function NewRoom() {
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors ?? {};
  return (
    <div className="mx-auto max-w-xl">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500"><a href="/chat">Chat</a></nav>
      <h1 className="mt-1 text-2xl font-semibold">New chat room</h1>
      <Form method="post" className="card mt-4 space-y-4 p-5">
        <FormErrors errors={actionData?.formErrors} />
        <Field label="Address" name="slug" required maxLength={40} hint="Lower-case letters, digits and hyphens: the room lives at /chat/<address>." errors={errors.slug} defaultValue={actionData?.values.slug} />
        <Field label="Name" name="name" required maxLength={ROOM_NAME_MAX} errors={errors.name} defaultValue={actionData?.values.name} />
        <Field label="Description" name="description" maxLength={ROOM_DESCRIPTION_MAX} errors={errors.description} defaultValue={actionData?.values.description} />
        <button type="submit" className="btn">Create room</button>
      </Form>
    </div>
  );
}
