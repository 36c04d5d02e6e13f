// Writing and sending announcements. An admin writes a draft (Markdown,
// rendered once with the forum renderer and sanitizer), sends a test to
// themselves, then starts the send. Starting only marks the announcement
// "sending"; fanOutAnnouncements(), run by the mail worker every round,
// queues one email per confirmed subscriber in batches. Each email is queued
// in the same transaction as its AnnouncementDelivery row, whose
// (announcement, subscription) pair is unique: a crash loses at most an
// uncommitted batch, the next round continues where the last one stopped,
// and a repeated or concurrent run never queues anyone twice. Delivery then
// goes through the ordinary outbox with its rate limits and retries.
import { Prisma } from "~/generated/prisma/client";
import { ContentTooLongError, renderMarkdown } from "~/content/markdown.server";
import { queueMail } from "~/mail/queue.server";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import type { AnnouncementDraftInput } from "./list-schema";
import { announcementMessage, unsubscribeLink } from "./messages.server";

export function renderAnnouncement(markdown: string): string {
  return renderMarkdown(markdown, { resolveMention: () => false }).html;
}

type DraftResult = { ok: true; id: number } | { ok: false; fieldErrors: Record<string, string[]> };

function tooLong(error: unknown): DraftResult {
  if (error instanceof ContentTooLongError) return { ok: false, fieldErrors: { markdown: [error.message] } };
  throw error;
}

export async function createAnnouncementDraft(actorId: number, listId: number, input: AnnouncementDraftInput): Promise<DraftResult> {
  try {
    const html = renderAnnouncement(input.markdown);
    const created = await db.announcement.create({ data: { listId, subject: input.subject, markdown: input.markdown, html, createdById: actorId }, select: { id: true } });
    return { ok: true, id: created.id };
  } catch (error) {
    return tooLong(error);
  }
}

/** Only drafts can change: what was sent stays as it was sent. */
export async function updateAnnouncementDraft(id: number, input: AnnouncementDraftInput): Promise<DraftResult> {
  try {
    const html = renderAnnouncement(input.markdown);
    const { count } = await db.announcement.updateMany({ where: { id, status: "draft" }, data: { subject: input.subject, markdown: input.markdown, html } });
    if (count === 0) return { ok: false, fieldErrors: { subject: ["This announcement is being sent or was sent; it can no longer change."] } };
    return { ok: true, id };
  } catch (error) {
    return tooLong(error);
  }
}

export async function readAnnouncement(id: number) {
  return db.announcement.findUnique({
    where: { id },
    select: {
      id: true,
      subject: true,
      markdown: true,
      html: true,
      status: true,
      createdAt: true,
      sendStartedAt: true,
      queuedAllAt: true,
      list: { select: { id: true, slug: true, name: true, description: true } },
    },
  });
}

export async function listAnnouncements(listId: number) {
  return db.announcement.findMany({ where: { listId }, orderBy: { id: "desc" }, select: { id: true, subject: true, status: true, createdAt: true, sendStartedAt: true } });
}

/** Sends the draft to the admin's own address, marked as a test. */
export async function sendAnnouncementTest(actor: { id: number; email: string }, id: number, origin: string): Promise<boolean> {
  const announcement = await readAnnouncement(id);
  if (!announcement) return false;
  const message = announcementMessage({
    to: actor.email,
    list: announcement.list,
    announcement,
    origin,
    // A test has no subscription of its own: its link leads to the list's page.
    unsubscribeUrl: `${origin}/announcements/${announcement.list.slug}`,
    kind: "announcement-test",
    subjectPrefix: "[Test] ",
  });
  // No one-click headers: a test has no subscription a mail program could end.
  const { "List-Id": listId } = message.headers ?? {};
  await queueMail(db, { ...message, headers: listId ? { "List-Id": listId } : undefined });
  return true;
}

