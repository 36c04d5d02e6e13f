// The account flows that depend on email: verification at sign-up (and on
// request), change of address, password reset, and REQUIRE_VERIFIED_EMAIL.
// Routes are called the way Remix calls them; links are read from the queued
// mail the way a member reads them from their inbox.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createReply, createTopic } from "~/forums/posting.server";
import { action as forgotAction, RESET_REQUESTED } from "~/routes/forgot-password";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password";
import { action as settingsAction } from "~/routes/settings._index";
import { action as verifyAction, loader as verifyLoader } from "~/routes/verify-email";
import { loader as outboxLoader } from "~/routes/admin.outbox._index";
import { loader as outboxMailLoader } from "~/routes/admin.outbox.$id";
import { authenticate, registerUser } from "~/utils/auth/accounts.server";
import { confirmAddress } from "~/utils/auth/email-address.server";
import { hashEmailToken } from "~/utils/auth/email-tokens.server";
import { resetLoginThrottle } from "~/utils/auth/login-throttle.server";
import { resetPassword } from "~/utils/auth/password-reset.server";
import { createSession } from "~/utils/auth/session.server";
import { db } from "~/utils/db.server";
import { clearEnvCache } from "~/utils/env.server";
import { canPostWithEmailStanding } from "~/utils/permissions";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";

type User = { id: number; role: string; username: string };
type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;
type Result = { status: number; data: Record<string, unknown> | null; response: Response | null; elapsedMs: number };

async function call(handler: unknown, url: string, user: User | null, form?: Record<string, string>, params: Record<string, string> = {}): Promise<Result> {
  const init: RequestInit | undefined = form ? { method: "POST", body: new URLSearchParams(form) } : undefined;
  const request = new Request(`http://threadline.test${url}`, init);
  const now = new Date();
  const session = { id: "test-session", createdAt: now, expiresAt: new Date(now.getTime() + 3_600_000), absoluteExpiresAt: new Date(now.getTime() + 3_600_000) };
  const context = { auth: user ? { user, session } : null, clientKey: "test", cookieOptions: { secureRequest: false, production: false, insecureAllowed: false }, cspNonce: "" };
  const started = Date.now();
  let outcome: unknown;
  try {
    outcome = await (handler as Handler)({ request, params, context } as never);
  } catch (thrown) {
    outcome = thrown;
  }
  const elapsedMs = Date.now() - started;
  if (outcome instanceof Response) return { status: outcome.status, data: null, response: outcome, elapsedMs };
  if (outcome && typeof outcome === "object" && "type" in outcome && outcome.type === "DataWithResponseInit") {
    const wrapped = outcome as unknown as { data: Record<string, unknown>; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data, response: null, elapsedMs };
  }
  if (outcome instanceof Error) throw outcome;
  return { status: 200, data: outcome as Record<string, unknown> | null, response: null, elapsedMs };
}

/** The newest mail of a kind to an address, and the token in its link. */
async function lastMail(to: string, kind: string) {
  const mail = await db.outgoingMail.findFirstOrThrow({ where: { toAddress: to, kind }, orderBy: { id: "desc" } });
  const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? null;
  return { mail, token };
}

const HOUR = 60 * 60_000;

beforeEach(() => {
  resetAllLimits();
  resetLoginThrottle();
});

