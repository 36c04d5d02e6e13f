// Warnings, silences (cannot post, can read) and suspensions (cannot log in,
// sessions ended) of members, and their enforcement.
import type { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import type { Rule } from "./rules";

type Tx = Prisma.TransactionClient;
type Moderator = { id: number };
const DAY_MS = 86_400_000;

export const SANCTION_ACTIONS = ["user.warn", "user.silence", "user.suspend"] as const;

export type SanctionResult = { ok: true; until: Date | null } | { ok: false; status: number; message: string };

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** "30 November 2026, 14:05 UTC": sanctions are stated in UTC so every reader sees the same time. */
export function formatUntil(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

async function target(userId: number) {
  return db.user.findUnique({ where: { id: userId }, select: { id: true, username: true, role: true } });
}

function refuseStaff(user: { role: string } | null): SanctionResult | null {
  if (!user) return { ok: false, status: 404, message: "That member does not exist." };
  if (user.role !== "member") return { ok: false, status: 403, message: "Moderators and admins cannot be sanctioned from the queue; ask an admin to change their role first." };
  return null;
}

/** A private notice the member sees on their notifications page. Audit: user.warn. */
export async function warnUserTx(tx: Tx, moderator: Moderator, user: { id: number; username: string }, reason: string, rule?: Rule) {
  await tx.notification.create({ data: { userId: user.id, kind: "warning", actorId: moderator.id, text: reason } });
  await recordAudit({ actorId: moderator.id, action: "user.warn", targetType: "user", targetId: user.id, reason, details: { username: user.username, rule: rule ?? null } }, tx);
}

/** Silence (no posting) or suspend (no log-in, sessions ended) for a number of days. */
export async function sanctionUserTx(
  tx: Tx,
  moderator: Moderator,
  user: { id: number; username: string },
  kind: "silence" | "suspend",
  days: number,
  reason: string,
  rule?: Rule,
  now = new Date(),
): Promise<Date> {
  const until = new Date(now.getTime() + days * DAY_MS);
  let endedSessions = 0;
  if (kind === "silence") {
    await tx.user.update({ where: { id: user.id }, data: { silencedUntil: until } });
  } else {
    await tx.user.update({ where: { id: user.id }, data: { suspendedUntil: until } });
    endedSessions = (await tx.session.deleteMany({ where: { userId: user.id } })).count;
  }
  await recordAudit(
    {
      actorId: moderator.id,
      action: `user.${kind}`,
      targetType: "user",
      targetId: user.id,
      reason,
      details: { username: user.username, days, until: until.toISOString(), rule: rule ?? null, ...(kind === "suspend" ? { endedSessions } : {}) },
    },
    tx,
  );
  return until;
}

export async function warnUser(moderator: Moderator, userId: number, reason: string, rule?: Rule): Promise<SanctionResult> {
  const user = await target(userId);
  const refused = refuseStaff(user);
  if (refused) return refused;
  await db.$transaction((tx) => warnUserTx(tx, moderator, user!, reason, rule));
  return { ok: true, until: null };
}

export async function sanctionUser(moderator: Moderator, userId: number, kind: "silence" | "suspend", days: number, reason: string, rule?: Rule): Promise<SanctionResult> {
  const user = await target(userId);
  const refused = refuseStaff(user);
  if (refused) return refused;
  const until = await db.$transaction((tx) => sanctionUserTx(tx, moderator, user!, kind, days, reason, rule));
  return { ok: true, until };
}

/** Ends a silence or suspension early. Audit: user.unsilence / user.unsuspend. */
export async function liftSanction(moderator: Moderator, userId: number, kind: "silence" | "suspend", reason: string): Promise<SanctionResult> {
  const user = await target(userId);
  if (!user) return { ok: false, status: 404, message: "That member does not exist." };
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: kind === "silence" ? { silencedUntil: null } : { suspendedUntil: null } });
    await recordAudit({ actorId: moderator.id, action: `user.un${kind}`, targetType: "user", targetId: userId, reason, details: { username: user.username } }, tx);
  });
  return { ok: true, until: null };
}

/** How many warnings, silences and suspensions a member has had: the basis of the escalation suggestion. */
export function countPastSanctions(userId: number): Promise<number> {
  return db.auditEntry.count({ where: { targetType: "user", targetId: String(userId), action: { in: [...SANCTION_ACTIONS] } } });
}

export async function currentSanctions(userId: number, now = new Date()) {
  const user = await db.user.findUnique({ where: { id: userId }, select: { silencedUntil: true, suspendedUntil: true } });
  return {
    silencedUntil: user?.silencedUntil && user.silencedUntil > now ? user.silencedUntil : null,
    suspendedUntil: user?.suspendedUntil && user.suspendedUntil > now ? user.suspendedUntil : null,
  };
}

/** Why a member may not post right now, or null. Posting calls this before it writes. */
export async function postingRefusal(userId: number, now = new Date()): Promise<string | null> {
  const { silencedUntil, suspendedUntil } = await currentSanctions(userId, now);
  if (suspendedUntil) return `Your account is suspended until ${formatUntil(suspendedUntil)}. You cannot post until then.`;
  if (silencedUntil) return `A moderator has silenced your account until ${formatUntil(silencedUntil)}. You can read, but you cannot post until then.`;
  return null;
}

/** The end of a member's suspension, if they are suspended now; log-in refuses them until then. */
export async function suspendedUntil(userId: number, now = new Date()): Promise<Date | null> {
  return (await currentSanctions(userId, now)).suspendedUntil;
}
