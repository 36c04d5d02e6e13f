import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";

type Moderator = { id: number };

/** The mute that keeps a member from posting in a room now, if any (the longest one). */
export async function activeMute(roomId: number, userId: number, now = new Date()) {
  return db.chatMute.findFirst({
    where: { roomId, userId, until: { gt: now } },
    orderBy: { until: "desc" },
    select: { id: true, until: true, reason: true },
  });
}

export async function listActiveMutes(roomId: number, now = new Date()) {
  const mutes = await db.chatMute.findMany({ where: { roomId, until: { gt: now } }, orderBy: { until: "asc" }, select: { id: true, userId: true, until: true, reason: true } });
  const users = await db.user.findMany({ where: { id: { in: mutes.map((m) => m.userId) } }, select: { id: true, username: true } });
  const names = new Map(users.map((u) => [u.id, u.username]));
  return mutes.map((mute) => ({ ...mute, username: names.get(mute.userId) ?? "unknown" }));
}

export async function muteMember(moderator: Moderator, roomId: number, userId: number, minutes: number, reason: string, now = new Date()) {
  const until = new Date(now.getTime() + minutes * 60_000);
  await db.$transaction(async (tx) => {
    await tx.chatMute.create({ data: { roomId, userId, until, reason, byId: moderator.id, createdAt: now } });
    await recordAudit({ actorId: moderator.id, action: "chat.mute", targetType: "user", targetId: userId, reason, details: { roomId, minutes, until: until.toISOString() } }, tx);
  });
  return until;
}

/** Ends every active mute of a member in a room. */
export async function unmuteMember(moderator: Moderator, roomId: number, userId: number, now = new Date()) {
  await db.$transaction(async (tx) => {
    const { count } = await tx.chatMute.updateMany({ where: { roomId, userId, until: { gt: now } }, data: { until: now } });
    if (count) await recordAudit({ actorId: moderator.id, action: "chat.unmute", targetType: "user", targetId: userId, details: { roomId } }, tx);
  });
}
