import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { handleRoomManagementForm, listRoomsForManagement } from "~/chat/manage-rooms.server";
import { ArchiveButton, InlineErrors, MoveButtons } from "~/components/manage-forms";
import { ModStatus, type ModFeedback } from "~/components/mod-forms";
import { requireModerator } from "~/utils/auth/guards.server";

export const meta: MetaFunction = () => [{ title: "Chat rooms · Moderation · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  return { rooms: await listRoomsForManagement() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const moderator = requireModerator(request, context);
  return handleRoomManagementForm(moderator, await request.formData());
}

export default function ManageRooms() {
  const { rooms } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>() as ModFeedback;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <p className="text-sm"><a href="/mod">Moderation</a> ›</p>
        <div className="flex flex-wrap items-center justify-between gap-2">
          <h1 className="text-2xl font-semibold">Chat rooms</h1>
          <a href="/chat/new" className="btn">New room</a>
        </div>
        <p className="text-sm text-slate-600">
          The order here is the order of the <a href="/chat">room list</a> (archived rooms list last there). Archived rooms stay readable and take no messages.
          Rename, describe and set slow mode on each room's settings page.
        </p>
      </div>
      <ModStatus feedback={feedback} />
      <ol className="card divide-y divide-slate-100">
        {rooms.map((room, index) => (
          <li key={room.id} className="space-y-1 p-4" aria-label={`Room ${room.name}`}>
            <div className="flex flex-wrap items-center justify-between gap-2">
              <div>
                <a href={`/chat/${room.slug}`} className="font-medium">#{room.slug}</a> <span className="text-slate-700">{room.name}</span>
                {room.archived ? <span className="ml-2 rounded bg-slate-200 px-1.5 py-0.5 text-xs font-semibold text-slate-700">Archived</span> : null}
                <p className="text-sm text-slate-600">
                  {room.description} <span className="text-slate-400">· {room.messageCount} messages{room.slowModeSeconds ? ` · slow mode ${room.slowModeSeconds}s` : ""}</span>
                </p>
              </div>
              <div className="flex items-center gap-2">
                <MoveButtons intent="room-move" id={room.id} label={`room ${room.name}`} first={index === 0} last={index === rooms.length - 1} />
                <ArchiveButton intent="room-archive" id={room.id} label={`room ${room.name}`} archived={room.archived} />
                <a href={`/chat/${room.slug}/settings`} className="btn-secondary py-1">Settings</a>
              </div>
            </div>
            <InlineErrors feedback={feedback} form={`room-move:${room.id}`} />
          </li>
        ))}
        {rooms.length === 0 ? <li className="p-4 text-sm text-slate-600">No rooms yet.</li> : null}
      </ol>
    </div>
  );
}
