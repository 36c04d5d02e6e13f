import { beforeEach, describe, expect, it } from "vitest";
import { authenticate, changePassword, registerUser } from "~/utils/auth/accounts.server";
import { resetLoginThrottle } from "~/utils/auth/login-throttle.server";
import { createSession, validateSessionToken } from "~/utils/auth/session.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";

beforeEach(() => {
  resetAllLimits();
  resetLoginThrottle();
});

describe("registerUser", () => {
  it("keeps usernames and emails unique regardless of case", async () => {
    await createTestUser({ username: "Hopper" });
    const again = await registerUser({ username: "hopper", email: "HOPPER@example.org", password: "another fine passphrase" });
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(again.fieldErrors.username?.[0]).toMatch(/taken/);
    expect(again.fieldErrors.email?.[0]).toMatch(/already exists/);
    expect(await db.user.count({ where: { usernameKey: "hopper" } })).toBe(1);
  });

  it("refuses a common password and writes nothing", async () => {
    const result = await registerUser({ username: "weakling", email: "weak@example.org", password: "password123" });
    expect(result.ok).toBe(false);
    expect(await db.user.count({ where: { usernameKey: "weakling" } })).toBe(0);
  });
});

describe("authenticate", () => {
  it("accepts the username or the email, in any case", async () => {
    const user = await createTestUser({ username: "Lovelace" });
    expect((await authenticate("lovelace", user.password, "c1")).ok).toBe(true);
    expect((await authenticate("LOVELACE@EXAMPLE.ORG", user.password, "c1")).ok).toBe(true);
  });

  it("answers an unknown account and a wrong password the same way", async () => {
    const user = await createTestUser();
    const wrong = await authenticate(user.username, "not the password at all", "c2");
    const unknown = await authenticate("nobody-by-this-name", "not the password at all", "c2");
    expect(wrong).toEqual({ ok: false, reason: "invalid" });
    expect(unknown).toEqual(wrong);
  });

  it("throttles repeated failures and says how long to wait", async () => {
    const user = await createTestUser();
    for (let i = 0; i < 5; i++) await authenticate(user.username, "wrong guess number " + i, "guesser");
    const result = await authenticate(user.username, user.password, "guesser");
    expect(result.ok).toBe(false);
    expect(result.ok === false && result.reason).toBe("throttled");
    // The owner on another client is not locked out.
    expect((await authenticate(user.username, user.password, "owner")).ok).toBe(true);
  });
});

describe("changePassword", () => {
  it("needs the current password, applies the policy and ends other sessions", async () => {
    const user = await createTestUser();
    const policy = { idleDays: 30, maxDays: 90 };
    const current = await createSession(user.id, "here", policy);
    const other = await createSession(user.id, "elsewhere", policy);
    const currentId = current.token.split(".")[0]!;

    const wrongCurrent = await changePassword(user.id, "nope nope nope", "a brand new passphrase", currentId);
    expect(wrongCurrent.ok).toBe(false);
    const common = await changePassword(user.id, user.password, "12345678", currentId);
    expect(common.ok === false && common.fieldErrors.password?.[0]).toMatch(/common/);

    const changed = await changePassword(user.id, user.password, "a brand new passphrase", currentId);
    expect(changed).toEqual({ ok: true, endedSessions: 1 });
    expect(await validateSessionToken(other.token, policy)).toBeNull();
    expect(await validateSessionToken(current.token, policy)).not.toBeNull();
    expect((await authenticate(user.username, "a brand new passphrase", "c3")).ok).toBe(true);
    expect((await authenticate(user.username, user.password, "c3")).ok).toBe(false);
  });
});