describe("verification at sign-up", () => {
  it("queues the verification mail with the account, in one transaction, and stores only the token's hash", async () => {
    const member = await createTestUser();
    const { mail, token } = await lastMail(member.email, "verify-email");
    expect(mail.status).toBe("queued");
    expect(mail.subject).toMatch(/Confirm your email address/);
    expect(mail.text).toContain(`Hello ${member.username},`);
    expect(mail.text).toMatch(/^http:\/\/localhost:\d+\/verify-email\?token=/m);
    expect(token).toHaveLength(43);
    const stored = await db.emailToken.findFirstOrThrow({ where: { userId: member.id } });
    expect(stored).toMatchObject({ purpose: "verify-email", tokenHash: hashEmailToken(token!), usedAt: null });
    expect(stored.tokenHash).not.toContain(token!);
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(24 * HOUR);
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).emailVerifiedAt).toBeNull();
  });

  it("links to the sign-up request's origin", async () => {
    const result = await registerUser({ username: "originmember", email: "origin@example.org", password: "a long and unusual test passphrase", request: new Request("https://forum.example.net/signup") });
    expect(result.ok).toBe(true);
    expect((await lastMail("origin@example.org", "verify-email")).mail.text).toContain("https://forum.example.net/verify-email?token=");
  });

  it("queues nothing when the sign-up is refused", async () => {
    const member = await createTestUser();
    const before = await db.outgoingMail.count();
    const again = await registerUser({ username: `${member.username}x`, email: member.email.toUpperCase(), password: "a long and unusual test passphrase" });
    expect(again.ok).toBe(false);
    expect(await db.outgoingMail.count()).toBe(before);
  });

  it("shows a confirm button on GET without verifying, and verifies once on POST", async () => {
    const member = await createTestUser();
    const { token } = await lastMail(member.email, "verify-email");
    const page = await call(verifyLoader, `/verify-email?token=${token}`, null);
    expect(page.data).toMatchObject({ tokenValid: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).emailVerifiedAt).toBeNull();

    const wrong = await call(verifyAction, "/verify-email", null, { token: `${token!.slice(0, -1)}${token!.endsWith("A") ? "B" : "A"}` });
    expect(wrong.status).toBe(400);
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).emailVerifiedAt).toBeNull();

    const confirmed = await call(verifyAction, "/verify-email", null, { token: token! });
    expect(confirmed.status).toBe(200);
    expect(confirmed.data).toMatchObject({ ok: true });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).emailVerifiedAt).not.toBeNull();

    const reused = await call(verifyAction, "/verify-email", null, { token: token! });
    expect(reused.status).toBe(400);
    expect((await call(verifyLoader, `/verify-email?token=${token}`, null)).data).toMatchObject({ tokenValid: false });
  });

  it("refuses an expired link", async () => {
    const member = await createTestUser();
    const { token } = await lastMail(member.email, "verify-email");
    expect(await confirmAddress(token, new Date(Date.now() + 25 * HOUR))).toEqual({ ok: false, reason: "invalid" });
    expect((await confirmAddress(token, new Date(Date.now() + 23 * HOUR))).ok).toBe(true);
  });

  it("sends a new link on request, which replaces the old one, at most three times an hour", async () => {
    const member = await createTestUser();
    const first = await lastMail(member.email, "verify-email");
    const resent = await call(verifyAction, "/verify-email", member, { intent: "resend" });
    expect(resent.response?.headers.get("Location")).toBe("/verify-email?sent=1");
    const second = await lastMail(member.email, "verify-email");
    expect(second.token).not.toBe(first.token);
    expect(await confirmAddress(first.token)).toEqual({ ok: false, reason: "invalid" });
    await call(verifyAction, "/verify-email", member, { intent: "resend" });
    await call(verifyAction, "/verify-email", member, { intent: "resend" });
    const limited = await call(verifyAction, "/verify-email", member, { intent: "resend" });
    expect(limited.status).toBe(429);
    expect(await db.outgoingMail.count({ where: { toAddress: member.email, kind: "verify-email" } })).toBe(4);
    // Resending needs a logged-in member.
    const anonymous = await call(verifyAction, "/verify-email", null, { intent: "resend" });
    expect(anonymous.response?.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("changing the email address", () => {
  it("keeps the old address until the new one is confirmed, and tells the old address", async () => {
    const member = await createTestUser();
    const newEmail = `new-${member.email}`;
    const wrongPassword = await call(settingsAction, "/settings", member, { intent: "change-email", newEmail, emailPassword: "not my password" });
    expect(wrongPassword.status).toBe(400);
    expect(await db.outgoingMail.count({ where: { toAddress: newEmail } })).toBe(0);

    const asked = await call(settingsAction, "/settings", member, { intent: "change-email", newEmail, emailPassword: member.password });
    expect(asked.data).toMatchObject({ ok: true, intent: "change-email" });
    let account = await db.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(account).toMatchObject({ email: member.email, pendingEmail: newEmail });

    const notice = await lastMail(member.email, "email-change-notice");
    expect(notice.token).toBeNull();
    expect(notice.mail.text).not.toContain(newEmail);
    expect(notice.mail.text).toContain("n***@example.org");
    const link = await lastMail(newEmail, "change-email");
    expect(link.token).not.toBeNull();

    const confirmed = await call(verifyAction, "/verify-email", null, { token: link.token! });
    expect(confirmed.data).toMatchObject({ ok: true });
    account = await db.user.findUniqueOrThrow({ where: { id: member.id } });
    expect(account).toMatchObject({ email: newEmail, emailKey: newEmail.toLowerCase(), pendingEmail: null });
    expect(account.emailVerifiedAt).not.toBeNull();
    expect((await authenticate(newEmail, member.password, "c")).ok).toBe(true);
    // The sign-up link for the old address is void now.
    expect(await confirmAddress((await lastMail(member.email, "verify-email")).token)).toEqual({ ok: false, reason: "invalid" });
  });

  it("refuses an address another account has, and a link whose address was taken meanwhile", async () => {
    const member = await createTestUser();
    const other = await createTestUser();
    const taken = await call(settingsAction, "/settings", member, { intent: "change-email", newEmail: other.email, emailPassword: member.password });
    expect(taken.status).toBe(400);

    const wanted = `wanted-${member.username}@example.org`;
    await call(settingsAction, "/settings", member, { intent: "change-email", newEmail: wanted, emailPassword: member.password });
    const { token } = await lastMail(wanted, "change-email");
    await db.user.update({ where: { id: other.id }, data: { email: wanted, emailKey: wanted } });
    expect(await confirmAddress(token)).toEqual({ ok: false, reason: "address-taken" });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).email).toBe(member.email);
  });

  it("voids the link when the change is cancelled", async () => {
    const member = await createTestUser();
    const wanted = `cancel-${member.username}@example.org`;
    await call(settingsAction, "/settings", member, { intent: "change-email", newEmail: wanted, emailPassword: member.password });
    const { token } = await lastMail(wanted, "change-email");
    await call(settingsAction, "/settings", member, { intent: "cancel-email-change" });
    expect(await confirmAddress(token)).toEqual({ ok: false, reason: "invalid" });
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).pendingEmail).toBeNull();
  });
});

