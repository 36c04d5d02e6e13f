import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { parseDay } from "~/chat/days";
import { dayTranscript } from "~/chat/history.server";
import { requireRoom, roomSummary } from "~/chat/room-page.server";
import { ChatHistory } from "~/components/chat-history";
import { ChatRoomHeader } from "~/components/chat-room-header";
import { notFound } from "~/utils/http";

const LONG_DAY = new Intl.DateTimeFormat("en", { dateStyle: "full", timeZone: "UTC" });

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [];
  const part = data.pageCount > 1 ? ` (page ${data.page} of ${data.pageCount})` : "";
  const title = `${data.room.name} on ${data.dayLabel}${part} · Chat transcript · Threadline`;
  return [
    { title },
    { name: "description", content: `${data.total} messages in the ${data.room.name} chat room on ${data.dayLabel} (UTC).` },
    { tagName: "link", rel: "canonical", href: `/chat/${data.room.slug}/${data.day}${data.page > 1 ? `?page=${data.page}` : ""}` },
    ...(data.messages.length ? [] : [{ name: "robots", content: "noindex" }]),
  ];
};

/** One UTC day of a room, server-rendered for readers and search engines, in pages on busy days. */
export async function loader({ params, request }: LoaderFunctionArgs) {
  const room = await requireRoom(params.slug);
  const day = parseDay(params.day);
  if (!day) notFound("There is no such day. Transcript addresses look like /chat/<room>/2026-11-30.");
  const requested = Number(new URL(request.url).searchParams.get("page") ?? 1);
  const transcript = await dayTranscript(room.id, day, Number.isSafeInteger(requested) ? requested : 1);
  return { room: roomSummary(room), day: params.day!, dayLabel: LONG_DAY.format(day), ...transcript };
}

export default function ChatTranscript() {
  const { room, day, dayLabel, messages, previousDay, nextDay, page, pageCount } = useLoaderData<typeof loader>();
  const pageNav = pageCount > 1 && (
    <nav aria-label="Pages of this day" className="flex items-center justify-between gap-2 text-sm">
      {page > 1 ? <a rel="prev" href={`/chat/${room.slug}/${day}${page > 2 ? `?page=${page - 1}` : ""}`}>← Earlier on this day</a> : <span />}
      <span className="text-slate-500">Page {page} of {pageCount}</span>
      {page < pageCount ? <a rel="next" href={`/chat/${room.slug}/${day}?page=${page + 1}`}>Later on this day →</a> : <span />}
    </nav>
  );
  const dayNav = (
    <nav aria-label="Days" className="flex items-center justify-between gap-2 text-sm">
      {previousDay ? <a className="btn-secondary" rel="prev" href={`/chat/${room.slug}/${previousDay}`}>← {previousDay}</a> : <span />}
      <a href={`/chat/${room.slug}`}>Back to the live room</a>
      {nextDay ? <a className="btn-secondary" rel="next" href={`/chat/${room.slug}/${nextDay}`}>{nextDay} →</a> : <span />}
    </nav>
  );
  return (
    <div className="mx-auto max-w-3xl">
      <ChatRoomHeader room={room} />
      <h2 className="mt-4 text-lg font-semibold">Transcript for <time dateTime={day}>{dayLabel}</time> (UTC)</h2>
      <div className="mt-3">{dayNav}</div>
      {pageNav && <div className="mt-3">{pageNav}</div>}
      <div className="card mt-3 p-3">
        {messages.length ? (
          <ChatHistory messages={messages} room={room} now={0} actions={false} />
        ) : (
          <p className="py-6 text-center text-slate-500">No messages on this day.</p>
        )}
      </div>
      {pageNav && <div className="mt-3">{pageNav}</div>}
      <div className="mt-3">{dayNav}</div>
    </div>
  );
}
