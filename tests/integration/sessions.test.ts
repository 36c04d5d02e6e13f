import { describe, expect, it } from "vitest";
import {
  createSession,
  deleteExpiredSessions,
  invalidateUserSessions,
  listUserSessions,
  validateSessionToken,
} from "~/utils/auth/session.server";
import { db } from "~/utils/db.server";
import { createTestUser } from "../support/factories";

const policy = { idleDays: 30, maxDays: 90 };
const DAY = 24 * 60 * 60 * 1000;

describe("sessions on a real database", () => {
  it("stores only a hash of the secret and validates the token", async () => {
    const user = await createTestUser();
    const { token } = await createSession(user.id, "Firefox on Linux", policy);
    const [id, secret] = token.split(".") as [string, string];
    const row = await db.session.findUniqueOrThrow({ where: { id } });
    expect(row.secretHash).not.toContain(secret);
    expect(row.secretHash).toMatch(/^[0-9a-f]{64}$/);
    const valid = await validateSessionToken(token, policy);
    expect(valid?.user).toEqual({ id: user.id, username: user.username, role: "member" });
  });

  it("refuses a forged secret for a real session id", async () => {
    const user = await createTestUser();
    const { token } = await createSession(user.id, "x", policy);
    const [id] = token.split(".");
    expect(await validateSessionToken(`${id}.${"a".repeat(32)}`, policy)).toBeNull();
    expect(await validateSessionToken("not-a-token", policy)).toBeNull();
    expect(await validateSessionToken(undefined, policy)).toBeNull();
  });

  it("slides the idle expiry while used, and ends an idle session", async () => {
    const user = await createTestUser();
    const start = new Date("2026-01-01T00:00:00Z");
    const { token } = await createSession(user.id, "x", policy, start);
    const later = new Date(start.getTime() + 20 * DAY);
    const slid = await validateSessionToken(token, policy, later);
    expect(slid?.session.expiresAt.getTime()).toBe(later.getTime() + 30 * DAY);
    // 29 idle days after that last use: still valid. 31: gone, and the row removed.
    expect(await validateSessionToken(token, policy, new Date(later.getTime() + 29 * DAY))).not.toBeNull();
    const idle = new Date(later.getTime() + 29 * DAY + 31 * DAY);
    expect(await validateSessionToken(token, policy, idle)).toBeNull();
    expect(await db.session.count({ where: { userId: user.id } })).toBe(0);
  });

  it("ends a session at the absolute cap however active it is", async () => {
    const user = await createTestUser();
    const start = new Date("2026-01-01T00:00:00Z");
    const { token } = await createSession(user.id, "x", policy, start);
    for (let day = 10; day < 90; day += 10) {
      expect(await validateSessionToken(token, policy, new Date(start.getTime() + day * DAY))).not.toBeNull();
    }
    expect(await validateSessionToken(token, policy, new Date(start.getTime() + 90 * DAY + 1000))).toBeNull();
  });

  it("signs out all other sessions and lists the rest", async () => {
    const user = await createTestUser();
    const keep = await createSession(user.id, "Firefox on Linux", policy);
    const other = await createSession(user.id, "Chrome on Android", policy);
    expect((await listUserSessions(user.id)).map((s) => s.label).sort()).toEqual(["Chrome on Android", "Firefox on Linux"]);
    const keepId = keep.token.split(".")[0]!;
    expect(await invalidateUserSessions(user.id, { except: keepId })).toBe(1);
    expect(await validateSessionToken(other.token, policy)).toBeNull();
    expect(await validateSessionToken(keep.token, policy)).not.toBeNull();
  });

  it("cleans up expired sessions", async () => {
    const user = await createTestUser();
    await createSession(user.id, "old", policy, new Date("2020-01-01T00:00:00Z"));
    await createSession(user.id, "new", policy);
    expect(await deleteExpiredSessions()).toBe(1);
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
  });
});
