// Outgoing mail from the queue to a real SMTP peer (smtp-server on loopback):
// queued with the caller's transaction, delivered with its headers, retried
// with backoff, rate limited by delay, kept in the outbox without SMTP, and
// never lost across a restart.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { queueMail } from "~/mail/queue.server";
import { createSmtpTransport, type MailTransport } from "~/mail/transport.server";
import { drainMail, MAIL_LEASE, mailBackoffMs, purgeOldMail, REDACTED_BODY, startMailWorker, type MailLimits } from "~/mail/worker.server";
import { db } from "~/utils/db.server";
import { takeLease } from "~/utils/worker-lease.server";
import { startTestSmtpServer, type TestSmtpServer } from "../support/smtp";

const FROM = "Threadline <no-reply@threadline.test>";
const LIMITS: MailLimits = { perRecipientPerHour: 100, perMinute: 1000, maxAttempts: 4 };
const SECOND = 1000;

let smtp: TestSmtpServer;
let transport: MailTransport;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  transport = createSmtpTransport(smtp.url);
});

afterAll(async () => {
  transport.close();
  await smtp.stop();
});

beforeEach(async () => {
  await db.outgoingMail.deleteMany();
  await db.workerLease.deleteMany();
  smtp.messages.length = 0;
  smtp.failNext(0);
});

const at = (date: Date) => () => date;
const later = (base: Date, ms: number) => new Date(base.getTime() + ms);

function mail(n: number, to = `reader${n}@example.org`) {
  return { kind: "test", to, subject: `Message ${n}`, text: `Body of message ${n}` };
}

describe("queueMail", () => {
  it("commits with the caller's transaction, and a rolled-back action sends nothing", async () => {
    await expect(
      db.$transaction(async (tx) => {
        await queueMail(tx, mail(1));
        throw new Error("the action failed");
      }),
    ).rejects.toThrow("the action failed");
    expect(await db.outgoingMail.count()).toBe(0);
    await db.$transaction(async (tx) => {
      await queueMail(tx, mail(2));
    });
    const result = await drainMail({ transport, from: FROM, limits: LIMITS });
    expect(result.sent).toBe(1);
    expect(smtp.messages.map((message) => message.parsed.subject)).toEqual(["Message 2"]);
  });

  it("refuses header injection through a subject or a header value", async () => {
    await expect(queueMail(db, { ...mail(3), subject: "Hi\r\nBcc: victim@example.org" })).rejects.toThrow();
    await expect(queueMail(db, { ...mail(4), headers: { "X-Test": "a\nBcc: victim@example.org" } })).rejects.toThrow();
    expect(await db.outgoingMail.count()).toBe(0);
  });
});

describe("delivery over SMTP", () => {
  it("sends the message with its sender, recipient, subject, text and extra headers", async () => {
    await queueMail(db, {
      kind: "test",
      to: "Grace@Example.org",
      subject: "Über the wire",
      text: "Line one\nLine two: https://threadline.test/x?token=abc",
      headers: { "List-Unsubscribe": "<https://threadline.test/unsubscribe?k=1>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" },
    });
    const result = await drainMail({ transport, from: FROM, limits: LIMITS });
    expect(result).toMatchObject({ sent: 1, retried: 0, failed: 0 });
    const [received] = smtp.messages;
    expect(received!.envelopeTo.map((address) => address.toLowerCase())).toEqual(["grace@example.org"]);
    expect(received!.envelopeFrom).toBe("no-reply@threadline.test");
    expect(received!.parsed.from?.text).toBe('"Threadline" <no-reply@threadline.test>');
    expect(received!.parsed.subject).toBe("Über the wire");
    expect(received!.parsed.text?.trim()).toBe("Line one\nLine two: https://threadline.test/x?token=abc");
    expect(received!.raw).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    expect(received!.raw).toMatch(/^List-Unsubscribe: <https:\/\/threadline\.test\/unsubscribe\?k=1>\r?$/m);
    const row = await db.outgoingMail.findFirstOrThrow();
    expect(row).toMatchObject({ status: "sent", attempts: 1, lastError: null });
    expect(row.sentAt).not.toBeNull();
    expect(row.messageId).toMatch(/^<.+>$/);
  });

  it("logs in when the URL carries credentials", async () => {
    const guarded = await startTestSmtpServer({ auth: { user: "mailer", pass: "s3cret pass" } });
    const good = createSmtpTransport(guarded.url);
    const bad = createSmtpTransport(guarded.url.replace("s3cret%20pass", "wrong"));
    try {
      await queueMail(db, mail(5));
      const refused = await drainMail({ transport: bad, from: FROM, limits: LIMITS });
      // A log-in refusal is a setting to fix: the message waits, it is not given up.
      expect(refused).toMatchObject({ sent: 0, retried: 1, failed: 0 });
      expect((await db.outgoingMail.findFirstOrThrow()).lastError).toMatch(/EAUTH/);
      const accepted = await drainMail({ transport: good, from: FROM, limits: LIMITS, now: at(later(new Date(), 10 * 60 * SECOND)) });
      expect(accepted.sent).toBe(1);
      expect(guarded.messages).toHaveLength(1);
    } finally {
      good.close();
      bad.close();
      await guarded.stop();
    }
  });

  it("blanks a one-time link after SMTP accepted it", async () => {
    await queueMail(db, { ...mail(6), text: "Your link: https://threadline.test/verify-email?token=secret", sensitive: true });
    await drainMail({ transport, from: FROM, limits: LIMITS });
    expect(smtp.messages[0]!.parsed.text).toContain("token=secret");
    expect((await db.outgoingMail.findFirstOrThrow()).text).toBe(REDACTED_BODY);
  });
});

