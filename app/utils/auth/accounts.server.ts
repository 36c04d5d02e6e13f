import { Prisma } from "~/generated/prisma/client";
import { db } from "../db.server";
import type { Role } from "../permissions";
import { siteOrigin } from "~/mail/links.server";
import { queueVerificationEmail } from "./email-address.server";
import { checkLoginAllowed, recordLoginFailure, recordLoginSuccess } from "./login-throttle.server";
import { suspendedUntil } from "~/moderation/sanctions.server";
import { hashPassword, passwordProblem, verifyAgainstDummy, verifyPassword } from "./password.server";

export type AccountFieldErrors = Partial<Record<"username" | "email" | "password" | "currentPassword", string[]>>;

export type RegisterResult =
  | { ok: true; user: { id: number; username: string; role: string } }
  | { ok: false; fieldErrors: AccountFieldErrors };

/**
 * Creates an account after the checks that need the database, and queues the
 * email that verifies its address in the same transaction.
 */
export async function registerUser(input: {
  username: string;
  email: string;
  password: string;
  role?: Role;
  /** Count the address as verified and send nothing (demo accounts). */
  emailVerified?: boolean;
  /** The sign-up request: links in the email point back to its origin unless PUBLIC_URL is set. */
  request?: Request | null;
  /** More writes that must commit with the new account (e.g. announcement subscriptions chosen at sign-up). */
  afterCreate?: (tx: Prisma.TransactionClient, account: { id: number; email: string; origin: string }) => Promise<void>;
}): Promise<RegisterResult> {
  const fieldErrors: AccountFieldErrors = {};
  const problem = passwordProblem(input.password, { username: input.username, email: input.email });
  if (problem) fieldErrors.password = [problem];
  const usernameKey = input.username.toLowerCase();
  const emailKey = input.email.toLowerCase();
  const [nameTaken, emailTaken] = await Promise.all([
    db.user.findUnique({ where: { usernameKey }, select: { id: true } }),
    db.user.findUnique({ where: { emailKey }, select: { id: true } }),
  ]);
  if (nameTaken) fieldErrors.username = ["That username is taken. Please choose another."];
  if (emailTaken) fieldErrors.email = ["An account with this email address already exists. Try logging in."];
  if (Object.keys(fieldErrors).length) return { ok: false, fieldErrors };

  const passwordHash = await hashPassword(input.password);
  try {
    const origin = siteOrigin(input.request);
    const user = await db.$transaction(async (tx) => {
      const user = await tx.user.create({
        data: {
          username: input.username,
          usernameKey,
          email: input.email,
          emailKey,
          passwordHash,
          role: input.role ?? "member",
          emailVerifiedAt: input.emailVerified ? new Date() : null,
        },
        select: { id: true, username: true, role: true },
      });
      if (!input.emailVerified) await queueVerificationEmail(tx, { id: user.id, username: user.username, email: input.email }, origin);
      await input.afterCreate?.(tx, { id: user.id, email: input.email, origin });
      return user;
    });
    return { ok: true, user };
  } catch (error) {
    // Two sign-ups racing for the same name: the unique index decides.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false, fieldErrors: { username: ["That username or email address was just taken. Please choose another."] } };
    }
    throw error;
  }
}

export type AuthenticateResult =
  | { ok: true; user: { id: number; username: string; role: string } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "suspended"; until: Date }
  | { ok: false; reason: "throttled"; retryAfterSeconds: number };

/**
 * Checks a username-or-email and password. Unknown accounts and wrong
 * passwords give the same answer after the same amount of work.
 */
export async function authenticate(identifier: string, password: string, clientKey: string): Promise<AuthenticateResult> {
  const allowed = checkLoginAllowed(identifier, clientKey);
  if (!allowed.ok) return { ok: false, reason: "throttled", retryAfterSeconds: allowed.retryAfterSeconds };
  const key = identifier.trim().toLowerCase();
  const user = await db.user.findFirst({
    where: { OR: [{ usernameKey: key }, { emailKey: key }] },
    select: { id: true, username: true, email: true, role: true, passwordHash: true, deletedAt: true },
  });
  // A deleted account keeps no name, address or usable hash; refusing it here as well costs nothing.
  const valid = user && !user.deletedAt ? await verifyPassword(user.passwordHash, password) : await verifyAgainstDummy(password);
  if (!user || !valid) {
    recordLoginFailure(identifier, clientKey);
    return { ok: false, reason: "invalid" };
  }
  recordLoginSuccess([user.username, user.email], clientKey);
  // Said only to someone who knows the password.
  const until = await suspendedUntil(user.id);
  if (until) return { ok: false, reason: "suspended", until };
  return { ok: true, user: { id: user.id, username: user.username, role: user.role } };
}

export type ChangePasswordResult = { ok: true; endedSessions: number } | { ok: false; fieldErrors: AccountFieldErrors };

/** Changes a password and ends every other session of the member. */
export async function changePassword(
  userId: number,
  currentPassword: string,
  newPassword: string,
  keepSessionId: string,
): Promise<ChangePasswordResult> {
  const user = await db.user.findUniqueOrThrow({ where: { id: userId }, select: { username: true, email: true, passwordHash: true } });
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    return { ok: false, fieldErrors: { currentPassword: ["That is not your current password."] } };
  }
  const problem = passwordProblem(newPassword, { username: user.username, email: user.email });
  if (problem) return { ok: false, fieldErrors: { password: [problem] } };
  const passwordHash = await hashPassword(newPassword);
  const [, ended] = await db.$transaction([
    db.user.update({ where: { id: userId }, data: { passwordHash } }),
    db.session.deleteMany({ where: { userId, id: { not: keepSessionId } } }),
  ]);
  return { ok: true, endedSessions: ended.count };
}
