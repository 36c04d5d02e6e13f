// /admin/users: find members, change roles (never the last admin), suspend
// and unsuspend through the sanctions module, sign members out everywhere.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { changeRole } from "~/admin/members.server";
import { action, loader } from "~/routes/admin.users._index";
import { createSession } from "~/utils/auth/session.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { auditOf, call, detailsOf, type User } from "./mod-support";

let admin: User;
let moderator: User;
let member: User & { email: string };

beforeAll(async () => {
  admin = await createTestUser({ role: "admin" });
  moderator = await createTestUser({ role: "moderator" });
  member = await createTestUser({ username: `findme${Date.now().toString(36)}` });
});
beforeEach(() => resetAllLimits());

const policy = { idleDays: 30, maxDays: 90 };
const post = (form: Record<string, string>, user: User | null = admin) => call(action, "/admin/users", {}, user, form);

describe("finding members", () => {
  it("searches by username or email and shows account facts, never password hashes", async () => {
    await createSession(member.id, "Firefox on Linux", policy);
    const byName = await call(loader, `/admin/users?q=${member.username.slice(0, 10).toUpperCase()}`, {}, admin);
    expect(byName.status).toBe(200);
    const rows = (byName.response ? null : byName.data) as { members: Record<string, unknown>[] } | null;
    const found = rows!.members.find((m) => m.id === member.id)!;
    expect(found).toMatchObject({ username: member.username, email: member.email, role: "member", verified: false, suspendedUntil: null, sessions: 1 });
    expect(found.lastSeenAt).toEqual(expect.any(String));
    expect(JSON.stringify(rows)).not.toMatch(/passwordHash|\$argon2/);
    const byEmail = await call(loader, `/admin/users?q=${encodeURIComponent(member.email)}`, {}, admin);
    expect((byEmail.data as { members: { id: number }[] }).members.map((m) => m.id)).toEqual([member.id]);
  });

  it("is for admins only: moderators and members get 403, visitors go to log in", async () => {
    expect((await call(loader, "/admin/users", {}, moderator)).status).toBe(403);
    expect((await call(loader, "/admin/users", {}, member)).status).toBe(403);
    const anonymous = await call(loader, "/admin/users", {}, null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.response?.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect((await post({ intent: "role", userId: String(member.id), role: "admin", reason: "power grab" }, moderator)).status).toBe(403);
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("member");
  });
});

describe("roles", () => {
  it("promotes and demotes with a reason, audited with from and to", async () => {
    const target = await createTestUser();
    const promoted = await post({ intent: "role", userId: String(target.id), role: "moderator", reason: "helpful for years" });
    expect(promoted.data).toMatchObject({ ok: true, form: `role:user:${target.id}` });
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).role).toBe("moderator");
    const [entry] = await auditOf("user", target.id);
    expect(entry).toMatchObject({ action: "user.role", actorId: admin.id, reason: "helpful for years" });
    expect(detailsOf(entry!)).toEqual({ username: target.username, from: "member", to: "moderator" });
    expect(entry!.details).not.toContain("@");
  });

  it("needs a reason and a known role", async () => {
    const missing = await post({ intent: "role", userId: String(member.id), role: "moderator", reason: "" });
    expect(missing.status).toBe(400);
    expect((missing.data as { fieldErrors: Record<string, string[]> }).fieldErrors.reason).toBeTruthy();
    const bogus = await post({ intent: "role", userId: String(member.id), role: "owner", reason: "just because" });
    expect(bogus.status).toBe(400);
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).role).toBe("member");
  });

  it("refuses to change one's own role, and to demote the last admin", async () => {
    const self = await post({ intent: "role", userId: String(admin.id), role: "member", reason: "stepping down" });
    expect(self.status).toBe(403);
    // Self-changes being refused, the guard matters when two admins demote each other at once, or one acts
    // from a stale session: `second` demotes `admin`, who then (still holding an admin session) tries to
    // demote `second`, by then the last admin.
    await db.user.updateMany({ where: { role: "admin", id: { not: admin.id } }, data: { role: "member" } });
    const second = await createTestUser({ role: "admin" });
    expect((await changeRole(second, admin.id, "member", "handing over")).ok).toBe(true);
    const last = await changeRole(admin, second.id, "moderator", "oops");
    expect(last).toMatchObject({ ok: false, status: 409 });
    expect((await db.user.findUniqueOrThrow({ where: { id: second.id } })).role).toBe("admin");
    expect(await db.user.count({ where: { role: "admin" } })).toBe(1);
    await db.user.update({ where: { id: admin.id }, data: { role: "admin" } });
  });
});

describe("suspension and sessions", () => {
  it("suspends through the sanctions module (sessions ended), and lifts it, both audited", async () => {
    const target = await createTestUser();
    await createSession(target.id, "Firefox on Linux", policy);
    const suspended = await post({ intent: "suspend", userId: String(target.id), duration: "7", reason: "abusive messages" });
    expect(suspended.data).toMatchObject({ ok: true });
    const row = await db.user.findUniqueOrThrow({ where: { id: target.id } });
    expect(row.suspendedUntil!.getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    expect(await db.session.count({ where: { userId: target.id } })).toBe(0);
    const lifted = await post({ intent: "unsuspend", userId: String(target.id), reason: "appeal accepted" });
    expect(lifted.data).toMatchObject({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: target.id } })).suspendedUntil).toBeNull();
    expect((await auditOf("user", target.id)).map((e) => [e.action, e.reason])).toEqual([["user.suspend", "abusive messages"], ["user.unsuspend", "appeal accepted"]]);
  });

  it("signs a member out everywhere, audited with the count", async () => {
    const target = await createTestUser();
    await createSession(target.id, "Firefox on Linux", policy);
    await createSession(target.id, "Chromium on Linux", policy);
    const revoked = await post({ intent: "revoke-sessions", userId: String(target.id), reason: "account shared" });
    expect(revoked.data).toMatchObject({ ok: true, message: `${target.username} was signed out of 2 sessions.` });
    expect(await db.session.count({ where: { userId: target.id } })).toBe(0);
    const [entry] = await auditOf("user", target.id);
    expect(entry).toMatchObject({ action: "user.sessions-revoke", reason: "account shared" });
    expect(detailsOf(entry!)).toMatchObject({ endedSessions: 2 });
  });
});
