// The forms of /mod/rooms: reorder and archive rooms. Renaming, describing
// and slow mode live on each room's settings page (/chat/<slug>/settings).
import { data } from "@remix-run/node";
import { z } from "zod";
import { failure, parseForm, type FormFailure } from "~/utils/forms";
import { db } from "~/utils/db.server";
import { moveRoom, setRoomArchived } from "./rooms.server";

export type RoomOutcome = { ok: true; form: string; message: string } | (FormFailure & { form: string });

const id = z.coerce.number({ invalid_type_error: "Unknown room." }).int().positive("Unknown room.");
const MoveSchema = z.object({ id, direction: z.enum(["up", "down"], { message: "Choose up or down." }) });
const ArchiveSchema = z.object({ id, archived: z.enum(["yes", "no"]) });

/** Every room in list order, archived ones where they stand. */
export async function listRoomsForManagement() {
  const rooms = await db.chatRoom.findMany({
    orderBy: [{ position: "asc" }, { id: "asc" }],
    select: { id: true, slug: true, name: true, description: true, archivedAt: true, messageCount: true, slowModeSeconds: true },
  });
  return rooms.map(({ archivedAt, ...room }) => ({ ...room, archived: Boolean(archivedAt) }));
}

export async function handleRoomManagementForm(moderator: { id: number }, formData: FormData) {
  const intent = formData.get("intent");
  const form = `${String(intent)}:${String(formData.get("id") ?? "")}`;
  if (intent === "room-move") {
    const parsed = parseForm(MoveSchema, formData);
    if (!parsed.ok) return data<RoomOutcome>({ ...parsed, form }, { status: 400 });
    const result = await moveRoom(moderator, parsed.data.id, parsed.data.direction);
    if (!result.ok) return data<RoomOutcome>({ ...failure(formData, {}, [result.message]), form }, { status: result.status });
    return data<RoomOutcome>({ ok: true, form, message: result.message });
  }
  if (intent === "room-archive") {
    const parsed = parseForm(ArchiveSchema, formData);
    if (!parsed.ok) return data<RoomOutcome>({ ...parsed, form }, { status: 400 });
    const room = await db.chatRoom.findUnique({ where: { id: parsed.data.id }, select: { id: true, name: true } });
    if (!room) return data<RoomOutcome>({ ...failure(formData, {}, ["That room does not exist."]), form }, { status: 404 });
    const archived = parsed.data.archived === "yes";
    await setRoomArchived(moderator, room.id, archived);
    return data<RoomOutcome>({ ok: true, form, message: `Room “${room.name}” ${archived ? "archived" : "reopened"}.` });
  }
  return data<RoomOutcome>({ ...failure(formData, {}, ["Unknown action."]), form: "unknown" }, { status: 400 });
}
