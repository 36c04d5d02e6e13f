// Proving a member receives mail at their address: the link sent at sign-up
// (or again on request), and the change of address, which takes effect only
// once the NEW address is confirmed; the old address is told about it.
import { followAddressChange } from "~/announcements/subscriptions.server";
import { Prisma } from "~/generated/prisma/client";
import { siteOrigin } from "~/mail/links.server";
import { changeEmailMessage, emailChangeNoticeMessage, verifyEmailMessage } from "~/mail/messages.server";
import { queueMail } from "~/mail/queue.server";
import { db } from "../db.server";
import { consumeEmailToken, findEmailToken, issueEmailToken } from "./email-tokens.server";
import { verifyPassword } from "./password.server";

type Tx = Prisma.TransactionClient;

/** Issues a verification link and queues its email, in the caller's transaction. */
export async function queueVerificationEmail(tx: Tx, user: { id: number; username: string; email: string }, origin: string): Promise<void> {
  const token = await issueEmailToken(tx, { userId: user.id, purpose: "verify-email", email: user.email });
  await queueMail(tx, verifyEmailMessage({ to: user.email, username: user.username, origin, token }));
}

export type ResendResult = { ok: true } | { ok: false; reason: "already-verified" };

export async function resendVerificationEmail(userId: number, request?: Request | null): Promise<ResendResult> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, username: true, email: true, emailVerifiedAt: true } });
    if (user.emailVerifiedAt) return { ok: false, reason: "already-verified" } as const;
    await queueVerificationEmail(tx, user, siteOrigin(request));
    return { ok: true } as const;
  });
}

export type ConfirmResult =
  | { ok: true; purpose: "verify-email" | "change-email"; username: string }
  | { ok: false; reason: "invalid" | "address-taken" };

/** Is this a live verification link? (The GET page; nothing is consumed.) */
export async function checkAddressToken(token: string | null): Promise<boolean> {
  return (await findEmailToken(db, token, ["verify-email", "change-email"])) !== null;
}

/**
 * Consumes a verify-email or change-email link. A link for an address the
 * account no longer has (or no longer waits for) is void.
 */
export async function confirmAddress(token: string | null, now = new Date()): Promise<ConfirmResult> {
  try {
    return await db.$transaction(async (tx): Promise<ConfirmResult> => {
      const row = await findEmailToken(tx, token, ["verify-email", "change-email"], now);
      if (!row) return { ok: false, reason: "invalid" };
      const user = await tx.user.findUnique({ where: { id: row.userId }, select: { id: true, username: true, email: true, emailKey: true, emailVerifiedAt: true, pendingEmail: true } });
      if (!user) return { ok: false, reason: "invalid" };
      const address = row.email.toLowerCase();
      if (row.purpose === "verify-email") {
        if (user.emailKey !== address || !(await consumeEmailToken(tx, row.id, now))) return { ok: false, reason: "invalid" };
        await tx.user.update({ where: { id: user.id }, data: { emailVerifiedAt: now } });
        return { ok: true, purpose: "verify-email", username: user.username };
      }
      if (user.pendingEmail?.toLowerCase() !== address) return { ok: false, reason: "invalid" };
      const taken = await tx.user.findFirst({ where: { emailKey: address, id: { not: user.id } }, select: { id: true } });
      if (taken) return { ok: false, reason: "address-taken" };
      if (!(await consumeEmailToken(tx, row.id, now))) return { ok: false, reason: "invalid" };
      await tx.user.update({ where: { id: user.id }, data: { email: row.email, emailKey: address, emailVerifiedAt: now, pendingEmail: null } });
      // Links for the old address mean nothing now.
      await tx.emailToken.updateMany({ where: { userId: user.id, purpose: "verify-email", usedAt: null }, data: { usedAt: now } });
      // Announcement lists are keyed by address: the member's follow them to the new one. Only from
      // an address they had confirmed: an unconfirmed one may be someone else's, with their lists.
      if (user.emailVerifiedAt) await followAddressChange(tx, user.email, row.email);
      return { ok: true, purpose: "change-email", username: user.username };
    });
  } catch (error) {
    // Another account took the address between the check and the update.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return { ok: false, reason: "address-taken" };
    throw error;
  }
}

export type EmailChangeResult = { ok: true } | { ok: false; fieldErrors: Partial<Record<"newEmail" | "currentPassword", string[]>> };

/**
 * Stores the new address as pending and mails a link to it, and a notice to
 * the current address. The password is asked so that a borrowed session
 * cannot move the account (and its password resets) to another mailbox.
 */
export async function requestEmailChange(userId: number, newEmail: string, currentPassword: string, request?: Request | null): Promise<EmailChangeResult> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { id: true, username: true, email: true, emailKey: true, passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    return { ok: false, fieldErrors: { currentPassword: ["That is not your current password."] } };
  }
  const newKey = newEmail.toLowerCase();
  if (newKey === user.emailKey) return { ok: false, fieldErrors: { newEmail: ["That is already your address."] } };
  if (await db.user.findUnique({ where: { emailKey: newKey }, select: { id: true } })) {
    return { ok: false, fieldErrors: { newEmail: ["An account with this email address already exists."] } };
  }
  const origin = siteOrigin(request);
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { pendingEmail: newEmail } });
    const token = await issueEmailToken(tx, { userId: user.id, purpose: "change-email", email: newEmail });
    await queueMail(tx, changeEmailMessage({ to: newEmail, username: user.username, origin, token }));
    await queueMail(tx, emailChangeNoticeMessage({ to: user.email, username: user.username, origin, newAddress: newEmail }));
  });
  return { ok: true };
}

/** Withdraws a pending change: its link stops working. */
export async function cancelEmailChange(userId: number, now = new Date()): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: userId }, data: { pendingEmail: null } });
    await tx.emailToken.updateMany({ where: { userId, purpose: "change-email", usedAt: null }, data: { usedAt: now } });
  });
}
