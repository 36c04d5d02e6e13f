import { listenerCount, publish } from "~/events/bus.server";
import { presenceEvent, roomChannel } from "./events.server";

// "Here now" is the number of open streams of a room in this process: each
// one subscribes to the room's channel for exactly as long as it is open.
// With several app instances each counts its own viewers (a shared count
// would need the events layer to carry presence too).
export function viewerCount(roomId: number): number {
  return listenerCount(roomChannel(roomId));
}

/**
 * At most one presence event per room per interval. Announcing every arrival
 * to everyone costs N²/2 events when N viewers connect (after a restart, all
 * of a busy room's browsers reconnect at once); the count only needs to be
 * current within a moment.
 */
export const PRESENCE_INTERVAL_MS = 500;

type Pending = { dirty: boolean };
const coalescing = new Map<number, Pending>();

function publishCount(roomId: number) {
  publish(roomChannel(roomId), presenceEvent(viewerCount(roomId)));
}

/**
 * Tells a room's viewers how many they are, once the stream that just opened
 * or closed has (un)subscribed: at once when the room was quiet, otherwise
 * at the end of the current interval, with the count as it is then.
 */
export function announcePresence(roomId: number) {
  const pending = coalescing.get(roomId);
  if (pending) {
    pending.dirty = true;
    return;
  }
  const state: Pending = { dirty: false };
  coalescing.set(roomId, state);
  setTimeout(() => publishCount(roomId), 0);
  const tick = () => {
    if (!state.dirty) {
      coalescing.delete(roomId);
      return;
    }
    state.dirty = false;
    publishCount(roomId);
    setTimeout(tick, PRESENCE_INTERVAL_MS).unref?.();
  };
  setTimeout(tick, PRESENCE_INTERVAL_MS).unref?.();
}
