import { hash, verify } from "@node-rs/argon2";
import { PASSWORD_MAX_BYTES, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from "./account-rules";
import { isCommonPassword } from "./common-passwords.server";


// OWASP's recommended argon2id settings (19 MiB, 2 passes, 1 lane).
const ARGON2_OPTIONS = {
  algorithm: 2, // Algorithm.Argon2id (a const enum, which isolatedModules cannot inline)
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** NFKC so that the same password typed on different keyboards matches. */
export function normalizePassword(password: string): string {
  return password.normalize("NFKC");
}

/**
 * The reason a new password is refused, or null. No composition rules
 * (NIST SP 800-63B): length, size and a list of common passwords.
 */
export function passwordProblem(password: string, context: { username?: string; email?: string } = {}): string | null {
  if (Buffer.byteLength(password, "utf8") > PASSWORD_MAX_BYTES) {
    return `Password is too long (at most ${PASSWORD_MAX_LENGTH} characters).`;
  }
  const normalized = normalizePassword(password);
  const length = [...normalized].length;
  if (length < PASSWORD_MIN_LENGTH) return `Password must be at least ${PASSWORD_MIN_LENGTH} characters.`;
  if (length > PASSWORD_MAX_LENGTH) return `Password is too long (at most ${PASSWORD_MAX_LENGTH} characters).`;
  if (isCommonPassword(normalized)) {
    return "This password is one of the most common passwords and easy to guess. Please choose another.";
  }
  const lower = normalized.toLowerCase();
  if (context.username && lower === context.username.toLowerCase()) return "Password must not be your username.";
  if (context.email && lower === context.email.toLowerCase()) return "Password must not be your email address.";
  return null;
}

export async function hashPassword(password: string): Promise<string> {
  return hash(normalizePassword(password), ARGON2_OPTIONS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (Buffer.byteLength(password, "utf8") > PASSWORD_MAX_BYTES) return false;
  try {
    return await verify(passwordHash, normalizePassword(password));
  } catch {
    return false;
  }
}

// Verified against when the account does not exist, so that "no such user"
// and "wrong password" take the same time.
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword("threadline-timing-equalizer");
  await verifyPassword(await dummyHash, password);
  return false;
}
