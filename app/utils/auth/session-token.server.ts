import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";

/**
 * Session tokens as the Lucia guide describes them: "<id>.<secret>". The id is
 * a lookup key; the secret (160 random bits) is only ever stored as its
 * SHA-256 and compared in constant time.
 */
export type TokenParts = { id: string; secret: string };

function randomString(bytes: number): string {
  const buffer = new Uint8Array(bytes);
  crypto.getRandomValues(buffer);
  return encodeBase32LowerCaseNoPadding(buffer);
}

export function generateSessionToken(): { token: string; id: string; secretHash: string } {
  const id = randomString(15);
  const secret = randomString(20);
  return { token: `${id}.${secret}`, id, secretHash: hashSecret(secret) };
}

export function hashSecret(secret: string): string {
  return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

const TOKEN_SHAPE = /^[a-z2-7]{24}\.[a-z2-7]{32}$/;

/** Null for anything that is not a well-formed token; never throws. */
export function splitSessionToken(token: string | undefined | null): TokenParts | null {
  if (!token || !TOKEN_SHAPE.test(token)) return null;
  const [id, secret] = token.split(".") as [string, string];
  return { id, secret };
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const given = new TextEncoder().encode(hashSecret(secret));
  const stored = new TextEncoder().encode(storedHash);
  return given.length === stored.length && constantTimeEqual(given, stored);
}
