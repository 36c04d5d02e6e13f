import { useOptionalUser } from "~/root";
import { canManageRooms } from "~/utils/permissions";

/** The room's name, description, who is here now, and the public notice every room shows. */
export function ChatRoomHeader({ room, present, live }: {
  room: { slug: string; name: string; description: string; archived: boolean };
  present?: number;
  live?: boolean;
}) {
  const user = useOptionalUser();
  return (
    <header>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <a href="/chat">Chat</a> › {room.name}
      </nav>
      <div className="mt-1 flex flex-wrap items-baseline justify-between gap-2">
        <h1 className="text-2xl font-semibold">
          <a href={`/chat/${room.slug}`} className="text-slate-900 no-underline">#{room.slug}</a>{" "}
          <span className="text-lg font-normal text-slate-600">{room.name}</span>
          {room.archived ? <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 align-middle text-xs font-semibold uppercase text-slate-700">Archived</span> : null}
        </h1>
        {present !== undefined ? (
          <p className="text-sm text-slate-600" data-testid="presence">
            <span aria-hidden className={`mr-1 inline-block h-2 w-2 rounded-full ${live ? "bg-emerald-500" : "bg-slate-300"}`} />
            <span>{present} here now</span>
            {live === false ? <span className="sr-only"> (reconnecting)</span> : null}
          </p>
        ) : null}
      </div>
      {room.description || canManageRooms(user) ? (
        <p className="mt-1 flex flex-wrap justify-between gap-2 text-sm text-slate-600">
          <span>{room.description}</span>
          {canManageRooms(user) ? <a href={`/chat/${room.slug}/settings`}>Room settings</a> : null}
        </p>
      ) : null}
      <p className="mt-2 rounded-md border border-sky-200 bg-sky-50 px-3 py-2 text-xs text-sky-900" data-testid="room-public-notice">
        <strong>This room is public.</strong> Anyone can read it without logging in, its daily transcripts are indexed by
        search engines, and messages may be quoted in forum topics.
      </p>
    </header>
  );
}
