import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { recordHoneypotDrop } from "~/antispam/honeypot.server";
import { isHoneypotFilled } from "~/components/honeypot";
import { loadRoomPage, requireRoom } from "~/chat/room-page.server";
import { ChatMessageSchema } from "~/chat/schema";
import { sendMessage } from "~/chat/send.server";
import type { ChatSendResult } from "~/components/chat-composer";
import { ChatRoom } from "~/components/chat-room";
import { prepareSubmission } from "~/forums/composer-action.server";
import { requireUser } from "~/utils/auth/guards.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [];
  return [
    { title: `${data.room.name} · Chat · Threadline` },
    { name: "description", content: data.room.description || `The ${data.room.name} chat room on Threadline.` },
    ...(data.viewingEarlier ? [{ name: "robots", content: "noindex" }] : []),
  ];
};

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const room = await requireRoom(params.slug);
  return loadRoomPage(room, new URL(request.url), context);
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const room = await requireRoom(params.slug);
  const formData = await request.formData();
  // A filled honeypot is a bot: it sees the usual success and nothing is stored.
  if (isHoneypotFilled(formData)) {
    recordHoneypotDrop("chat");
    if (formData.get("live") === "1") return { ok: true, id: 0 } satisfies ChatSendResult;
    throw redirect(`/chat/${room.slug}`);
  }
  const body = String(formData.get("body") ?? "");
  const prepared = await prepareSubmission(user.id, formData, ChatMessageSchema, (d) => [{ field: "body", text: d.body }]);
  if (!prepared.ok) {
    // The whole message comes back, so nothing typed is lost (forms echo at most 500 characters).
    return data({ ...prepared, values: { ...prepared.values, body: body.slice(0, 10_000) } } as ChatSendResult, { status: prepared.safeguard ? 200 : 400 });
  }
  const result = await sendMessage(user, room, { body: prepared.data.body, replyToId: prepared.data.replyTo, submissionId: prepared.data.submissionId });
  if (!result.ok) {
    const failure: ChatSendResult = {
      ok: false,
      formErrors: result.field ? [] : [result.message],
      fieldErrors: result.field ? { [result.field]: [result.message] } : {},
      values: { body: body.slice(0, 10_000) },
    };
    return data(failure, { status: result.status, headers: result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : undefined });
  }
  if (formData.get("live") === "1") return { ok: true, id: result.id } satisfies ChatSendResult;
  throw redirect(`/chat/${room.slug}#m-${result.id}`);
}

export default function ChatRoomPage() {
  const loaded = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // A page of earlier messages is a separate view (no live stream): start it afresh.
  const key = loaded.viewingEarlier ? `${loaded.room.id}-before-${loaded.messages[0]?.id ?? 0}` : String(loaded.room.id);
  return <ChatRoom key={key} loaded={loaded} actionData={actionData && !actionData.ok ? actionData : undefined} />;
}
