// "Forgot your password?": a single-use link, valid for an hour, sent to the
// account's address. The request gets the same answer, after about the same
// time, whether or not an account has that address.
import { randomBytes } from "node:crypto";
import { siteOrigin } from "~/mail/links.server";
import { resetPasswordMessage } from "~/mail/messages.server";
import { queueMail } from "~/mail/queue.server";
import { db } from "../db.server";
import { consumeEmailToken, findEmailToken, hashEmailToken, issueEmailToken } from "./email-tokens.server";
import { hashPassword, passwordProblem } from "./password.server";

/** Every answer to a reset request takes at least this long, so its timing says nothing. */
export const RESET_REQUEST_FLOOR_MS = 300;

/**
 * Queues a reset link when an account has this address; does the same
 * lookups and token work when none does, and never says which.
 */
export async function requestPasswordReset(email: string, request?: Request | null, floorMs = RESET_REQUEST_FLOOR_MS): Promise<void> {
  const started = Date.now();
  const origin = siteOrigin(request);
  await db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { emailKey: email.trim().toLowerCase() }, select: { id: true, username: true, email: true } });
    if (!user) {
      // The token work an account would cost, thrown away.
      hashEmailToken(randomBytes(32).toString("base64url"));
      return;
    }
    const token = await issueEmailToken(tx, { userId: user.id, purpose: "reset-password", email: user.email });
    await queueMail(tx, resetPasswordMessage({ to: user.email, username: user.username, origin, token }));
  });
  const wait = floorMs - (Date.now() - started);
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait + Math.floor(Math.random() * 50)));
}

/** Is this a live reset link? (The GET page; nothing is consumed.) */
export async function checkResetToken(token: string | null): Promise<boolean> {
  const row = await findEmailToken(db, token, ["reset-password"]);
  if (!row) return false;
  const user = await db.user.findUnique({ where: { id: row.userId }, select: { email: true } });
  return user?.email === row.email;
}

export type ResetResult = { ok: true; username: string } | { ok: false; reason: "invalid" } | { ok: false; reason: "password"; message: string };

/** Sets the new password, uses up the link and ends every session of the account. */
export async function resetPassword(token: string | null, newPassword: string, now = new Date()): Promise<ResetResult> {
  const row = await findEmailToken(db, token, ["reset-password"], now);
  if (!row) return { ok: false, reason: "invalid" };
  const user = await db.user.findUnique({ where: { id: row.userId }, select: { id: true, username: true, email: true, emailVerifiedAt: true } });
  // A link sent to an address the account has since left is void.
  if (!user || user.email !== row.email) return { ok: false, reason: "invalid" };
  const problem = passwordProblem(newPassword, { username: user.username, email: user.email });
  if (problem) return { ok: false, reason: "password", message: problem };
  const passwordHash = await hashPassword(newPassword);
  return db.$transaction(async (tx): Promise<ResetResult> => {
    if (!(await consumeEmailToken(tx, row.id, now))) return { ok: false, reason: "invalid" };
    // The link reached the mailbox, which proves the address too.
    await tx.user.update({ where: { id: user.id }, data: { passwordHash, emailVerifiedAt: user.emailVerifiedAt ?? now } });
    await tx.session.deleteMany({ where: { userId: user.id } });
    await tx.emailToken.updateMany({ where: { userId: user.id, purpose: "reset-password", usedAt: null }, data: { usedAt: now } });
    return { ok: true, username: user.username };
  });
}
