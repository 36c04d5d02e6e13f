import type { AppLoadContext } from "@remix-run/node";
import { hasAcknowledgedPublicPosting } from "~/forums/posting.server";
import { db } from "~/utils/db.server";
import { notFound } from "~/utils/http";
import { canPostInRoom } from "~/utils/permissions";
import { parseCursor, roomHistory } from "./history.server";
import { excerptOf } from "./message-view";
import { activeMute } from "./mutes.server";
import { viewerCount } from "./presence.server";
import { getRoomBySlug, type RoomRow } from "./rooms.server";

export async function requireRoom(slug: string | undefined): Promise<RoomRow> {
  const room = await getRoomBySlug(slug);
  if (!room) notFound("There is no chat room at this address.");
  return room;
}

export function roomSummary(room: RoomRow) {
  return {
    id: room.id, slug: room.slug, name: room.name, description: room.description, archived: Boolean(room.archivedAt),
    slowModeSeconds: room.slowModeSeconds, messageCount: room.messageCount,
  };
}

/** Everything the room page shows: a page of history, presence, and what the viewer may do. */
export async function loadRoomPage(room: RoomRow, url: URL, context: AppLoadContext) {
  const user = context.auth?.user ?? null;
  const before = parseCursor(url.searchParams.get("before"));
  const history = await roomHistory(room.id, { before });
  let viewer = null;
  if (user) {
    const replyOf = parseCursor(url.searchParams.get("replyTo"));
    const [acknowledged, mute, reply] = await Promise.all([
      hasAcknowledgedPublicPosting(user.id),
      activeMute(room.id, user.id),
      replyOf
        ? db.chatMessage.findFirst({ where: { id: replyOf, roomId: room.id, deletedAt: null }, select: { id: true, body: true, author: { select: { username: true } } } })
        : null,
    ]);
    viewer = {
      canPost: canPostInRoom(user, { archived: Boolean(room.archivedAt) }),
      needsAcknowledgement: !acknowledged,
      mute: mute ? { until: mute.until.toISOString(), reason: mute.reason } : null,
      replyTo: reply ? { id: reply.id, author: reply.author.username, excerpt: excerptOf(reply.body) } : null,
      submissionId: crypto.randomUUID(),
    };
  }
  return {
    room: roomSummary(room),
    messages: history.messages,
    earlierCursor: history.earlierCursor,
    viewingEarlier: before !== null,
    present: viewerCount(room.id),
    viewer,
    now: Date.now(),
  };
}
