import { groupByDayAndAuthor } from "~/chat/grouping";
import { isDeletedMemberName } from "~/account/deleted-member";
import type { ChatMessageView } from "~/chat/message-view";
import { ChatMessageItem, MessageTime, type RoomRef } from "./chat-message";

const DAY = new Intl.DateTimeFormat("en", { weekday: "long", day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/**
 * Messages under day separators (UTC), grouped by author: consecutive
 * messages a few minutes apart share one name and time.
 */
export function ChatHistory(props: {
  messages: ChatMessageView[];
  room: RoomRef;
  now: number;
  actions: boolean;
  dayLinks?: boolean;
  onReply?: (message: ChatMessageView) => void;
}) {
  const days = groupByDayAndAuthor(props.messages);
  return (
    <div className="space-y-2" aria-live="polite" aria-relevant="additions">
      {days.map((section) => (
        <section key={section.day} aria-label={DAY.format(new Date(`${section.day}T00:00:00Z`))}>
          <div className="my-3 flex items-center gap-3 text-xs font-semibold uppercase tracking-wide text-slate-500" role="separator" aria-label={section.day}>
            <span className="h-px flex-1 bg-slate-200" />
            {props.dayLinks ? (
              <a href={`/chat/${props.room.slug}/${section.day}`} className="text-slate-500">{DAY.format(new Date(`${section.day}T00:00:00Z`))}</a>
            ) : (
              <span>{DAY.format(new Date(`${section.day}T00:00:00Z`))}</span>
            )}
            <span className="h-px flex-1 bg-slate-200" />
          </div>
          <ol className="space-y-2">
            {section.groups.map((group) => (
              <li key={group.key} className="flex gap-3" aria-label={`Messages by ${group.author.username}`}>
                <span aria-hidden className="mt-1 flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-brand-100 text-sm font-bold text-brand-900">
                  {group.author.username.slice(0, 1).toUpperCase()}
                </span>
                <div className="min-w-0 flex-1">
                  <p className="flex items-baseline gap-2 px-2 text-sm">
                    {isDeletedMemberName(group.author.username) ? (
                      <span className="font-semibold italic text-slate-900">{group.author.username}</span>
                    ) : (
                      <a href={`/u/${group.author.username}`} className="font-semibold text-slate-900">{group.author.username}</a>
                    )}
                    {group.author.role !== "member" ? <span className="text-xs capitalize text-slate-500">{group.author.role}</span> : null}
                    <MessageTime message={group.messages[0]!} slug={props.room.slug} />
                  </p>
                  {group.messages.map((message, index) => (
                    <ChatMessageItem
                      key={message.id}
                      message={message}
                      room={props.room}
                      now={props.now}
                      showTime={index === 0}
                      actions={props.actions}
                      onReply={props.onReply}
                    />
                  ))}
                </div>
              </li>
            ))}
          </ol>
        </section>
      ))}
    </div>
  );
}
