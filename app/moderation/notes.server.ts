// Moderators' private notes about a member; never shown to members.
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";

export const NOTE_MAX = 2000;

export async function addStaffNote(moderator: { id: number }, userId: number, body: string) {
  const text = body.trim().slice(0, NOTE_MAX);
  const member = await db.user.findUnique({ where: { id: userId }, select: { username: true } });
  return db.$transaction(async (tx) => {
    const note = await tx.staffNote.create({ data: { userId, authorId: moderator.id, body: text } });
    // The note's text stays out of the audit log: it may describe the member.
    await recordAudit({ actorId: moderator.id, action: "user.note", targetType: "user", targetId: userId, details: { noteId: note.id, username: member?.username ?? null } }, tx);
    return note;
  });
}

export async function listStaffNotes(userId: number, take = 50) {
  const notes = await db.staffNote.findMany({ where: { userId }, orderBy: { id: "desc" }, take });
  const authors = await db.user.findMany({ where: { id: { in: notes.map((n) => n.authorId) } }, select: { id: true, username: true } });
  const names = new Map(authors.map((a) => [a.id, a.username]));
  return notes.map((n) => ({ id: n.id, body: n.body, author: names.get(n.authorId) ?? "a moderator", createdAt: n.createdAt.toISOString() }));
}
