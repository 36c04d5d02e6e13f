import { publish, type LiveEvent } from "~/events/bus.server";
import type { ChatMessageView } from "./message-view";
import { loadViews } from "./view.server";

/**
 * What a room's live stream carries:
 * - "message" (SSE id = the ChatMessage id): a new message;
 * - "update" (no id): the current state of an earlier message after an edit,
 *   a delete or a promotion. Applying it twice changes nothing;
 * - "presence" (no id): how many viewers are connected;
 * - "room" (no id): the room's settings changed (slow mode, archive, name);
 * - "reload" (no id): too much was missed to replay; fetch the page again.
 * Updates carry no id so that the browser's Last-Event-ID stays the last
 * message it received; see replay.server.ts for how resume finds changes.
 */
export const roomChannel = (roomId: number) => `chat:${roomId}`;

export function messageEvent(view: ChatMessageView): LiveEvent {
  return { type: "message", id: String(view.id), data: view };
}

export function updateEvent(view: ChatMessageView): LiveEvent {
  return { type: "update", data: view };
}

export function presenceEvent(count: number): LiveEvent {
  return { type: "presence", data: { count } };
}

/** Publishes the current state of messages after they were written. */
export async function publishMessages(roomId: number, ids: number[], kind: "message" | "update") {
  if (!ids.length) return;
  const views = await loadViews({ id: { in: ids } });
  for (const view of views) publish(roomChannel(roomId), kind === "message" ? messageEvent(view) : updateEvent(view));
}

export function publishRoomChange(roomId: number) {
  publish(roomChannel(roomId), { type: "room", data: {} });
}