describe("password reset", () => {
  it("answers a known and an unknown address the same way, after the same minimum time, and mails only the account", async () => {
    const member = await createTestUser();
    const before = await db.outgoingMail.count();
    const known = await call(forgotAction, "/forgot-password", null, { email: member.email.toUpperCase() });
    const unknown = await call(forgotAction, "/forgot-password", null, { email: "nobody-here@example.org" });
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    expect(unknown.data).toEqual(known.data);
    expect(known.data).toEqual({ ok: true, message: RESET_REQUESTED });
    expect(known.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(unknown.elapsedMs).toBeGreaterThanOrEqual(290);
    expect(await db.outgoingMail.count()).toBe(before + 1);
    expect(await db.outgoingMail.count({ where: { toAddress: "nobody-here@example.org" } })).toBe(0);
    expect((await lastMail(member.email, "reset-password")).mail.subject).toMatch(/Reset your Threadline password/);
  });

  it("sets the new password once, ends every session, and refuses the link afterwards", async () => {
    const member = await createTestUser();
    const policy = { idleDays: 30, maxDays: 90 };
    await createSession(member.id, "Laptop", policy);
    await createSession(member.id, "Phone", policy);
    await call(forgotAction, "/forgot-password", null, { email: member.email });
    const { token } = await lastMail(member.email, "reset-password");
    const stored = await db.emailToken.findFirstOrThrow({ where: { userId: member.id, purpose: "reset-password" } });
    expect(stored.expiresAt.getTime() - stored.createdAt.getTime()).toBe(HOUR);

    expect((await call(resetLoader, `/reset-password?token=${token}`, null)).data).toMatchObject({ valid: true });
    const weak = await call(resetAction, "/reset-password", null, { token: token!, password: "password123" });
    expect(weak.status).toBe(400);
    expect((await authenticate(member.username, member.password, "c")).ok).toBe(true);

    const done = await call(resetAction, "/reset-password", null, { token: token!, password: "a brand new reset passphrase" });
    expect(done.status).toBe(302);
    expect(done.response?.headers.get("Location")).toBe("/login?reset=done");
    expect(await db.session.count({ where: { userId: member.id } })).toBe(0);
    expect((await authenticate(member.username, "a brand new reset passphrase", "c")).ok).toBe(true);
    expect((await authenticate(member.username, member.password, "c")).ok).toBe(false);
    // The link reached the mailbox: the address counts as verified.
    expect((await db.user.findUniqueOrThrow({ where: { id: member.id } })).emailVerifiedAt).not.toBeNull();

    const again = await call(resetAction, "/reset-password", null, { token: token!, password: "yet another reset passphrase" });
    expect(again.status).toBe(400);
    expect((await authenticate(member.username, "a brand new reset passphrase", "c")).ok).toBe(true);
  });

  it("refuses an expired link, a wrong one, and one sent to an address the account left", async () => {
    const member = await createTestUser();
    await call(forgotAction, "/forgot-password", null, { email: member.email });
    const { token } = await lastMail(member.email, "reset-password");
    expect(await resetPassword(token, "a brand new reset passphrase", new Date(Date.now() + HOUR + 1000))).toEqual({ ok: false, reason: "invalid" });
    expect(await resetPassword("x".repeat(43), "a brand new reset passphrase")).toEqual({ ok: false, reason: "invalid" });
    await db.user.update({ where: { id: member.id }, data: { email: `moved-${member.email}`, emailKey: `moved-${member.email}` } });
    expect(await resetPassword(token, "a brand new reset passphrase")).toEqual({ ok: false, reason: "invalid" });
  });
});

describe("REQUIRE_VERIFIED_EMAIL", () => {
  afterEach(() => {
    delete process.env.REQUIRE_VERIFIED_EMAIL;
    clearEnvCache();
  });

  it("names the rule in one predicate", () => {
    expect(canPostWithEmailStanding({ emailVerified: false }, false)).toBe(true);
    expect(canPostWithEmailStanding({ emailVerified: false }, true)).toBe(false);
    expect(canPostWithEmailStanding({ emailVerified: true }, true)).toBe(true);
    expect(canPostWithEmailStanding(null, false)).toBe(false);
  });

  it("lets unverified members post by default, and refuses them with a clear message when required", async () => {
    const board = await createTestBoard();
    const member = await createTestUser();
    const allowed = await createTopic(member, board.id, { title: "Before verifying", body: "Reading and posting work before verification." });
    expect(allowed.ok).toBe(true);

    process.env.REQUIRE_VERIFIED_EMAIL = "true";
    clearEnvCache();
    resetAllLimits();
    const refused = await createTopic(member, board.id, { title: "Refused topic", body: "This one should not be stored." });
    expect(refused).toMatchObject({ ok: false, status: 403, needsEmailVerification: true });
    expect(!refused.ok && refused.message).toMatch(/confirm your email address before posting.*Email me a confirmation link/);
    const reply = await createReply(member, allowed.ok ? allowed.topicId : 0, { body: "A reply that should not be stored." }, { canBypassLock: false });
    expect(reply).toMatchObject({ ok: false, status: 403 });
    expect(await db.topic.count({ where: { title: "Refused topic" } })).toBe(0);

    await confirmAddress((await lastMail(member.email, "verify-email")).token);
    expect((await createTopic(member, board.id, { title: "After verifying", body: "Now it works." })).ok).toBe(true);
  });
});

describe("/admin/outbox", () => {
  it("is for admins only and shows each message with its status", async () => {
    const admin = await createTestUser({ role: "admin" });
    const member = await createTestUser();
    expect((await call(outboxLoader, "/admin/outbox", member)).status).toBe(403);
    expect((await call(outboxLoader, "/admin/outbox", { ...member, role: "moderator" })).status).toBe(403);
    expect((await call(outboxLoader, "/admin/outbox", null)).response?.headers.get("Location")).toMatch(/^\/login/);

    const list = await call(outboxLoader, "/admin/outbox", admin);
    expect(list.status).toBe(200);
    const rows = list.data!.rows as { id: number; toAddress: string; kind: string; status: string }[];
    const row = rows.find((entry) => entry.toAddress === member.email)!;
    expect(row).toMatchObject({ kind: "verify-email", status: "queued" });

    const { mail } = await lastMail(member.email, "verify-email");
    expect((await call(outboxMailLoader, `/admin/outbox/${mail.id}`, member, undefined, { id: String(mail.id) })).status).toBe(403);
    const one = await call(outboxMailLoader, `/admin/outbox/${mail.id}`, admin, undefined, { id: String(mail.id) });
    expect(one.data).toMatchObject({ mail: { id: mail.id, to: member.email, text: mail.text, attempts: 0, status: "queued" } });
    expect((await call(outboxMailLoader, "/admin/outbox/999999", admin, undefined, { id: "999999" })).status).toBe(404);
  });

  it("pages through the outbox 25 at a time, newest first", async () => {
    const admin = await createTestUser({ role: "admin" });
    const total = await db.outgoingMail.count();
    const second = await call(outboxLoader, "/admin/outbox?page=2", admin);
    expect(second.data).toMatchObject({ page: 2, total, lastPage: Math.max(1, Math.ceil(total / 25)) });
    const first = await call(outboxLoader, "/admin/outbox", admin);
    const ids = (first.data!.rows as { id: number }[]).map((row) => row.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(ids.length).toBe(Math.min(25, total));
  });
});
