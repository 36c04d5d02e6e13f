// Hiding an archived message on a takedown request, and undoing it.
//
// Hiding writes a tombstone (list + Message-ID + sha256 of the raw bytes), so
// a later IMAP resync or mbox re-import that brings the message back stores
// it hidden again (see ingest.server.ts). The message keeps its place in its
// thread (replies still hang under it); pages show it as removed.
import { recordAudit } from "~/utils/audit.server";
import { enqueueSearch } from "../../search/outbox.server.ts";
import { db } from "~/utils/db.server";
import { claimWriteLock, emptyDelta, recomputeLastMessageAt, refreshThread, type ListDelta, type Tx } from "./ingest-threads.server";

export const HIDE_REASON_CATEGORIES = ["takedown", "personal-data", "spam", "other"] as const;
export type HideReasonCategory = (typeof HIDE_REASON_CATEGORIES)[number];

export function isHideReasonCategory(value: unknown): value is HideReasonCategory {
  return typeof value === "string" && (HIDE_REASON_CATEGORIES as readonly string[]).includes(value);
}

/** "takedown: requested by the author" — the stored hiddenReason / tombstone reason. */
export function formatHiddenReason(category: HideReasonCategory, text: string): string {
  const detail = text.trim().replace(/\s+/g, " ").slice(0, 500);
  return detail ? `${category}: ${detail}` : category;
}

/** The category part of a stored hiddenReason ("other" when it is not one of ours). */
export function hiddenReasonCategory(hiddenReason: string | null): HideReasonCategory | null {
  if (hiddenReason === null) return null;
  const category = hiddenReason.split(":", 1)[0]?.trim();
  return isHideReasonCategory(category) ? category : "other";
}

export type TakedownResult =
  | { ok: true; publicId: string; threadPublicId: string | null; changed: boolean }
  | { ok: false; error: "not-found" | "bad-reason"; message: string };

type ListRef = { id: number };

async function findMessage(list: ListRef, publicId: string) {
  const message = await db.mailMessage.findUnique({
    where: { publicId },
    select: { id: true, listId: true, kind: true, messageId: true, rawSha256: true, threadId: true, hiddenAt: true, hiddenReason: true, thread: { select: { publicId: true } } },
  });
  return message && message.listId === list.id && message.kind === "message" ? message : null;
}

async function applyThreadChange(tx: Tx, listId: number, threadId: number | null): Promise<void> {
  const delta: ListDelta = emptyDelta();
  if (threadId !== null) await refreshThread(tx, threadId, delta);
  if (delta.messages !== 0 || delta.threads !== 0) {
    await tx.mailingList.update({
      where: { id: listId },
      data: { messageCount: { increment: delta.messages }, threadCount: { increment: delta.threads } },
    });
  }
  await recomputeLastMessageAt(tx, listId);
}

/**
 * Hides a message and records a tombstone. Hiding an already hidden message
 * updates the reason. Audit: mail.hide (reason text kept in the audit entry).
 */
export async function hideMessage(
  actorId: number,
  list: ListRef,
  publicId: string,
  reasonCategory: HideReasonCategory,
  reasonText: string,
): Promise<TakedownResult> {
  if (!isHideReasonCategory(reasonCategory)) {
    return { ok: false, error: "bad-reason", message: `The reason must be one of: ${HIDE_REASON_CATEGORIES.join(", ")}.` };
  }
  const message = await findMessage(list, publicId);
  if (!message) return { ok: false, error: "not-found", message: "There is no such message in this list." };
  const reason = formatHiddenReason(reasonCategory, reasonText);
  await db.$transaction(async (tx) => {
    await claimWriteLock(tx, list.id);
    await tx.mailMessage.update({
      where: { id: message.id },
      data: { hiddenAt: message.hiddenAt ?? new Date(), hiddenReason: reason, hiddenById: actorId },
    });
    await tx.mailTombstone.upsert({
      where: { listId_messageId: { listId: list.id, messageId: message.messageId } },
      create: { listId: list.id, messageId: message.messageId, rawSha256: message.rawSha256, reason, createdById: actorId },
      update: { rawSha256: message.rawSha256, reason, createdById: actorId },
    });
    if (!message.hiddenAt) await applyThreadChange(tx, list.id, message.threadId);
    await enqueueSearch(tx, { kind: "mail", id: message.id });
    await recordAudit(
      { actorId, action: "mail.hide", targetType: "mail", targetId: publicId, reason, details: { listId: list.id, category: reasonCategory } },
      tx,
    );
  });
  return { ok: true, publicId, threadPublicId: message.thread?.publicId ?? null, changed: !message.hiddenAt };
}

/** Shows a hidden message again and removes its tombstone. Audit: mail.unhide. */
export async function unhideMessage(actorId: number, list: ListRef, publicId: string, reasonText = ""): Promise<TakedownResult> {
  const message = await findMessage(list, publicId);
  if (!message) return { ok: false, error: "not-found", message: "There is no such message in this list." };
  await db.$transaction(async (tx) => {
    await claimWriteLock(tx, list.id);
    await tx.mailTombstone.deleteMany({ where: { listId: list.id, messageId: message.messageId } });
    if (message.hiddenAt) {
      await tx.mailMessage.update({ where: { id: message.id }, data: { hiddenAt: null, hiddenReason: null, hiddenById: null } });
      await applyThreadChange(tx, list.id, message.threadId);
      await enqueueSearch(tx, { kind: "mail", id: message.id });
    }
    await recordAudit(
      {
        actorId,
        action: "mail.unhide",
        targetType: "mail",
        targetId: publicId,
        reason: reasonText.trim().slice(0, 500),
        details: { listId: list.id, previousReason: message.hiddenReason },
      },
      tx,
    );
  });
  return { ok: true, publicId, threadPublicId: message.thread?.publicId ?? null, changed: message.hiddenAt !== null };
}

/** Tombstones of a list, newest first (moderation console). */
export function listTombstones(listId: number, take = 100) {
  return db.mailTombstone.findMany({ where: { listId }, orderBy: { id: "desc" }, take });
}
