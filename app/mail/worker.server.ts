// Delivers queued mail. Like the search indexer (search/indexer.server.ts) it
// polls, and one process at a time sends (a lease in WorkerLease).
//
// - With an SMTP transport, each due row is handed to SMTP. Success marks it
//   "sent"; a failure keeps it "queued" with attempts + 1, the error and a
//   growing delay (notBefore); after MAIL_MAX_ATTEMPTS, or on a permanent 5xx
//   answer, it is marked "failed" with the error kept. Rows are never deleted.
// - Without one (no SMTP_URL), rows are marked "kept": delivered to the
//   outbox that admins read at /admin/outbox.
// - Rate limits (per recipient per hour, and a global cap per minute) delay a
//   row by moving its notBefore to when a slot frees; nothing is dropped.
//
// A crash between SMTP accepting a message and the row being marked leaves it
// queued, so it is sent again after a restart: at least once, never lost.
// Logs name row ids and kinds only: never addresses, subjects or links.
import crypto from "node:crypto";
import os from "node:os";
import { fanOutAnnouncements } from "~/announcements/send.server";
import { purgeExpiredSubscriptions } from "~/announcements/subscriptions.server";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { logger } from "~/utils/logger.server";
import { dropLease, takeLease } from "~/utils/worker-lease.server";
import { queuePolicyNotices } from "~/privacy/notices.server";
import { createSmtpTransport, describeFailure, isPermanentFailure, type MailTransport } from "./transport.server";

export const MAIL_LEASE = "mail-sender";
const LEASE_MS = 60_000;
const HOUR_MS = 60 * 60_000;
const MINUTE_MS = 60_000;

export const REDACTED_BODY = "(Removed after delivery: this message held a one-time link.)";

export const defaultMailHolder = `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString("hex")}`;

export type MailLimits = { perRecipientPerHour: number; perMinute: number; maxAttempts: number };

export function mailLimitsFromEnv(): MailLimits {
  const env = getEnv();
  return { perRecipientPerHour: env.MAIL_PER_RECIPIENT_HOUR, perMinute: env.MAIL_PER_MINUTE, maxAttempts: env.MAIL_MAX_ATTEMPTS };
}

/** 30 s after the first failure, doubling, at most 2 hours. */
export function mailBackoffMs(attempts: number): number {
  return Math.min(2 * HOUR_MS, 30_000 * 2 ** Math.max(0, Math.min(attempts - 1, 12)));
}

export type MailDrainResult = {
  sent: number;
  kept: number;
  retried: number;
  failed: number;
  /** Rows moved later by a rate limit. */
  delayed: number;
  /** Another process holds the lease. */
  leaseHeld: boolean;
};

export interface MailDrainOptions {
  /** null: no SMTP, keep mail in the outbox. */
  transport: MailTransport | null;
  from?: string;
  holder?: string;
  limits?: MailLimits;
  batchSize?: number;
  now?: () => Date;
}

type Row = { id: number; kind: string; toAddress: string; subject: string; text: string; html: string | null; headers: string | null; attempts: number; sensitive: boolean };

const dueWhere = (now: Date) => ({ status: "queued", OR: [{ notBefore: null }, { notBefore: { lte: now } }] });

/** When may one more message go out under the limits, or now if it may at once. */
async function rateLimitedUntil(row: Row, limits: MailLimits, now: Date): Promise<Date | null> {
  const minuteAgo = new Date(now.getTime() - MINUTE_MS);
  const globalCount = await db.outgoingMail.count({ where: { status: "sent", sentAt: { gt: minuteAgo } } });
  if (globalCount >= limits.perMinute) {
    const oldest = await db.outgoingMail.findMany({
      where: { status: "sent", sentAt: { gt: minuteAgo } },
      orderBy: { sentAt: "desc" },
      skip: limits.perMinute - 1,
      take: 1,
      select: { sentAt: true },
    });
    return new Date((oldest[0]?.sentAt ?? now).getTime() + MINUTE_MS);
  }
  const hourAgo = new Date(now.getTime() - HOUR_MS);
  const recipientWhere = { toAddress: row.toAddress, status: "sent", sentAt: { gt: hourAgo } };
  const recipientCount = await db.outgoingMail.count({ where: recipientWhere });
  if (recipientCount >= limits.perRecipientPerHour) {
    const oldest = await db.outgoingMail.findMany({
      where: recipientWhere,
      orderBy: { sentAt: "desc" },
      skip: limits.perRecipientPerHour - 1,
      take: 1,
      select: { sentAt: true },
    });
    return new Date((oldest[0]?.sentAt ?? now).getTime() + HOUR_MS);
  }
  return null;
}

