import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { publishRoomChange } from "./events.server";
import { reorder, type Direction } from "~/forums/ordering.server";
import { enqueueSearch } from "../../search/outbox.server.ts";

type Moderator = { id: number };

const ROOM_SELECT = {
  id: true, slug: true, name: true, description: true, position: true, archivedAt: true, slowModeSeconds: true,
  createdAt: true, messageCount: true, lastMessageAt: true, lastMessageId: true,
} satisfies Prisma.ChatRoomSelect;

export type RoomRow = Prisma.ChatRoomGetPayload<{ select: typeof ROOM_SELECT }>;

export async function listRooms() {
  return db.chatRoom.findMany({ orderBy: [{ archivedAt: "asc" }, { position: "asc" }, { id: "asc" }], select: ROOM_SELECT });
}

export async function getRoomBySlug(slug: string | undefined): Promise<RoomRow | null> {
  if (!slug) return null;
  return db.chatRoom.findUnique({ where: { slug }, select: ROOM_SELECT });
}

export async function createRoom(moderator: Moderator, input: { slug: string; name: string; description: string }) {
  try {
    const room = await db.$transaction(async (tx) => {
      const last = await tx.chatRoom.findFirst({ orderBy: { position: "desc" }, select: { position: true } });
      const room = await tx.chatRoom.create({ data: { ...input, position: (last?.position ?? -1) + 1 } });
      await recordAudit({ actorId: moderator.id, action: "room.create", targetType: "room", targetId: room.id, details: { slug: room.slug } }, tx);
      return room;
    });
    return { ok: true as const, room };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false as const, fieldErrors: { slug: ["A room already has this address."] } };
    }
    throw error;
  }
}

/** Renames, describes and sets slow mode, recording what changed. */
export async function updateRoom(moderator: Moderator, roomId: number, input: { name: string; description: string; slowModeSeconds: number }) {
  const before = await db.chatRoom.findUnique({ where: { id: roomId }, select: { name: true, description: true, slowModeSeconds: true } });
  if (!before) return null;
  await db.$transaction(async (tx) => {
    await tx.chatRoom.update({ where: { id: roomId }, data: input });
    // Results carry the room name.
    await enqueueSearch(tx, { kind: "room", id: roomId });
    const changed = Object.fromEntries(
      (Object.keys(input) as (keyof typeof input)[]).filter((key) => before[key] !== input[key]).map((key) => [key, { from: before[key], to: input[key] }]),
    );
    if (Object.keys(changed).length) {
      const action = "slowModeSeconds" in changed && Object.keys(changed).length === 1 ? "room.slowmode" : "room.edit";
      await recordAudit({ actorId: moderator.id, action, targetType: "room", targetId: roomId, details: changed }, tx);
    }
  });
  publishRoomChange(roomId);
  return true;
}

/** Archived rooms stay readable and take no messages; unarchiving reopens them. */
export async function setRoomArchived(moderator: Moderator, roomId: number, archived: boolean, reason = "") {
  await db.$transaction(async (tx) => {
    await tx.chatRoom.update({ where: { id: roomId }, data: { archivedAt: archived ? new Date() : null } });
    await recordAudit({ actorId: moderator.id, action: archived ? "room.archive" : "room.unarchive", targetType: "room", targetId: roomId, reason }, tx);
  });
  publishRoomChange(roomId);
}

/** Moves a room one place up or down the room list (archived rooms keep their place but list last). */
export async function moveRoom(moderator: Moderator, roomId: number, direction: Direction): Promise<{ ok: true; message: string } | { ok: false; status: number; message: string }> {
  const rooms = await db.chatRoom.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true, slug: true } });
  const order = reorder(rooms.map((r) => r.id), roomId, direction);
  if (!order) return { ok: false, status: 400, message: rooms.some((r) => r.id === roomId) ? `That room is already at the ${direction === "up" ? "top" : "bottom"}.` : "That room does not exist." };
  await db.$transaction(async (tx) => {
    for (const [position, id] of order.entries()) await tx.chatRoom.update({ where: { id }, data: { position } });
    await recordAudit({ actorId: moderator.id, action: "room.move", targetType: "room", targetId: roomId, details: { slug: rooms.find((r) => r.id === roomId)!.slug, direction, position: order.indexOf(roomId) } }, tx);
  });
  return { ok: true, message: `Room moved ${direction}.` };
}
