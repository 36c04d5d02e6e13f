import { listenerCount, publish } from "~/events/bus.server";
import { presenceEvent, roomChannel } from "./events.server";

// "Here now" is the number of open streams of a room in this process: each
// one subscribes to the room's channel for exactly as long as it is open.
// With several app instances each counts its own viewers (a shared count
// would need the events layer to carry presence too).
export function viewerCount(roomId: number): number {
  return listenerCount(roomChannel(roomId));
}

/** Tells a room's viewers how many they are, once the stream that just opened or closed has (un)subscribed. */
export function announcePresence(roomId: number) {
  setTimeout(() => publish(roomChannel(roomId), presenceEvent(viewerCount(roomId))), 0);
}

/**
 * The same response, calling `onEnd` once its body ends for any reason: the
 * client went away (cancel), the server closed the stream, or it failed.
 * Chunks are passed on one at a time as the client reads, so the stream's
 * own back-pressure (slow clients are closed) still applies.
 */
export function onStreamEnd(response: Response, onEnd: () => void): Response {
  if (!response.body) {
    onEnd();
    return response;
  }
  const reader = response.body.getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { value, done } = await reader.read();
        if (done) {
          onEnd();
          controller.close();
        } else {
          controller.enqueue(value);
        }
      } catch (error) {
        onEnd();
        controller.error(error);
      }
    },
    cancel(reason) {
      onEnd();
      return reader.cancel(reason);
    },
  });
  return new Response(body, { status: response.status, headers: response.headers });
}