function parseHeaders(raw: string | null): Record<string, string> | undefined {
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Record<string, string>;
  } catch {
    return undefined;
  }
}

async function deliver(row: Row, options: Required<Pick<MailDrainOptions, "from">> & { transport: MailTransport; limits: MailLimits; now: Date }, result: MailDrainResult) {
  try {
    const info = await options.transport.send({
      from: options.from,
      to: row.toAddress,
      subject: row.subject,
      text: row.text,
      html: row.html ?? undefined,
      headers: parseHeaders(row.headers),
    });
    await db.outgoingMail.update({
      where: { id: row.id },
      data: {
        status: "sent",
        sentAt: new Date(),
        attempts: row.attempts + 1,
        lastError: null,
        notBefore: null,
        messageId: info.messageId.slice(0, 300) || null,
        ...(row.sensitive ? { text: REDACTED_BODY, html: null } : {}),
      },
    });
    result.sent += 1;
    logger.info({ mailId: row.id, kind: row.kind, attempts: row.attempts + 1 }, "mail sent");
  } catch (error) {
    const attempts = row.attempts + 1;
    const lastError = describeFailure(error);
    const giveUp = attempts >= options.limits.maxAttempts || isPermanentFailure(error);
    await db.outgoingMail.update({
      where: { id: row.id },
      data: giveUp
        ? { status: "failed", attempts, lastError, notBefore: null }
        : { attempts, lastError, notBefore: new Date(options.now.getTime() + mailBackoffMs(attempts)) },
    });
    const code = (error as { responseCode?: unknown; code?: unknown } | null) ?? {};
    // The SMTP code only: server answers can quote the address.
    const fields = { mailId: row.id, kind: row.kind, attempts, responseCode: code.responseCode ?? null, code: code.code ?? null };
    if (giveUp) {
      result.failed += 1;
      logger.error(fields, "mail delivery failed; giving up");
    } else {
      result.retried += 1;
      logger.warn(fields, "mail delivery failed; will retry");
    }
  }
}

/**
 * Delivers (or keeps) every due row, one at a time, in id order. Never throws
 * for a delivery failure: the row records it.
 */
