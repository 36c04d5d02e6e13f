import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listRooms } from "~/chat/rooms.server";
import { Time } from "~/components/time";
import { useOptionalUser } from "~/root";
import { canManageRooms } from "~/utils/permissions";

export const meta: MetaFunction = () => [
  { title: "Chat · Threadline" },
  { name: "description", content: "Public chat rooms: live conversation with a searchable, permanent history." },
];

export async function loader(_args: LoaderFunctionArgs) {
  const rooms = await listRooms();
  return {
    rooms: rooms.map((room) => ({
      slug: room.slug, name: room.name, description: room.description, messageCount: room.messageCount,
      lastMessageAt: room.lastMessageAt?.toISOString() ?? null, archived: Boolean(room.archivedAt),
    })),
  };
}

export default function ChatRooms() {
  const { rooms } = useLoaderData<typeof loader>();
  const user = useOptionalUser();
  return (
    <div className="mx-auto max-w-3xl">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h1 className="text-2xl font-semibold">Chat rooms</h1>
        {canManageRooms(user) ? <a className="btn" href="/chat/new">New room</a> : null}
      </div>
      <p className="mt-1 text-sm text-slate-600">
        Rooms are public: anyone can read them, without an account. Members can post.
      </p>
      {rooms.length === 0 ? <p className="mt-6 text-slate-600">There are no rooms yet.</p> : null}
      <ul className="card mt-4 divide-y divide-slate-100" aria-label="Rooms">
        {rooms.map((room) => (
          <li key={room.slug} className={`grid gap-1 px-4 py-3 sm:grid-cols-[1fr_auto] sm:items-center ${room.archived ? "bg-slate-50" : ""}`}>
            <div>
              <a href={`/chat/${room.slug}`} className="font-medium">#{room.slug} · {room.name}</a>
              {room.archived ? <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold uppercase text-slate-700">Archived</span> : null}
              {room.description ? <p className="text-sm text-slate-600">{room.description}</p> : null}
            </div>
            <p className="text-sm text-slate-500">
              {room.messageCount.toLocaleString("en")} {room.messageCount === 1 ? "message" : "messages"}
              {room.lastMessageAt ? <> · last activity <Time date={room.lastMessageAt} withTime /></> : null}
            </p>
          </li>
        ))}
      </ul>
    </div>
  );
}
