// What members see and answer after a new policy version: the banner until
// they have seen it, consent records for a data-use change, and the data-use
// email, queued once per member in resumable batches and delivered over SMTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSmtpTransport, type MailTransport } from "~/mail/transport.server";
import { drainMail, startMailWorker } from "~/mail/worker.server";
import { consentHistory, hasConsentedTo, recordConsent } from "~/privacy/consent.server";
import { queuePolicyNotices } from "~/privacy/notices.server";
import { policyBannerFor } from "~/privacy/seen.server";
import { ensureInitialPolicy, publishPolicy } from "~/privacy/versions.server";
import { action as consentAction, loader as consentLoader } from "~/routes/privacy.consent";
import { action as seenAction } from "~/routes/privacy.seen";
import { loader as settingsLoader } from "~/routes/settings._index";
import { db } from "~/utils/db.server";
import { createTestUser } from "../support/factories";
import { startTestSmtpServer, type TestSmtpServer } from "../support/smtp";
import { call, type User } from "../integration/mod-support";

const ORIGIN = "https://forum.example.net";
const HOUR = 3_600_000;

let admin: User;
let smtp: TestSmtpServer;
let transport: MailTransport;

/** A member who joined before the versions published in these tests. */
async function earlierMember() {
  const member = await createTestUser();
  await db.user.update({ where: { id: member.id }, data: { createdAt: new Date(Date.now() - 24 * HOUR) } });
  return member;
}

async function publish(body: string, summary: string, changesDataUse: boolean) {
  const result = await publishPolicy(admin.id, { body, summary, changesDataUse: changesDataUse ? "on" : undefined });
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.number;
}

const noticesTo = (address: string, number: number) =>
  db.outgoingMail.findMany({ where: { toAddress: address, kind: "policy-data-use", text: { contains: `/privacy/v/${number}\n` } } });

beforeAll(async () => {
  await ensureInitialPolicy();
  admin = await createTestUser({ role: "admin" });
  await db.user.update({ where: { id: admin.id }, data: { createdAt: new Date(Date.now() - 24 * HOUR) } });
  smtp = await startTestSmtpServer();
  transport = createSmtpTransport(smtp.url);
});

afterAll(async () => {
  transport.close();
  await smtp.stop();
});

describe("the policy banner", () => {
  it("shows a new version to earlier members until they have seen it, never beyond the current one", async () => {
    const member = await earlierMember();
    expect(await policyBannerFor(member.id)).toBeNull();
    const number = await publish("## Cookies\n\nStill one cookie.\n", "The cookie section was shortened.", false);
    expect(await policyBannerFor(member.id)).toEqual({ number, summary: "The cookie section was shortened.", changesDataUse: false, needsConsent: false });

    // Nor does the admin who published it, or a member who joined after it.
    expect(await policyBannerFor(admin.id)).toBeNull();
    const newcomer = await createTestUser();
    expect(await policyBannerFor(newcomer.id)).toBeNull();

    // Dismissing (a POST, then back to the page) marks it seen; a version from the future is capped.
    const dismissed = await call(seenAction, "/privacy/seen", {}, member, { version: String(number + 5), redirectTo: "/forums?page=2" });
    expect(dismissed.status).toBe(302);
    expect(dismissed.response?.headers.get("Location")).toBe("/forums?page=2");
    expect(await db.policySeen.findUniqueOrThrow({ where: { userId: member.id } })).toMatchObject({ version: number });
    expect(await policyBannerFor(member.id)).toBeNull();

    // An off-site redirect is refused; an older version never moves "seen" back.
    const other = await earlierMember();
    const offsite = await call(seenAction, "/privacy/seen", {}, other, { version: "1", redirectTo: "https://evil.example/" });
    expect(offsite.response?.headers.get("Location")).toBe("/privacy");
    expect(await policyBannerFor(other.id)).not.toBeNull();
    // Visiting /privacy posts without a redirect.
    expect((await call(seenAction, "/privacy/seen", {}, other, { version: String(number) })).status).toBe(200);
    expect(await policyBannerFor(other.id)).toBeNull();
    await call(seenAction, "/privacy/seen", {}, other, { version: "1" });
    expect((await db.policySeen.findUniqueOrThrow({ where: { userId: other.id } })).version).toBe(number);

    // Logged out, nothing is recorded.
    expect((await call(seenAction, "/privacy/seen", {}, null, { version: String(number) })).status).toBe(302);
  });
});

