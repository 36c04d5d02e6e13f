import type { LiveEvent } from "~/events/bus.server";
import { messageEvent, updateEvent } from "./events.server";
import { loadViews } from "./view.server";

/** More missed messages than this, and the client is asked to reload instead. */
export const REPLAY_MAX = 500;

/**
 * What a stream resuming after message N (its Last-Event-ID) must be sent:
 *
 * 1. "update" events for earlier messages (id <= N) changed since N arrived:
 *    every edit, delete or promotion stamps the message with the room's
 *    newest message id at that moment (revisedAfterId, see revise.server.ts),
 *    so "changed since N" is `revisedAfterId >= N`. A change the client had
 *    already received before it dropped may come again; updates carry the
 *    whole current state, so applying one twice is harmless.
 * 2. "message" events for every message after N, in id order, each in its
 *    current state (an edit made while the client was away is included).
 *
 * Message events carry their id; update events carry none, so the browser's
 * Last-Event-ID only ever moves forward over messages it has. The events
 * layer subscribes before calling this and drops buffered live events whose
 * id was already replayed, so no message arrives twice.
 *
 * `lastEventId` is the Last-Event-ID header, or the `after` query parameter
 * on a first connection (the newest message the page was rendered with).
 * Without either, nothing is replayed.
 */
export async function replayRoom(roomId: number, lastEventId: string | null): Promise<LiveEvent[]> {
  if (!lastEventId || !/^\d{1,15}$/.test(lastEventId)) return [];
  const after = Number(lastEventId);
  const [changed, missed] = await Promise.all([
    loadViews({ roomId, id: { lte: after }, revisedAfterId: { gte: after } }, { id: "asc" }, REPLAY_MAX),
    loadViews({ roomId, id: { gt: after } }, { id: "asc" }, REPLAY_MAX + 1),
  ]);
  if (missed.length > REPLAY_MAX) return [{ type: "reload", data: {} }];
  return [...changed.map(updateEvent), ...missed.map(messageEvent)];
}
