import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { editMessage } from "~/chat/edit.server";
import { CHAT_MESSAGE_MAX } from "~/chat/limits";
import { requireRoom } from "~/chat/room-page.server";
import { EditChatMessageSchema } from "~/chat/schema";
import { PersonalDataWarning, type ComposerState } from "~/components/composer";
import { FormErrors } from "~/components/field";
import { PublicNotice } from "~/components/public-notice";
import { checkSafeguards } from "~/forums/safeguards.server";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { failure, parseForm } from "~/utils/forms";
import { forbidden, notFound } from "~/utils/http";
import { canEditChatMessage } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Edit message · Threadline" }, { name: "robots", content: "noindex" }];

async function editable(params: { slug?: string; id?: string }, user: { id: number; role: string }) {
  const room = await requireRoom(params.slug);
  const id = Number(params.id);
  const message = Number.isSafeInteger(id) && id > 0
    ? await db.chatMessage.findFirst({ where: { id, roomId: room.id }, select: { id: true, body: true, authorId: true, createdAt: true, deletedAt: true } })
    : null;
  if (!message) notFound("This message does not exist.");
  const state = { authorId: message.authorId, createdAt: message.createdAt, deleted: Boolean(message.deletedAt) };
  if (!canEditChatMessage(user, state, { archived: Boolean(room.archivedAt) })) {
    forbidden("You can edit your own messages for 15 minutes after sending them.");
  }
  return { room, message };
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const { room, message } = await editable(params, user);
  return { room: { slug: room.slug, name: room.name }, message: { id: message.id, body: message.body } };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const { room, message } = await editable(params, user);
  const formData = await request.formData();
  const parsed = parseForm(EditChatMessageSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const outcome = checkSafeguards({ acknowledged: true, acknowledgeNow: false, texts: [{ field: "body", text: parsed.data.body }], confirmation: parsed.data.confirmPersonalData });
  if (!outcome.ok && outcome.kind === "personal-data") {
    return data({ ...failure(formData, {}), safeguard: { kind: outcome.kind, findings: outcome.findings, fingerprint: outcome.fingerprint } }, { status: 200 });
  }
  const result = await editMessage(user, message.id, parsed.data.body);
  if (!result.ok) return data(result.field ? failure(formData, { [result.field]: [result.message] }) : failure(formData, {}, [result.message]), { status: result.status });
  throw redirect(`/chat/${room.slug}#m-${message.id}`);
}

export default function EditChatMessage() {
  const { room, message } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failed = actionData && !actionData.ok ? actionData : undefined;
  const safeguard = failed && "safeguard" in failed ? (failed.safeguard as ComposerState["safeguard"]) : undefined;
  const personal = safeguard?.kind === "personal-data" ? safeguard : null;
  return (
    <div className="mx-auto max-w-2xl">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <a href="/chat">Chat</a> › <a href={`/chat/${room.slug}`}>{room.name}</a>
      </nav>
      <h1 className="mt-1 text-2xl font-semibold">Edit your message</h1>
      <Form method="post" className="card mt-4 space-y-3 p-4">
        <PublicNotice />
        <FormErrors errors={failed?.formErrors} />
        {personal ? <PersonalDataWarning findings={personal.findings} fingerprint={personal.fingerprint} noun="message" confirmLabel="Save anyway, I am sure" /> : null}
        <label htmlFor="edit-body" className="block text-sm font-medium">Message (Markdown)</label>
        <textarea id="edit-body" name="body" rows={5} className="input font-mono" required maxLength={CHAT_MESSAGE_MAX + 500} defaultValue={failed?.values.body ?? message.body}
          aria-invalid={failed?.fieldErrors.body ? true : undefined} aria-describedby={failed?.fieldErrors.body ? "edit-body-errors" : undefined} />
        {failed?.fieldErrors.body ? <p id="edit-body-errors" className="text-sm text-red-700">{failed.fieldErrors.body.join(" ")}</p> : null}
        <div className="flex gap-2">
          <button type="submit" className="btn">Save</button>
          <a href={`/chat/${room.slug}#m-${message.id}`} className="btn-secondary">Cancel</a>
        </div>
      </Form>
    </div>
  );
}
