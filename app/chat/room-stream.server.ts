import type { LiveStreamOptions } from "~/events/live-stream.server";
import { roomChannel } from "./events.server";
import { announcePresence } from "./presence.server";
import { replayRoom } from "./replay.server";
import { getRoomBySlug } from "./rooms.server";

export type RoomStream = { channel: string; options: LiveStreamOptions; opened: () => void };

/**
 * What a room's live stream is, whichever way it is served: its channel,
 * the replay of what a reconnecting client missed (replay.server.ts), and
 * presence (open streams count as viewers "here now"; every arrival and
 * departure is announced). Null when there is no such room.
 */
export async function roomStream(slug: string | undefined): Promise<RoomStream | null> {
  const room = await getRoomBySlug(slug);
  if (!room) return null;
  return {
    channel: roomChannel(room.id),
    options: {
      replay: (lastEventId) => replayRoom(room.id, lastEventId),
      onClose: () => announcePresence(room.id),
    },
    opened: () => announcePresence(room.id),
  };
}
