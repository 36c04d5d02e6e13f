import { registerUser } from "~/utils/auth/accounts.server";
import type { Role } from "~/utils/permissions";

let counter = 0;

/** A real member account in the test database. */
export async function createTestUser(overrides: { username?: string; role?: Role; password?: string } = {}) {
  counter += 1;
  const username = overrides.username ?? `member${counter}${Date.now().toString(36)}`;
  const password = overrides.password ?? "a long and unusual test passphrase";
  const result = await registerUser({ username, email: `${username}@example.org`, password, role: overrides.role });
  if (!result.ok) throw new Error(`could not create ${username}: ${JSON.stringify(result.fieldErrors)}`);
  return { ...result.user, email: `${username}@example.org`, password };
}
