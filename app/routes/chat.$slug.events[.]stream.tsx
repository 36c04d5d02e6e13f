import type { LoaderFunctionArgs } from "@remix-run/node";
import { roomChannel } from "~/chat/events.server";
import { announcePresence, onStreamEnd } from "~/chat/presence.server";
import { replayRoom } from "~/chat/replay.server";
import { requireRoom } from "~/chat/room-page.server";
import { eventStream } from "~/events/sse.server";

/**
 * A room's live stream (Server-Sent Events): new messages with their id,
 * updates to earlier ones, and presence. A reconnecting browser sends
 * Last-Event-ID (a first connection may pass ?lastEventId=<newest message it
 * shows>) and gets everything it missed first, in order, none twice
 * (app/chat/replay.server.ts). Open streams count as viewers "here now".
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const room = await requireRoom(params.slug);
  const response = eventStream(request, roomChannel(room.id), [], {
    replay: (lastEventId) => replayRoom(room.id, lastEventId),
    signal: context.connectionClosed,
  });
  announcePresence(room.id);
  let ended = false;
  const leave = () => {
    if (ended) return;
    ended = true;
    announcePresence(room.id);
  };
  request.signal.addEventListener("abort", leave, { once: true });
  context.connectionClosed?.addEventListener("abort", leave, { once: true });
  return onStreamEnd(response, leave);
}
