import { db } from "../db.server";
import { generateSessionToken, secretMatches, splitSessionToken } from "./session-token.server";

const DAY_MS = 24 * 60 * 60 * 1000;
// Extending the idle expiry costs a write; do it at most once an hour.
const TOUCH_INTERVAL_MS = 60 * 60 * 1000;

export type SessionPolicy = { idleDays: number; maxDays: number };

export type SessionUser = { id: number; username: string; role: string };
export type ValidSession = {
  session: { id: string; createdAt: Date; expiresAt: Date; absoluteExpiresAt: Date };
  user: SessionUser;
};

export async function createSession(userId: number, label: string, policy: SessionPolicy, now = new Date()) {
  const { token, id, secretHash } = generateSessionToken();
  const absoluteExpiresAt = new Date(now.getTime() + policy.maxDays * DAY_MS);
  const idleExpiresAt = new Date(now.getTime() + policy.idleDays * DAY_MS);
  await db.session.create({
    data: {
      id,
      secretHash,
      userId,
      label: label.slice(0, 100),
      createdAt: now,
      lastUsedAt: now,
      expiresAt: idleExpiresAt < absoluteExpiresAt ? idleExpiresAt : absoluteExpiresAt,
      absoluteExpiresAt,
    },
  });
  return { token, maxAgeSeconds: Math.floor((absoluteExpiresAt.getTime() - now.getTime()) / 1000) };
}

/**
 * The session and its user for a cookie token, or null when the token is
 * malformed, unknown, forged or expired. Slides the idle expiry forward.
 */
export async function validateSessionToken(
  token: string | null | undefined,
  policy: SessionPolicy,
  now = new Date(),
): Promise<ValidSession | null> {
  const parts = splitSessionToken(token);
  if (!parts) return null;
  const row = await db.session.findUnique({
    where: { id: parts.id },
    include: { user: { select: { id: true, username: true, role: true } } },
  });
  if (!row || !secretMatches(parts.secret, row.secretHash)) return null;
  if (now >= row.expiresAt || now >= row.absoluteExpiresAt) {
    await db.session.deleteMany({ where: { id: row.id } });
    return null;
  }
  let expiresAt = row.expiresAt;
  if (now.getTime() - row.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
    const slid = new Date(now.getTime() + policy.idleDays * DAY_MS);
    expiresAt = slid < row.absoluteExpiresAt ? slid : row.absoluteExpiresAt;
    await db.session.update({ where: { id: row.id }, data: { lastUsedAt: now, expiresAt } });
  }
  return {
    session: { id: row.id, createdAt: row.createdAt, expiresAt, absoluteExpiresAt: row.absoluteExpiresAt },
    user: row.user,
  };
}

export async function invalidateSession(sessionId: string) {
  await db.session.deleteMany({ where: { id: sessionId } });
}

/** Ends a member's sessions, optionally keeping the one in use. */
export async function invalidateUserSessions(userId: number, options: { except?: string } = {}) {
  const { count } = await db.session.deleteMany({
    where: { userId, ...(options.except ? { id: { not: options.except } } : {}) },
  });
  return count;
}

export async function listUserSessions(userId: number, now = new Date()) {
  return db.session.findMany({
    where: { userId, expiresAt: { gt: now }, absoluteExpiresAt: { gt: now } },
    select: { id: true, label: true, createdAt: true, lastUsedAt: true, expiresAt: true },
    orderBy: { lastUsedAt: "desc" },
  });
}

export async function deleteExpiredSessions(now = new Date()) {
  const { count } = await db.session.deleteMany({
    where: { OR: [{ expiresAt: { lte: now } }, { absoluteExpiresAt: { lte: now } }] },
  });
  return count;
}