describe("retries", () => {
  it("retries a 4xx answer with a growing delay stored in the row", async () => {
    smtp.failNext(2, 451);
    await queueMail(db, mail(7));
    const t0 = new Date();
    expect(await drainMail({ transport, from: FROM, limits: LIMITS, now: at(t0) })).toMatchObject({ sent: 0, retried: 1 });
    let row = await db.outgoingMail.findFirstOrThrow();
    expect(row).toMatchObject({ status: "queued", attempts: 1 });
    expect(row.lastError).toMatch(/451/);
    expect(row.notBefore!.getTime()).toBe(t0.getTime() + mailBackoffMs(1));

    // Not due yet: nothing is tried.
    expect(await drainMail({ transport, from: FROM, limits: LIMITS, now: at(later(t0, mailBackoffMs(1) - SECOND)) })).toMatchObject({ sent: 0, retried: 0 });
    const t1 = later(t0, mailBackoffMs(1));
    expect(await drainMail({ transport, from: FROM, limits: LIMITS, now: at(t1) })).toMatchObject({ retried: 1 });
    row = await db.outgoingMail.findFirstOrThrow();
    expect(row.attempts).toBe(2);
    expect(row.notBefore!.getTime()).toBe(t1.getTime() + mailBackoffMs(2));
    expect(mailBackoffMs(2)).toBe(2 * mailBackoffMs(1));

    expect(await drainMail({ transport, from: FROM, limits: LIMITS, now: at(later(t1, mailBackoffMs(2))) })).toMatchObject({ sent: 1 });
    row = await db.outgoingMail.findFirstOrThrow();
    expect(row).toMatchObject({ status: "sent", attempts: 3, lastError: null });
    expect(smtp.messages).toHaveLength(1);
  });

  it("keeps the mail while the server is down and sends it once it is back", async () => {
    await queueMail(db, mail(8));
    await smtp.stop();
    const t0 = new Date();
    try {
      expect(await drainMail({ transport, from: FROM, limits: LIMITS, now: at(t0) })).toMatchObject({ sent: 0, retried: 1 });
    } finally {
      await smtp.start();
    }
    const row = await db.outgoingMail.findFirstOrThrow();
    expect(row).toMatchObject({ status: "queued", attempts: 1 });
    expect(row.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);
    expect(await drainMail({ transport, from: FROM, limits: LIMITS, now: at(later(t0, mailBackoffMs(1))) })).toMatchObject({ sent: 1 });
    expect(smtp.messages).toHaveLength(1);
  });

  it("gives up after the last attempt, keeping the row and its error", async () => {
    smtp.failNext(100, 452);
    await queueMail(db, mail(9));
    let now = new Date();
    for (let attempt = 1; attempt <= LIMITS.maxAttempts; attempt++) {
      await drainMail({ transport, from: FROM, limits: LIMITS, now: at(now) });
      now = later(now, mailBackoffMs(attempt));
    }
    const row = await db.outgoingMail.findFirstOrThrow();
    expect(row).toMatchObject({ status: "failed", attempts: LIMITS.maxAttempts });
    expect(row.lastError).toMatch(/452/);
    expect(await drainMail({ transport, from: FROM, limits: LIMITS, now: at(later(now, 24 * 3600 * SECOND)) })).toMatchObject({ sent: 0, retried: 0 });
  });

  it("gives up at once when the server refuses the message for good (5xx)", async () => {
    smtp.failNext(1, 550);
    await queueMail(db, mail(10));
    expect(await drainMail({ transport, from: FROM, limits: LIMITS })).toMatchObject({ failed: 1 });
    expect(await db.outgoingMail.findFirstOrThrow()).toMatchObject({ status: "failed", attempts: 1 });
  });
});

