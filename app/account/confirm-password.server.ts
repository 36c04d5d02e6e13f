// Exporting and deleting an account need the member's password, typed again:
// a stolen session alone can neither download everything nor erase it.
// Attempts are limited per account so the form cannot be used to guess.
import { verifyPassword } from "~/utils/auth/password.server";
import { db } from "~/utils/db.server";
import { consumeLimit, type Limit } from "~/utils/rate-limit.server";

export const CONFIRM_LIMIT: Limit = { max: 5, windowMs: 15 * 60 * 1000 };

export type ConfirmResult = { ok: true } | { ok: false; reason: "throttled" | "password"; message: string };

export async function confirmPassword(userId: number, password: string): Promise<ConfirmResult> {
  const limit = consumeLimit(`account-confirm:${userId}`, CONFIRM_LIMIT);
  if (!limit.ok) {
    return { ok: false, reason: "throttled", message: `Too many attempts. Please wait ${Math.ceil(limit.retryAfterSeconds / 60)} minutes and try again.` };
  }
  const user = await db.user.findUnique({ where: { id: userId }, select: { passwordHash: true, deletedAt: true } });
  if (!user || user.deletedAt || !password || !(await verifyPassword(user.passwordHash, password))) {
    return { ok: false, reason: "password", message: "That is not your password." };
  }
  return { ok: true };
}

/** The messages for a reason passed back in a redirect (never free text from the URL). */
export const CONFIRM_MESSAGES: Record<string, string> = {
  password: "That is not your password.",
  throttled: "Too many attempts. Please wait a few minutes and try again.",
};
