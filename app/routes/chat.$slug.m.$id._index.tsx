import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { dayKey } from "~/chat/days";
import { deleteOwnMessage } from "~/chat/edit.server";
import { locateMessage, transcriptPageOf } from "~/chat/history.server";
import { muteMember } from "~/chat/mutes.server";
import { removeMessage } from "~/chat/remove.server";
import { requireRoom } from "~/chat/room-page.server";
import { ChatReasonSchema, MuteSchema } from "~/chat/schema";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { forbidden, notFound } from "~/utils/http";
import { canMuteInRoom, canRemoveChatMessage } from "~/utils/permissions";

/** A message's permalink: the day's transcript (the page holding it), scrolled to the message. */
export async function loader({ params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  const message = Number.isSafeInteger(id) && id > 0 ? await locateMessage(id) : null;
  if (!message || message.room.slug !== params.slug) notFound("This message does not exist.");
  const page = await transcriptPageOf(message);
  throw redirect(`/chat/${message.room.slug}/${dayKey(message.createdAt)}${page > 1 ? `?page=${page}` : ""}#m-${message.id}`);
}

/** Deleting one's own message; removing any message and muting its author (moderators). */
export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const room = await requireRoom(params.slug);
  const id = Number(params.id);
  const message = Number.isSafeInteger(id) && id > 0
    ? await db.chatMessage.findFirst({ where: { id, roomId: room.id }, select: { id: true, authorId: true } })
    : null;
  if (!message) notFound("This message does not exist.");
  const formData = await request.formData();
  const intent = formData.get("intent");
  const back = `/chat/${room.slug}#m-${message.id}`;
  if (intent === "delete") {
    const result = await deleteOwnMessage(user, message.id);
    if (!result.ok) throw new Response(result.message, { status: result.status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
    throw redirect(back);
  }
  if (intent === "remove") {
    if (!canRemoveChatMessage(user)) forbidden();
    const parsed = parseForm(ChatReasonSchema, formData);
    if (!parsed.ok) return data(parsed, { status: 400 });
    await removeMessage(user, message.id, parsed.data.reason);
    throw redirect(back);
  }
  if (intent === "mute") {
    if (!canMuteInRoom(user)) forbidden();
    if (message.authorId === user.id) return data({ ok: false, fieldErrors: {}, formErrors: ["You cannot mute yourself."], values: {} }, { status: 400 });
    const parsed = parseForm(MuteSchema, formData);
    if (!parsed.ok) return data(parsed, { status: 400 });
    await muteMember(user, room.id, message.authorId, parsed.data.minutes, parsed.data.reason);
    throw redirect(back);
  }
  return data({ ok: false, fieldErrors: {}, formErrors: ["Unknown action."], values: {} }, { status: 400 });
}
