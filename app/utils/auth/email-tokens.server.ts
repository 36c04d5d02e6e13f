// One-time links sent by email: 32 random bytes in the link, only their
// SHA-256 in the database (a copy of the table cannot be used), a purpose,
// an expiry, and single use: consuming is one conditional update, so two
// clicks racing cannot both succeed.
import { randomBytes } from "node:crypto";
import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase64urlNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import type { Prisma } from "~/generated/prisma/client";

export type TokenPurpose = "verify-email" | "change-email" | "reset-password";

const HOUR_MS = 60 * 60_000;
export const TOKEN_LIFETIME_MS: Record<TokenPurpose, number> = {
  "verify-email": 24 * HOUR_MS,
  "change-email": 24 * HOUR_MS,
  "reset-password": HOUR_MS,
};

/** 32 bytes as unpadded base64url: 43 characters. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/** A new link token (store only hashEmailToken() of it). Also used by announcement-list confirmations. */
export function generateEmailToken(): string {
  return encodeBase64urlNoPadding(randomBytes(32));
}

export function isEmailTokenShape(token: string | null | undefined): token is string {
  return typeof token === "string" && TOKEN_SHAPE.test(token);
}

type TokenClient = Pick<Prisma.TransactionClient, "emailToken">;

export function hashEmailToken(token: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

/** Creates a token and returns it; only its hash is stored. Earlier unused tokens of the same purpose stop working. */
export async function issueEmailToken(
  tx: TokenClient,
  input: { userId: number; purpose: TokenPurpose; email: string },
  now = new Date(),
): Promise<string> {
  const token = generateEmailToken();
  await tx.emailToken.updateMany({ where: { userId: input.userId, purpose: input.purpose, usedAt: null }, data: { usedAt: now } });
  await tx.emailToken.create({
    data: {
      tokenHash: hashEmailToken(token),
      userId: input.userId,
      purpose: input.purpose,
      email: input.email,
      createdAt: now,
      expiresAt: new Date(now.getTime() + TOKEN_LIFETIME_MS[input.purpose]),
    },
  });
  return token;
}

export type TokenRow = { id: number; userId: number; purpose: string; email: string; expiresAt: Date; usedAt: Date | null };

/** The live token for a link, or null (malformed, unknown, used, expired or for another purpose). Does not consume it. */
export async function findEmailToken(
  tx: TokenClient,
  token: string | null | undefined,
  purposes: TokenPurpose[],
  now = new Date(),
): Promise<TokenRow | null> {
  if (!isEmailTokenShape(token)) return null;
  const hash = hashEmailToken(token);
  const row = await tx.emailToken.findUnique({
    where: { tokenHash: hash },
    select: { id: true, userId: true, purpose: true, email: true, expiresAt: true, usedAt: true, tokenHash: true },
  });
  if (!row) return null;
  const given = new TextEncoder().encode(hash);
  const stored = new TextEncoder().encode(row.tokenHash);
  if (given.length !== stored.length || !constantTimeEqual(given, stored)) return null;
  if (row.usedAt || row.expiresAt <= now || !(purposes as string[]).includes(row.purpose)) return null;
  return { id: row.id, userId: row.userId, purpose: row.purpose, email: row.email, expiresAt: row.expiresAt, usedAt: row.usedAt };
}

/** Marks the token used; true only for the one caller that got there first while it was live. */
export async function consumeEmailToken(tx: TokenClient, id: number, now = new Date()): Promise<boolean> {
  const { count } = await tx.emailToken.updateMany({ where: { id, usedAt: null, expiresAt: { gt: now } }, data: { usedAt: now } });
  return count === 1;
}
