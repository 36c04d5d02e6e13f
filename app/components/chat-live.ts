import { useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import type { ChatMessageView } from "~/chat/message-view";

/** Messages by id, oldest first: live events, earlier pages and reloads merge into one list. */
export function mergeMessages(current: ChatMessageView[], incoming: ChatMessageView[], mode: "upsert" | "update-only" = "upsert"): ChatMessageView[] {
  if (!incoming.length) return current;
  const byId = new Map(current.map((m) => [m.id, m]));
  let changed = false;
  for (const message of incoming) {
    if (mode === "update-only" && !byId.has(message.id)) continue;
    byId.set(message.id, message);
    changed = true;
  }
  if (!changed) return current;
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

type Trimmed = { trimmed: true };
const isTrimmed = (data: unknown): data is Trimmed => Boolean(data && typeof data === "object" && "trimmed" in data);

/**
 * Follows a room's live stream. The browser's EventSource reconnects by
 * itself and sends Last-Event-ID, so the server replays what was missed; if
 * the browser gives up (the stream answered with an error), a new one starts
 * after a pause from the newest message this page has.
 */
export function useRoomStream(options: {
  slug: string;
  enabled: boolean;
  latestId: () => number;
  onMessages: (messages: ChatMessageView[], mode: "upsert" | "update-only") => void;
  onPresence: (count: number) => void;
}) {
  const { revalidate } = useRevalidator();
  const [connected, setConnected] = useState(false);
  const handlers = useRef(options);
  handlers.current = options;
  const fetchMessage = useCallback(async (id: string) => {
    const response = await fetch(`/api/chat/messages/${encodeURIComponent(id)}`);
    if (response.ok) handlers.current.onMessages([(await response.json()) as ChatMessageView], "upsert");
  }, []);

  useEffect(() => {
    if (!options.enabled) return;
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const open = () => {
      const after = handlers.current.latestId();
      source = new EventSource(`/chat/${options.slug}/events.stream${after ? `?lastEventId=${after}` : ""}`);
      source.onopen = () => setConnected(true);
      source.onerror = () => {
        setConnected(false);
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          retry = setTimeout(open, 5_000);
        }
      };
      source.addEventListener("message", (event) => {
        const data: unknown = JSON.parse((event as MessageEvent<string>).data);
        if (isTrimmed(data)) void fetchMessage((event as MessageEvent).lastEventId);
        else handlers.current.onMessages([data as ChatMessageView], "upsert");
      });
      source.addEventListener("update", (event) => {
        const data: unknown = JSON.parse((event as MessageEvent<string>).data);
        if (isTrimmed(data)) revalidate();
        else handlers.current.onMessages([data as ChatMessageView], "update-only");
      });
      source.addEventListener("presence", (event) => {
        const data = JSON.parse((event as MessageEvent<string>).data) as { count: number };
        handlers.current.onPresence(data.count);
      });
      source.addEventListener("room", () => revalidate());
      // Too much was missed to replay: start again from the latest page.
      source.addEventListener("reload", () => window.location.reload());
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      source?.close();
      setConnected(false);
    };
  }, [options.slug, options.enabled, revalidate, fetchMessage]);
  return { connected };
}

/** A submission id for the next message, also where crypto.randomUUID is unavailable (plain HTTP). */
export function newSubmissionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