/** Starts sending a draft (once: a second click changes nothing). Returns whether this call started it. */
export async function startAnnouncementSend(actorId: number, id: number, origin: string, now = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const { count } = await tx.announcement.updateMany({ where: { id, status: "draft" }, data: { status: "sending", sendStartedAt: now, linkOrigin: origin } });
    if (count === 0) return false;
    const announcement = await tx.announcement.findUniqueOrThrow({ where: { id }, select: { listId: true, list: { select: { slug: true } } } });
    const subscribers = await tx.announcementSubscription.count({ where: { listId: announcement.listId, status: "active" } });
    await recordAudit({ actorId, action: "announcement.send", targetType: "announcement", targetId: id, details: { slug: announcement.list.slug, subscribers } }, tx);
    return true;
  });
}

export type FanOutOptions = { batchSize?: number; /** Stop after this many batches (the rest waits for the next run). */ maxBatches?: number };

/** Queues the emails of every announcement being sent. Returns how many were queued. Safe to run anywhere, any number of times. */
export async function fanOutAnnouncements(options: FanOutOptions = {}): Promise<number> {
  const batchSize = options.batchSize ?? 100;
  let batches = options.maxBatches ?? Number.POSITIVE_INFINITY;
  let queued = 0;
  const sending = await db.announcement.findMany({ where: { status: "sending" }, orderBy: { id: "asc" }, select: { id: true } });
  for (const { id } of sending) {
    const announcement = await db.announcement.findUniqueOrThrow({
      where: { id },
      select: { id: true, subject: true, markdown: true, html: true, linkOrigin: true, list: { select: { id: true, slug: true, name: true, description: true } } },
    });
    for (;;) {
      if (batches <= 0) return queued;
      const subscribers = await db.announcementSubscription.findMany({
        where: { listId: announcement.list.id, status: "active", deliveries: { none: { announcementId: id } } },
        orderBy: { id: "asc" },
        take: batchSize,
        select: { id: true, email: true, unsubscribeKey: true },
      });
      if (subscribers.length === 0) {
        await db.announcement.updateMany({ where: { id, status: "sending" }, data: { status: "sent", queuedAllAt: new Date() } });
        logger.info({ announcementId: id }, "announcement queued for every subscriber");
        break;
      }
      batches -= 1;
      try {
        await db.$transaction(async (tx) => {
          for (const subscriber of subscribers) {
            const mail = await queueMail(
              tx,
              announcementMessage({
                to: subscriber.email,
                list: announcement.list,
                announcement,
                origin: announcement.linkOrigin,
                unsubscribeUrl: unsubscribeLink(announcement.linkOrigin, subscriber.id, subscriber.unsubscribeKey),
              }),
            );
            await tx.announcementDelivery.create({ data: { announcementId: id, subscriptionId: subscriber.id, mailId: mail.id } });
          }
        });
        queued += subscribers.length;
      } catch (error) {
        // Another process queued some of this batch first: the unique pair
        // rolled ours back whole; the next run picks up whoever is left.
        if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return queued;
        throw error;
      }
    }
  }
  return queued;
}

export type SendProgress = { total: number; queued: number; delivered: number; failed: number; waiting: number; done: boolean };

/**
 * Where a send stands. total: subscribers it goes to (while queueing, those
 * still to queue count too). delivered: handed to SMTP, or kept in the outbox
 * without SMTP (finished mail later deleted by retention counts as delivered).
 */
export async function announcementProgress(id: number): Promise<SendProgress> {
  const announcement = await db.announcement.findUniqueOrThrow({ where: { id }, select: { status: true, listId: true } });
  const [queued, waiting, failed, toQueue] = await Promise.all([
    db.announcementDelivery.count({ where: { announcementId: id } }),
    db.announcementDelivery.count({ where: { announcementId: id, mail: { status: "queued" } } }),
    db.announcementDelivery.count({ where: { announcementId: id, mail: { status: "failed" } } }),
    announcement.status === "sending"
      ? db.announcementSubscription.count({ where: { listId: announcement.listId, status: "active", deliveries: { none: { announcementId: id } } } })
      : Promise.resolve(0),
  ]);
  const total = queued + toQueue;
  return { total, queued, delivered: queued - waiting - failed, failed, waiting, done: announcement.status === "sent" && waiting === 0 };
}
