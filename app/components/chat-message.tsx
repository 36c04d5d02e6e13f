import { Form } from "@remix-run/react";
import type { ChatMessageView } from "~/chat/message-view";
import { useOptionalUser } from "~/root";
import {
  canDeleteChatMessage, canEditChatMessage, canMuteInRoom, canPromoteChat, canRemoveChatMessage, canReportChatMessage,
} from "~/utils/permissions";

const TIME = new Intl.DateTimeFormat("en", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" });

export type RoomRef = { slug: string; archived: boolean };

/** The time of a message, linking to its permalink. */
export function MessageTime({ message, slug }: { message: ChatMessageView; slug: string }) {
  return (
    <a href={`/chat/${slug}/m/${message.id}`} className="text-xs text-slate-400 no-underline hover:underline" title={`${message.createdAt} (permalink)`}>
      <time dateTime={message.createdAt}>{TIME.format(new Date(message.createdAt))}</time>
    </a>
  );
}

/** One chat message: body (or why it is gone), reply quote, edited and promoted marks, and its actions. */
export function ChatMessageItem(props: {
  message: ChatMessageView;
  room: RoomRef;
  now: number;
  showTime: boolean;
  actions: boolean;
  onReply?: (message: ChatMessageView) => void;
}) {
  const { message, room } = props;
  return (
    <div id={`m-${message.id}`} className="group relative scroll-mt-24 rounded px-2 py-0.5 target:bg-amber-50 hover:bg-slate-50" data-message-id={message.id}>
      <div className="flex items-start gap-2">
        <div className="min-w-0 flex-1">
          {message.replyTo ? (
            <p className="text-xs text-slate-500">
              ↪ in reply to <a href={`/chat/${room.slug}/m/${message.replyTo.id}`}>@{message.replyTo.author}</a>
              {message.replyTo.excerpt ? <>: <q className="italic">{message.replyTo.excerpt}</q></> : " (deleted message)"}
            </p>
          ) : null}
          {message.deleted === "author" ? (
            <p className="text-sm italic text-slate-500">This message was deleted by its author.</p>
          ) : message.deleted === "moderators" ? (
            <p className="text-sm italic text-amber-900">Removed by moderators{message.deleteReason ? `: ${message.deleteReason}` : ""}.</p>
          ) : (
            // Stored HTML was rendered and sanitized when the message was written.
            <div className="prose-chat break-words text-slate-800" dangerouslySetInnerHTML={{ __html: message.html ?? "" }} />
          )}
          {message.editedAt && !message.deleted ? <span className="text-xs text-slate-400" title={message.editedAt}>(edited)</span> : null}
          {message.promoted ? (
            <p className="text-xs text-emerald-800">
              Promoted to <a href={message.promoted.href}>{message.promoted.title}</a>
            </p>
          ) : null}
        </div>
        {props.showTime ? null : <span className="invisible shrink-0 group-hover:visible"><MessageTime message={message} slug={room.slug} /></span>}
        {props.actions && !message.deleted ? <MessageActions {...props} /> : null}
      </div>
    </div>
  );
}

function MessageActions({ message, room, now, onReply }: { message: ChatMessageView; room: RoomRef; now: number; onReply?: (message: ChatMessageView) => void }) {
  const user = useOptionalUser();
  if (!user) return null;
  const state = { authorId: message.author.id, createdAt: message.createdAt, deleted: Boolean(message.deleted) };
  const roomState = { archived: room.archived };
  const base = `/chat/${room.slug}/m/${message.id}`;
  return (
    <details className="relative shrink-0 text-sm">
      <summary className="cursor-pointer list-none rounded px-1 text-slate-400 hover:bg-slate-200 hover:text-slate-700" aria-label={`Actions for message ${message.id} by ${message.author.username}`}>
        ⋯
      </summary>
      <div className="absolute right-0 z-20 mt-1 w-64 space-y-1 rounded-md border border-slate-200 bg-white p-2 shadow-lg">
        {!room.archived ? (
          <a className="block rounded px-2 py-1 no-underline hover:bg-slate-100" href={`/chat/${room.slug}?replyTo=${message.id}#composer`} onClick={(event) => {
            if (!onReply) return;
            event.preventDefault();
            closeMenu(event);
            onReply(message);
          }}>Reply</a>
        ) : null}
        <a className="block rounded px-2 py-1 no-underline hover:bg-slate-100" href={base}>Permalink</a>
        {canEditChatMessage(user, state, roomState, now) ? <a className="block rounded px-2 py-1 no-underline hover:bg-slate-100" href={`${base}/edit`}>Edit</a> : null}
        {canDeleteChatMessage(user, state, roomState, now) ? (
          <Form method="post" action={base} onSubmit={closeMenu}>
            <input type="hidden" name="intent" value="delete" />
            <button type="submit" className="w-full rounded px-2 py-1 text-left text-red-700 hover:bg-red-50">Delete</button>
          </Form>
        ) : null}
        {canReportChatMessage(user, state) ? <a className="block rounded px-2 py-1 no-underline hover:bg-slate-100" href={`${base}/report`}>Report</a> : null}
        {!message.promoted && canPromoteChat(user, [message.author.id]) ? (
          <a className="block rounded px-2 py-1 no-underline hover:bg-slate-100" href={`/chat/${room.slug}/promote?around=${message.id}`}>Promote to a forum topic…</a>
        ) : null}
        {canRemoveChatMessage(user) ? (
          <Form method="post" action={base} className="space-y-1 border-t border-slate-100 pt-2" onSubmit={closeMenu}>
            <input type="hidden" name="intent" value="remove" />
            <label className="block text-xs font-medium text-slate-600" htmlFor={`remove-${message.id}`}>Remove, with a reason readers see</label>
            <input id={`remove-${message.id}`} name="reason" className="input py-1" required minLength={3} maxLength={500} placeholder="Reason" />
            <button type="submit" className="btn-danger w-full">Remove message</button>
          </Form>
        ) : null}
        {canMuteInRoom(user) && message.author.id !== user.id ? (
          <Form method="post" action={base} className="space-y-1 border-t border-slate-100 pt-2" onSubmit={closeMenu}>
            <input type="hidden" name="intent" value="mute" />
            <label className="block text-xs font-medium text-slate-600" htmlFor={`mute-minutes-${message.id}`}>Mute {message.author.username} in this room for</label>
            <select id={`mute-minutes-${message.id}`} name="minutes" className="input py-1" defaultValue="60">
              <option value="10">10 minutes</option>
              <option value="60">1 hour</option>
              <option value="1440">1 day</option>
              <option value="10080">1 week</option>
            </select>
            <label className="sr-only" htmlFor={`mute-reason-${message.id}`}>Reason for the mute</label>
            <input id={`mute-reason-${message.id}`} name="reason" className="input py-1" required minLength={3} maxLength={500} placeholder="Reason" />
            <button type="submit" className="btn-secondary w-full">Mute member</button>
          </Form>
        ) : null}
      </div>
    </details>
  );
}

/** The menu stays in the page after its action (the page is not reloaded), so it is closed by hand. */
function closeMenu(event: { currentTarget: Element }) {
  event.currentTarget.closest("details")?.removeAttribute("open");
}