describe("a data-use change", () => {
  it("asks each member to agree, records every answer, and applies only after acceptance", async () => {
    const member = await earlierMember();
    const number = await publish("## Newsletter\n\nWe would like to email you a monthly digest.\n", "A monthly digest by email, if you agree.", true);
    expect(await policyBannerFor(member.id)).toMatchObject({ number, needsConsent: true });
    expect(await hasConsentedTo(member.id, number)).toBe(false);

    const page = await call(consentLoader, "/privacy/consent", {}, member);
    expect((page.data as { versions: unknown[] }).versions).toEqual([
      { number, summary: "A monthly digest by email, if you agree.", publishedAt: expect.any(String), answer: null },
    ]);

    // Bad answers change nothing.
    expect((await call(consentAction, "/privacy/consent", {}, member, { version: String(number), choice: "maybe" })).status).toBe(400);
    expect((await call(consentAction, "/privacy/consent", {}, member, { version: "1", choice: "accepted" })).status).toBe(400);
    expect(await consentHistory(member.id)).toEqual([]);

    const accepted = await call(consentAction, "/privacy/consent", {}, member, { version: String(number), choice: "accepted" });
    expect(accepted.data).toMatchObject({ ok: true, choice: "accepted" });
    expect(await hasConsentedTo(member.id, number)).toBe(true);
    // Answering counts as having seen the version: the banner is gone.
    expect(await policyBannerFor(member.id)).toBeNull();

    // Changing one's mind is recorded too, and the latest answer counts.
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await recordConsent(member.id, number, "declined")).toEqual({ ok: true });
    expect(await hasConsentedTo(member.id, number)).toBe(false);
    expect(((await call(consentLoader, "/privacy/consent", {}, member)).data as { versions: { answer: string }[] }).versions[0]!.answer).toBe("declined");
    const settings = await call(settingsLoader, "/settings", {}, member);
    const consents = (settings.data as { consents: { version: number; choice: string; createdAt: string }[] }).consents;
    expect(consents.map((c) => [c.version, c.choice])).toEqual([
      [number, "declined"],
      [number, "accepted"],
    ]);

    // Another member's answers are their own.
    const other = await earlierMember();
    expect(await hasConsentedTo(other.id, number)).toBe(false);
    expect((await call(consentLoader, "/privacy/consent", {}, null)).status).toBe(302);
  });

  it("queues the notice email once per earlier member, in resumable batches, and delivers it over SMTP", async () => {
    const before = await Promise.all([earlierMember(), earlierMember(), earlierMember()]);
    const number = await publish("## Research\n\nWe would like to share anonymised statistics with researchers.\n", "Anonymised statistics for researchers.", true);
    const newcomer = await createTestUser();
    const expected = await db.user.count({ where: { createdAt: { lte: (await db.policyVersion.findUniqueOrThrow({ where: { number } })).publishedAt } } });

    // One batch of two, then a "crash": the next run resumes after it.
    const first = await queuePolicyNotices({ origin: ORIGIN, batchSize: 2, maxBatches: 1 });
    expect(first.queued).toBeGreaterThan(0);
    const rest = await queuePolicyNotices({ origin: ORIGIN, batchSize: 2 });
    const notices = await db.policyNotice.count({ where: { version: number } });
    expect(notices).toBe(expected);
    expect(await db.outgoingMail.count({ where: { kind: "policy-data-use", subject: { contains: "new way" }, text: { contains: `/privacy/v/${number}\n` } } })).toBe(expected);
    expect(first.queued + rest.queued).toBeGreaterThanOrEqual(expected);
    expect((await db.policyVersion.findUniqueOrThrow({ where: { number } })).noticesQueuedAt).not.toBeNull();

    // Running again, or a cursor wound back by hand, mails nobody twice.
    expect((await queuePolicyNotices({ origin: ORIGIN })).queued).toBe(0);
    await db.policyVersion.update({ where: { number }, data: { noticeCursor: 0, noticesQueuedAt: null } });
    expect((await queuePolicyNotices({ origin: ORIGIN })).queued).toBe(0);
    for (const member of before) expect(await noticesTo(member.email, number)).toHaveLength(1);
    expect(await noticesTo(newcomer.email, number)).toHaveLength(0);

    const [mail] = await noticesTo(before[0]!.email, number);
    expect(mail!.text).toContain(`${ORIGIN}/privacy/consent`);
    expect(mail!.text).toContain("Anonymised statistics for researchers.");

    // Delivered through the real mail path.
    const received = smtp.messages.length;
    await drainMail({ transport, from: "Threadline <no-reply@forum.example.net>", limits: { perRecipientPerHour: 100, perMinute: 10_000, maxAttempts: 3 } });
    const pending = await db.outgoingMail.count({ where: { status: "queued" } });
    expect(pending).toBe(0);
    const delivered = smtp.messages.slice(received).filter((m) => m.parsed.text?.includes(`${ORIGIN}/privacy/v/${number}/diff`));
    expect(delivered).toHaveLength(expected);
    expect(delivered.filter((m) => m.envelopeTo.includes(before[0]!.email))).toHaveLength(1);
  });

  it("is queued and delivered by the running mail worker, with no other step", async () => {
    const member = await earlierMember();
    const number = await publish("## Photos\n\nWe would like to show your avatar next to your posts.\n", "Avatars next to posts, if you agree.", true);
    const stop = startMailWorker({ smtpUrl: smtp.url, intervalMs: 50, limits: { perRecipientPerHour: 100, perMinute: 10_000, maxAttempts: 3 } });
    try {
      await expect
        .poll(() => smtp.messages.filter((m) => m.envelopeTo.includes(member.email) && m.parsed.text?.includes(`/privacy/v/${number}/diff`)).length, { timeout: 10_000 })
        .toBe(1);
    } finally {
      await stop();
    }
    expect((await db.policyVersion.findUniqueOrThrow({ where: { number } })).noticesQueuedAt).not.toBeNull();
  });
});
