// Member accounts as admins manage them (/admin/users): find, read, change
// roles, suspend, sign out everywhere. Never passwords or their hashes.
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { canChangeRole, type Role } from "~/utils/permissions";

type Admin = { id: number; role: string };
export type AdminResult = { ok: true; message: string } | { ok: false; status: number; field?: string; message: string };

export const MEMBERS_PAGE_SIZE = 50;

/** Members whose username or email contains `query` (case-insensitive), newest first. */
export async function searchMembers(query: string, now = new Date()) {
  const needle = query.trim().toLowerCase().slice(0, 100);
  const users = await db.user.findMany({
    where: needle ? { OR: [{ usernameKey: { contains: needle } }, { emailKey: { contains: needle } }] } : {},
    orderBy: { id: "desc" },
    take: MEMBERS_PAGE_SIZE,
    select: { id: true, username: true, email: true, role: true, createdAt: true, emailVerifiedAt: true, suspendedUntil: true, silencedUntil: true },
  });
  // "Last seen" is the latest use of any of the member's sessions (sessions end at log-out, so it is a lower bound).
  const seen = users.length
    ? await db.session.groupBy({ by: ["userId"], where: { userId: { in: users.map((u) => u.id) } }, _max: { lastUsedAt: true }, _count: { _all: true } })
    : [];
  const seenBy = new Map(seen.map((s) => [s.userId, s]));
  return users.map((u) => ({
    id: u.id,
    username: u.username,
    email: u.email,
    role: u.role,
    createdAt: u.createdAt.toISOString(),
    lastSeenAt: seenBy.get(u.id)?._max.lastUsedAt?.toISOString() ?? null,
    sessions: seenBy.get(u.id)?._count._all ?? 0,
    verified: u.emailVerifiedAt !== null,
    suspendedUntil: u.suspendedUntil && u.suspendedUntil > now ? u.suspendedUntil.toISOString() : null,
    silencedUntil: u.silencedUntil && u.silencedUntil > now ? u.silencedUntil.toISOString() : null,
  }));
}

/**
 * Changes a member's role. Admins cannot change their own role, and the last
 * admin cannot be demoted: the count is taken inside the transaction so two
 * admins demoting each other at once cannot both succeed.
 */
export async function changeRole(admin: Admin, userId: number, role: Role, reason: string): Promise<AdminResult> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, username: true, role: true } });
  if (!user) return { ok: false, status: 404, message: "That member does not exist." };
  if (!canChangeRole(admin, user)) return { ok: false, status: 403, message: "You cannot change your own role; ask another admin." };
  if (user.role === role) return { ok: true, message: `${user.username} is already ${role === "admin" ? "an" : "a"} ${role}.` };
  const outcome = await db.$transaction(async (tx) => {
    if (user.role === "admin") {
      const admins = await tx.user.count({ where: { role: "admin" } });
      if (admins <= 1) return "last-admin" as const;
    }
    await tx.user.update({ where: { id: userId }, data: { role } });
    await recordAudit({ actorId: admin.id, action: "user.role", targetType: "user", targetId: userId, reason, details: { username: user.username, from: user.role, to: role } }, tx);
    return "changed" as const;
  });
  if (outcome === "last-admin") return { ok: false, status: 409, message: `${user.username} is the last admin; make someone else an admin first.` };
  return { ok: true, message: `${user.username} is now ${role === "admin" ? "an" : "a"} ${role}.` };
}

/** Signs a member out of every browser. */
export async function revokeSessions(admin: Admin, userId: number, reason: string): Promise<AdminResult> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { id: true, username: true } });
  if (!user) return { ok: false, status: 404, message: "That member does not exist." };
  const ended = await db.$transaction(async (tx) => {
    const { count } = await tx.session.deleteMany({ where: { userId } });
    await recordAudit({ actorId: admin.id, action: "user.sessions-revoke", targetType: "user", targetId: userId, reason, details: { username: user.username, endedSessions: count } }, tx);
    return count;
  });
  return { ok: true, message: `${user.username} was signed out of ${ended} session${ended === 1 ? "" : "s"}.` };
}