export async function drainMail(options: MailDrainOptions): Promise<MailDrainResult> {
  const holder = options.holder ?? defaultMailHolder;
  const now = options.now ?? (() => new Date());
  const limits = options.limits ?? mailLimitsFromEnv();
  const from = options.from ?? getEnv().MAIL_FROM;
  const batchSize = options.batchSize ?? 100;
  const result: MailDrainResult = { sent: 0, kept: 0, retried: 0, failed: 0, delayed: 0, leaseHeld: false };
  // An idle queue costs one read, not a lease write, per round.
  if (!(await db.outgoingMail.findFirst({ where: dueWhere(now()), select: { id: true } }))) return result;
  let cursor = 0;
  for (;;) {
    if (!(await takeLease(MAIL_LEASE, holder, LEASE_MS, now()))) {
      result.leaseHeld = true;
      return result;
    }
    const rows: Row[] = await db.outgoingMail.findMany({
      where: { ...dueWhere(now()), id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: batchSize,
      select: { id: true, kind: true, toAddress: true, subject: true, text: true, html: true, headers: true, attempts: true, sensitive: true },
    });
    if (rows.length === 0) return result;
    if (!options.transport) {
      const at = now();
      const kept = await db.outgoingMail.updateMany({
        where: { id: { in: rows.map((row) => row.id) }, status: "queued" },
        data: { status: "kept", sentAt: at, notBefore: null },
      });
      result.kept += kept.count;
    } else {
      for (const row of rows) {
        const at = now();
        const until = await rateLimitedUntil(row, limits, at);
        if (until) {
          await db.outgoingMail.update({ where: { id: row.id }, data: { notBefore: until } });
          result.delayed += 1;
          continue;
        }
        await deliver(row, { transport: options.transport, from, limits, now: at }, result);
        // Renew the lease as we go: a slow server must not let a second sender in.
        await takeLease(MAIL_LEASE, holder, LEASE_MS, now());
      }
    }
    cursor = rows[rows.length - 1]!.id;
  }
}

/**
 * Deletes finished mail (sent, kept, failed) created before the retention
 * window: the outbox holds addresses, so it keeps them no longer than needed.
 * Mail still waiting to be sent is never deleted.
 */
export async function purgeOldMail(retentionDays: number, now = new Date()): Promise<number> {
  if (retentionDays <= 0) return 0;
  const before = new Date(now.getTime() - retentionDays * 24 * HOUR_MS);
  const { count } = await db.outgoingMail.deleteMany({ where: { status: { in: ["sent", "kept", "failed"] }, createdAt: { lt: before } } });
  return count;
}

/** Counts by status, for the outbox page. */
export async function mailStatusCounts(): Promise<Record<string, number>> {
  const groups = await db.outgoingMail.groupBy({ by: ["status"], _count: { _all: true } });
  return Object.fromEntries(groups.map((group) => [group.status, group._count._all]));
}

export interface MailWorkerOptions {
  /** Default: SMTP_URL. null: keep mail in the outbox. */
  smtpUrl?: string | null;
  /** Time between rounds (default 2 s). */
  intervalMs?: number;
  holder?: string;
  limits?: MailLimits;
  from?: string;
  /** Default: MAIL_RETENTION_DAYS. */
  retentionDays?: number;
  onDrain?: (result: MailDrainResult) => void;
}

/** Delivers queued mail in the background. Returns stop(), which waits for the round in progress and releases the lease. */
export function startMailWorker(options: MailWorkerOptions = {}): () => Promise<void> {
  const smtpUrl = options.smtpUrl === undefined ? (getEnv().SMTP_URL ?? null) : options.smtpUrl;
  const transport = smtpUrl ? createSmtpTransport(smtpUrl) : null;
  const intervalMs = options.intervalMs ?? 2000;
  const holder = options.holder ?? defaultMailHolder;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let lastError: string | null = null;
  const retentionDays = options.retentionDays ?? getEnv().MAIL_RETENTION_DAYS;
  let lastPurge = 0;

  const round = async () => {
    try {
      if (Date.now() - lastPurge > HOUR_MS) {
        lastPurge = Date.now();
        const purged = await purgeOldMail(retentionDays);
        if (purged > 0) logger.info({ purged, retentionDays }, "old mail deleted from the outbox");
        const expired = await purgeExpiredSubscriptions();
        if (expired > 0) logger.info({ expired }, "unconfirmed announcement subscriptions deleted");
      }
      // Announcements being sent: queue the next subscribers' emails (resumes
      // after a restart). Its own failure must not hold up the rest of the mail.
      await fanOutAnnouncements().catch((error: unknown) => {
        logger.warn({ error: error instanceof Error ? error.name : "unknown" }, "queueing announcement emails failed; will retry");
      });
      // Producers that queue mail in batches resume here (a crash mid-way loses
      // nothing). Their failure must not hold up delivery of what is queued.
      try {
        const notices = await queuePolicyNotices();
        if (notices.queued > 0) logger.info({ queued: notices.queued }, "privacy policy data-use notices queued");
      } catch (error) {
        logger.warn({ error: error instanceof Error ? error.message : String(error) }, "queueing privacy policy notices failed; will retry");
      }
      const result = await drainMail({ transport, holder, limits: options.limits, from: options.from });
      options.onDrain?.(result);
      if (lastError) logger.info("mail worker recovered");
      lastError = null;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (message !== lastError) logger.warn({ error: message }, "mail worker round failed; will retry");
      lastError = message;
    }
  };
  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      timer = null;
      running = round().then(() => {
        running = null;
        schedule(intervalMs);
      });
    }, delay);
    timer.unref?.();
  };
  logger.info({ mode: transport ? "smtp" : "outbox" }, "mail worker started");
  schedule(0);
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await running;
    transport?.close();
    await dropLease(MAIL_LEASE, holder).catch(() => {});
  };
}