describe("rate limits", () => {
  it("delays mail beyond the per-recipient hourly limit instead of dropping it", async () => {
    const limits = { ...LIMITS, perRecipientPerHour: 2 };
    for (let n = 1; n <= 3; n++) await queueMail(db, mail(n, "busy@example.org"));
    await queueMail(db, mail(4, "quiet@example.org"));
    const result = await drainMail({ transport, from: FROM, limits });
    expect(result).toMatchObject({ sent: 3, delayed: 1 });
    expect(smtp.messages.map((message) => message.parsed.subject)).toEqual(["Message 1", "Message 2", "Message 4"]);
    const waiting = await db.outgoingMail.findFirstOrThrow({ where: { status: "queued" } });
    expect(waiting.subject).toBe("Message 3");
    const first = await db.outgoingMail.findFirstOrThrow({ where: { subject: "Message 1" } });
    expect(waiting.notBefore!.getTime()).toBe(first.sentAt!.getTime() + 3600 * SECOND);
    expect(waiting.attempts).toBe(0);
    // Still held back within the hour, sent after it.
    expect(await drainMail({ transport, from: FROM, limits, now: at(later(first.sentAt!, 30 * 60 * SECOND)) })).toMatchObject({ sent: 0 });
    expect(await drainMail({ transport, from: FROM, limits, now: at(later(first.sentAt!, 3601 * SECOND)) })).toMatchObject({ sent: 1 });
    expect(smtp.messages).toHaveLength(4);
  });

  it("holds the global per-minute cap", async () => {
    const limits = { ...LIMITS, perMinute: 2 };
    for (let n = 1; n <= 3; n++) await queueMail(db, mail(n));
    expect(await drainMail({ transport, from: FROM, limits })).toMatchObject({ sent: 2, delayed: 1 });
    const waiting = await db.outgoingMail.findFirstOrThrow({ where: { status: "queued" } });
    expect(waiting.notBefore!.getTime()).toBeGreaterThan(Date.now() + 50 * SECOND);
    expect(await drainMail({ transport, from: FROM, limits, now: at(later(new Date(), 61 * SECOND)) })).toMatchObject({ sent: 1 });
  });
});

describe("outbox mode (no SMTP_URL)", () => {
  it("keeps every message in the outbox and sends nothing", async () => {
    await queueMail(db, mail(11));
    await queueMail(db, { ...mail(12), sensitive: true });
    expect(await drainMail({ transport: null, from: FROM, limits: LIMITS })).toMatchObject({ kept: 2, sent: 0 });
    const rows = await db.outgoingMail.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((row) => row.status)).toEqual(["kept", "kept"]);
    expect(rows.every((row) => row.sentAt !== null)).toBe(true);
    // Kept mail is the only copy: its body stays readable, links included.
    expect(rows[1]!.text).toBe("Body of message 12");
    expect(smtp.messages).toHaveLength(0);
  });
});

describe("retention", () => {
  it("deletes finished mail after the retention window and never mail that still waits", async () => {
    const old = new Date(Date.now() - 31 * 24 * 3600 * SECOND);
    for (const status of ["sent", "kept", "failed", "queued"]) {
      await db.outgoingMail.create({ data: { kind: "test", toAddress: `${status}@example.org`, subject: status, text: "x", status, createdAt: old } });
    }
    await queueMail(db, mail(20));
    expect(await purgeOldMail(0)).toBe(0);
    expect(await purgeOldMail(30)).toBe(3);
    const left = await db.outgoingMail.findMany({ orderBy: { id: "asc" }, select: { subject: true, status: true } });
    expect(left).toEqual([{ subject: "queued", status: "queued" }, { subject: "Message 20", status: "queued" }]);
  });
});

describe("one sender at a time, and restarts", () => {
  it("leaves the mail to the lease holder, and a new worker picks it up once that lease lapses", async () => {
    await queueMail(db, mail(13));
    await queueMail(db, mail(14));
    // A worker that took the lease and then died without releasing it.
    expect(await takeLease(MAIL_LEASE, "crashed-worker", 60 * SECOND)).toBe(true);
    expect(await drainMail({ transport, from: FROM, limits: LIMITS, holder: "new-worker" })).toMatchObject({ sent: 0, leaseHeld: true });
    expect(await db.outgoingMail.count({ where: { status: "queued" } })).toBe(2);
    const afterExpiry = await drainMail({ transport, from: FROM, limits: LIMITS, holder: "new-worker", now: at(later(new Date(), 61 * SECOND)) });
    expect(afterExpiry.sent).toBe(2);
    expect(smtp.messages.map((message) => message.parsed.subject)).toEqual(["Message 13", "Message 14"]);
  });

  it("runs in the background from startMailWorker and releases its lease on stop", async () => {
    const stop = startMailWorker({ smtpUrl: smtp.url, intervalMs: 50, holder: "background", from: FROM, limits: LIMITS });
    try {
      await queueMail(db, mail(15));
      await smtp.waitForMessages(1);
    } finally {
      await stop();
    }
    expect(await db.workerLease.count({ where: { name: MAIL_LEASE, holder: "background" } })).toBe(0);
    // Mail queued while no worker runs waits for the next one.
    await queueMail(db, mail(16));
    const again = startMailWorker({ smtpUrl: smtp.url, intervalMs: 50, holder: "after-restart", from: FROM, limits: LIMITS });
    try {
      await smtp.waitForMessages(2);
    } finally {
      await again();
    }
    expect(await db.outgoingMail.count({ where: { status: "sent" } })).toBe(2);
  });
});
