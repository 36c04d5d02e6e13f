import { useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { excerptOf, type ChatMessageView } from "~/chat/message-view";
import { ChatComposer, type ChatSendResult, type ReplyTarget } from "./chat-composer";
import { ChatHistory } from "./chat-history";
import { mergeMessages, useRoomStream } from "./chat-live";
import { ChatRoomHeader } from "./chat-room-header";

export type ChatRoomData = {
  room: { id: number; slug: string; name: string; description: string; archived: boolean; slowModeSeconds: number };
  messages: ChatMessageView[];
  earlierCursor: number | null;
  viewingEarlier: boolean;
  present: number;
  viewer: {
    canPost: boolean;
    needsAcknowledgement: boolean;
    mute: { until: string; reason: string } | null;
    replyTo: ReplyTarget | null;
    submissionId: string;
  } | null;
  now: number;
};

/**
 * A room: its history (live, with earlier pages loaded in place), who is
 * here, and the composer or the reason there is none (archived, logged out,
 * muted).
 */
export function ChatRoom({ loaded, actionData }: { loaded: ChatRoomData; actionData?: ChatSendResult }) {
  const { room, viewer } = loaded;
  const [messages, setMessages] = useState<ChatMessageView[]>(loaded.messages);
  const [earlierCursor, setEarlierCursor] = useState(loaded.earlierCursor);
  const [present, setPresent] = useState(loaded.present);
  const [replyTo, setReplyTo] = useState<ReplyTarget | null>(viewer?.replyTo ?? null);
  const [now, setNow] = useState(loaded.now);
  const latest = useRef(0);
  latest.current = messages.length ? messages[messages.length - 1]!.id : 0;

  // A revalidation (after sending, or a room change) merges into what is shown.
  useEffect(() => {
    setMessages((current) => mergeMessages(current, loaded.messages));
  }, [loaded.messages]);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  // Open at the newest messages, like any chat, unless the address points at one.
  useEffect(() => {
    if (!window.location.hash && !loaded.viewingEarlier) document.getElementById("composer-end")?.scrollIntoView({ block: "end" });
  }, [room.id, loaded.viewingEarlier]);

  const stickToBottom = useStickToBottom(messages.length);
  const onMessages = useCallback((incoming: ChatMessageView[], mode: "upsert" | "update-only") => {
    stickToBottom();
    setMessages((current) => mergeMessages(current, incoming, mode));
  }, [stickToBottom]);
  const { connected } = useRoomStream({
    slug: room.slug,
    enabled: !loaded.viewingEarlier,
    latestId: () => latest.current,
    onMessages,
    onPresence: setPresent,
  });

  const earlier = useFetcher<ChatRoomData>();
  useEffect(() => {
    if (!earlier.data || earlier.state !== "idle") return;
    setMessages((current) => mergeMessages(current, earlier.data!.messages));
    setEarlierCursor(earlier.data.earlierCursor);
  }, [earlier.data, earlier.state]);

  const cancelReply = useCallback(() => setReplyTo(null), []);
  const onSent = useCallback(() => stickToBottom(true), [stickToBottom]);
  const onReply = useCallback((message: ChatMessageView) => {
    setReplyTo({ id: message.id, author: message.author.username, excerpt: message.html ? excerptOf(new DOMParser().parseFromString(message.html, "text/html").body.textContent ?? "") : null });
    document.getElementById("chat-body")?.focus();
  }, []);

  return (
    <div className="mx-auto max-w-3xl">
      <ChatRoomHeader room={room} present={present} live={connected} />
      <div className="card mt-4 p-3">
        {earlierCursor ? (
          <p className="mb-2 text-center">
            <a
              className="btn-secondary"
              href={`/chat/${room.slug}?before=${earlierCursor}`}
              onClick={(event) => {
                if (loaded.viewingEarlier) return;
                event.preventDefault();
                earlier.load(`/chat/${room.slug}?index&before=${earlierCursor}`);
              }}
            >
              {earlier.state !== "idle" ? "Loading…" : "Load earlier messages"}
            </a>
          </p>
        ) : messages.length ? (
          <p className="mb-2 text-center text-xs text-slate-500">This is the beginning of the room.</p>
        ) : null}
        {messages.length ? (
          <ChatHistory messages={messages} room={room} now={now} actions dayLinks onReply={viewer?.canPost ? onReply : undefined} />
        ) : (
          <p className="py-8 text-center text-slate-500">No messages yet.{viewer?.canPost ? " Say hello!" : ""}</p>
        )}
        {loaded.viewingEarlier ? (
          <p className="mt-3 text-center">
            <a className="btn-secondary" href={`/chat/${room.slug}`}>Back to the latest messages</a>
          </p>
        ) : null}
      </div>
      <section aria-label="Post a message" className="mt-4">
        {room.archived ? (
          <p role="status" className="rounded-md border border-slate-300 bg-slate-100 p-3 text-sm">
            <strong>This room is archived.</strong> Its history stays readable; it takes no new messages.
          </p>
        ) : !viewer ? (
          <p className="text-sm text-slate-600">
            <a href={`/login?redirectTo=${encodeURIComponent(`/chat/${room.slug}`)}`}>Log in</a> or <a href="/signup">sign up</a> to post in this room.
          </p>
        ) : viewer.mute ? (
          <p role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
            <strong>You are muted in this room until <time dateTime={viewer.mute.until}>{formatUtc(viewer.mute.until)}</time>.</strong> Reason: {viewer.mute.reason}. You can still read along.
          </p>
        ) : viewer.canPost ? (
          <div className="card p-3">
            {room.slowModeSeconds > 0 ? (
              <p className="mb-2 text-xs text-slate-600">Slow mode is on: one message every {room.slowModeSeconds} seconds.</p>
            ) : null}
            <ChatComposer
              slug={room.slug}
              submissionId={viewer.submissionId}
              needsAcknowledgement={viewer.needsAcknowledgement}
              replyTo={replyTo}
              onCancelReply={cancelReply}
              onSent={onSent}
              initialState={actionData}
            />
          </div>
        ) : null}
      </section>
      <div id="composer-end" />
    </div>
  );
}

const UTC = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
function formatUtc(iso: string) {
  return `${UTC.format(new Date(iso))} UTC`;
}

/**
 * Keeps the newest message in view when the reader is already at the bottom
 * (or just sent something), and leaves the scroll alone while they read back.
 */
function useStickToBottom(count: number) {
  const pinned = useRef(false);
  useEffect(() => {
    if (!pinned.current) return;
    pinned.current = false;
    document.getElementById("composer-end")?.scrollIntoView({ block: "end" });
  }, [count]);
  return useCallback((force = false) => {
    const atBottom = window.innerHeight + window.scrollY >= document.body.scrollHeight - 120;
    if (force || atBottom) pinned.current = true;
  }, []);
}
