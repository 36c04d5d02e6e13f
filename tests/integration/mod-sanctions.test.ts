// Warnings, silences and suspensions: what the member sees, what the server
// refuses, and what the audit log keeps.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createReply, createTopic } from "~/forums/posting.server";
import { countPastSanctions, liftSanction, sanctionUser, warnUser } from "~/moderation/sanctions.server";
import { escalationSuggestion } from "~/moderation/rules";
import { action as loginAction } from "~/routes/login";
import { loader as notificationsLoader } from "~/routes/notifications";
import { action as queueAction } from "~/routes/mod.queue._index";
import { authenticate } from "~/utils/auth/accounts.server";
import { createSession, validateSessionToken } from "~/utils/auth/session.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { auditOf, call, detailsOf, postsBy, type User } from "./mod-support";

let moderator: User;
const policy = { idleDays: 30, maxDays: 90 };

beforeAll(async () => {
  moderator = await createTestUser({ role: "moderator" });
});
beforeEach(() => resetAllLimits());

describe("warnings", () => {
  it("sends a private notice the member sees on /notifications, audited as user.warn with the rule", async () => {
    const member = await createTestUser();
    const result = await call(queueAction, "/mod/queue", {}, moderator, { intent: "warn", userId: String(member.id), reason: "Please keep it civil.", rule: "harassment" });
    expect(result.data).toMatchObject({ ok: true });
    const page = await call(notificationsLoader, "/notifications", {}, member);
    const notices = (page.data as { notifications: { notice: { title: string; text: string } | null }[] }).notifications;
    expect(notices[0]!.notice).toEqual({ title: "Warning from the moderators", text: "Please keep it civil." });
    const [entry] = await auditOf("user", member.id);
    expect(entry).toMatchObject({ action: "user.warn", reason: "Please keep it civil." });
    expect(detailsOf(entry!)).toMatchObject({ rule: "harassment", username: member.username });
  });

  it("does not sanction moderators", async () => {
    const other = await createTestUser({ role: "moderator" });
    expect(await warnUser(moderator, other.id, "no")).toMatchObject({ ok: false, status: 403 });
  });
});

describe("silence", () => {
  it("stops posting with a message saying until when, lets the member read, and lifts", async () => {
    const { author, topicId, board } = await postsBy(null, 1);
    const bad = await call(queueAction, "/mod/queue", {}, moderator, { intent: "silence", userId: String(author.id), reason: "cool off", duration: "custom", customDays: "0" });
    expect(bad.status).toBe(400);
    expect((bad.data as { fieldErrors: Record<string, string[]> }).fieldErrors.customDays).toBeTruthy();
    const result = await sanctionUser(moderator, author.id, "silence", 3, "cool off", "harassment");
    expect(result.ok).toBe(true);
    const until = (await db.user.findUniqueOrThrow({ where: { id: author.id } })).silencedUntil!;
    expect(until.getTime() - Date.now()).toBeGreaterThan(3 * 86_400_000 - 60_000);
    const reply = await createReply(author, topicId, { body: "still here" }, { canBypassLock: false });
    expect(reply).toMatchObject({ ok: false, status: 403 });
    expect(reply.ok ? "" : reply.message).toMatch(/silenced your account until \d{1,2} \w+ \d{4}, \d\d:\d\d UTC/);
    expect((await createTopic(author, board.id, { title: "A new topic", body: "x" })).ok).toBe(false);
    const [entry] = (await auditOf("user", author.id)).filter((e) => e.action === "user.silence");
    expect(detailsOf(entry!)).toMatchObject({ days: 3, rule: "harassment", until: until.toISOString() });

    await liftSanction(moderator, author.id, "silence", "apologised");
    resetAllLimits();
    expect((await createReply(author, topicId, { body: "thank you" }, { canBypassLock: false })).ok).toBe(true);
    expect((await auditOf("user", author.id)).map((e) => e.action)).toEqual(["user.silence", "user.unsilence"]);
  });
});

describe("suspension", () => {
  it("ends the member's sessions, refuses log-in with the date, and refuses posting", async () => {
    const author = await createTestUser();
    const { topicId } = await postsBy(author, 1);
    const { token } = await createSession(author.id, "Firefox on Linux", policy);
    await createSession(author.id, "Phone", policy);
    expect(await validateSessionToken(token, policy)).not.toBeNull();

    const result = await call(queueAction, "/mod/queue", {}, moderator, { intent: "suspend", userId: String(author.id), reason: "repeated abuse", duration: "7", rule: "harassment" });
    expect(result.data).toMatchObject({ ok: true });
    expect(await db.session.count({ where: { userId: author.id } })).toBe(0);
    expect(await validateSessionToken(token, policy)).toBeNull();

    const attempt = await authenticate(author.username, author.password, "suspend-test");
    expect(attempt).toMatchObject({ ok: false, reason: "suspended" });
    const login = await call(loginAction, "/login", {}, null, { identifier: author.username, password: author.password });
    expect(login.status).toBe(403);
    expect((login.data as { formErrors: string[] }).formErrors[0]).toMatch(/suspended until \d{1,2} \w+ \d{4}/);
    // A wrong password still gets the ordinary answer: the suspension is not disclosed.
    expect(await authenticate(author.username, "wrong password entirely", "suspend-test")).toMatchObject({ ok: false, reason: "invalid" });

    expect((await createReply(author, topicId, { body: "x" }, { canBypassLock: false })).ok).toBe(false);
    const [entry] = await auditOf("user", author.id);
    expect(entry!.action).toBe("user.suspend");
    expect(detailsOf(entry!)).toMatchObject({ days: 7, endedSessions: 2, rule: "harassment" });

    await liftSanction(moderator, author.id, "suspend", "appeal accepted");
    expect((await authenticate(author.username, author.password, "suspend-test-2")).ok).toBe(true);
  });

  it("suggests escalating with each past sanction", async () => {
    const member = await createTestUser();
    expect(escalationSuggestion(await countPastSanctions(member.id)).action).toBe("warn");
    await warnUser(moderator, member.id, "first");
    expect(escalationSuggestion(await countPastSanctions(member.id))).toMatchObject({ action: "silence", days: 1 });
    await sanctionUser(moderator, member.id, "silence", 1, "second");
    expect(escalationSuggestion(await countPastSanctions(member.id))).toMatchObject({ action: "suspend", days: 7 });
    await sanctionUser(moderator, member.id, "suspend", 7, "third");
    expect(escalationSuggestion(await countPastSanctions(member.id))).toMatchObject({ action: "suspend", days: 30 });
  });
});
