// Subscribing to announcement lists. Every new subscription starts pending
// and gets a welcome email with a one-time confirmation link (only its
// SHA-256 is stored, like account email links); only confirmed (active)
// subscriptions receive announcements. A pending subscription that is not
// confirmed within CONFIRM_DAYS is void at once (the link is refused) and
// deleted by the mail worker's hourly clean-up (purgeExpiredSubscriptions).
//
// The visitor-facing answer never depends on the address: subscribing an
// address that is already active sends nothing and looks the same.
import { randomBytes } from "node:crypto";
import { sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeHexLowerCase } from "@oslojs/encoding";
import { Prisma } from "~/generated/prisma/client";
import { queueMail } from "~/mail/queue.server";
import { generateEmailToken, hashEmailToken, isEmailTokenShape } from "~/utils/auth/email-tokens.server";
import { db } from "~/utils/db.server";
import { consumeLimit } from "~/utils/rate-limit.server";
import { CONFIRM_DAYS } from "./list-schema";
import { welcomeMessage } from "./messages.server";

const DAY_MS = 24 * 60 * 60_000;
/** Welcome emails one address gets per list per day, whoever asks. */
const PER_ADDRESS_LIMIT = { max: 3, windowMs: DAY_MS };

type Tx = Prisma.TransactionClient;
type List = { id: number; slug: string; name: string; description: string };

export type SubscribeOutcome = "welcome-queued" | "already-active" | "address-throttled";

/**
 * Inside the caller's transaction: makes the subscription pending with a new
 * confirmation link and queues the welcome email, unless it is active already.
 */
export async function queueSubscription(tx: Tx, list: List, email: string, origin: string, now = new Date()): Promise<SubscribeOutcome> {
  const emailKey = email.toLowerCase();
  const existing = await tx.announcementSubscription.findUnique({ where: { listId_emailKey: { listId: list.id, emailKey } }, select: { id: true, status: true } });
  if (existing?.status === "active") return "already-active";
  const token = generateEmailToken();
  const pending = { email, status: "pending", confirmTokenHash: hashEmailToken(token), confirmExpiresAt: new Date(now.getTime() + CONFIRM_DAYS * DAY_MS), unsubscribedAt: null };
  if (existing) await tx.announcementSubscription.update({ where: { id: existing.id }, data: pending });
  else await tx.announcementSubscription.create({ data: { ...pending, listId: list.id, emailKey, unsubscribeKey: randomBytes(24).toString("base64url"), createdAt: now } });
  await queueMail(tx, welcomeMessage({ to: email, list, origin, token }));
  return "welcome-queued";
}

/** A subscription from the public page or settings, in its own transaction. */
export async function subscribeAddress(list: List, email: string, origin: string, now = new Date()): Promise<SubscribeOutcome> {
  // Keyed by a hash: rate-limit keys never hold addresses.
  const addressKey = encodeHexLowerCase(sha256(new TextEncoder().encode(`${list.id}:${email.toLowerCase()}`)));
  if (!consumeLimit(`announce-address:${addressKey}`, PER_ADDRESS_LIMIT, now.getTime()).ok) return "address-throttled";
  try {
    return await db.$transaction((tx) => queueSubscription(tx, list, email, origin, now));
  } catch (error) {
    // The same address subscribing twice at once: the other request queued the email.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return "welcome-queued";
    throw error;
  }
}

const liveConfirmation = (token: string, now: Date) => ({ confirmTokenHash: hashEmailToken(token), status: "pending", confirmExpiresAt: { gt: now } });

/** The list a confirmation link is for, while it is live; null otherwise. Changes nothing. */
export async function checkConfirmation(token: string | null | undefined, now = new Date()) {
  if (!isEmailTokenShape(token)) return null;
  const row = await db.announcementSubscription.findFirst({ where: liveConfirmation(token, now), select: { list: { select: { name: true, slug: true } } } });
  return row?.list ?? null;
}

/** Confirms the subscription of a live link; the link then stops working. Returns the list, or null. */
export async function confirmSubscription(token: string | null | undefined, now = new Date()) {
  if (!isEmailTokenShape(token)) return null;
  return db.$transaction(async (tx) => {
    const row = await tx.announcementSubscription.findFirst({ where: liveConfirmation(token, now), select: { id: true, list: { select: { name: true, slug: true } } } });
    if (!row) return null;
    // Conditional on still being pending: two clicks racing confirm once.
    const { count } = await tx.announcementSubscription.updateMany({
      where: { id: row.id, status: "pending" },
      data: { status: "active", confirmedAt: now, confirmTokenHash: null, confirmExpiresAt: null },
    });
    return count === 1 ? row.list : null;
  });
}

/** The subscription an unsubscribe link names, if its key matches. */
async function findByKey(subscriptionId: number, key: string) {
  if (!Number.isSafeInteger(subscriptionId) || subscriptionId <= 0 || key.length === 0 || key.length > 100) return null;
  const row = await db.announcementSubscription.findUnique({
    where: { id: subscriptionId },
    select: { id: true, status: true, unsubscribeKey: true, list: { select: { name: true, slug: true } } },
  });
  if (!row) return null;
  const given = new TextEncoder().encode(key);
  const stored = new TextEncoder().encode(row.unsubscribeKey);
  if (given.length !== stored.length || !constantTimeEqual(given, stored)) return null;
  return row;
}

export async function checkUnsubscribeLink(subscriptionId: number, key: string) {
  const row = await findByKey(subscriptionId, key);
  return row ? { list: row.list, subscribed: row.status !== "unsubscribed" } : null;
}

/** One-click unsubscribe (RFC 8058): no login, the link's key is the authority. Repeating it is harmless. */
export async function unsubscribeWithLink(subscriptionId: number, key: string, now = new Date()) {
  const row = await findByKey(subscriptionId, key);
  if (!row) return null;
  await db.announcementSubscription.updateMany({
    where: { id: row.id, status: { not: "unsubscribed" } },
    data: { status: "unsubscribed", unsubscribedAt: now, confirmTokenHash: null, confirmExpiresAt: null },
  });
  return row.list;
}

export type MemberListState = "none" | "pending" | "active";

/** Each list with the state of the member's address on it (an expired pending subscription counts as none). */
export async function memberSubscriptions(email: string, now = new Date()) {
  const [lists, subscriptions] = await Promise.all([
    db.announcementList.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true, description: true } }),
    db.announcementSubscription.findMany({ where: { emailKey: email.toLowerCase() }, select: { listId: true, status: true, confirmExpiresAt: true } }),
  ]);
  return lists.map((list) => {
    const row = subscriptions.find((s) => s.listId === list.id);
    let state: MemberListState = "none";
    if (row?.status === "active") state = "active";
    else if (row?.status === "pending" && row.confirmExpiresAt && row.confirmExpiresAt > now) state = "pending";
    return { ...list, state };
  });
}

/** A logged-in member leaves a list (or withdraws a pending request). */
export async function unsubscribeMember(listId: number, email: string, now = new Date()): Promise<void> {
  await db.announcementSubscription.updateMany({
    where: { listId, emailKey: email.toLowerCase(), status: { not: "unsubscribed" } },
    data: { status: "unsubscribed", unsubscribedAt: now, confirmTokenHash: null, confirmExpiresAt: null },
  });
}

/** Deletes pending subscriptions whose link expired (the address was never confirmed, so it is not kept). */
export async function purgeExpiredSubscriptions(now = new Date()): Promise<number> {
  const { count } = await db.announcementSubscription.deleteMany({ where: { status: "pending", confirmExpiresAt: { lte: now } } });
  return count;
}

/**
 * A member's address changed (the new one is confirmed): inside that
 * transaction, their lists follow. A confirmed subscription moves to the new
 * address, keeping its dates, deliveries and unsubscribe link, unless the new
 * address is confirmed on that list already. An unsubscribed one moves too,
 * so the choice is kept. A pending one is dropped: its link went to the old
 * address, and confirming it there would not prove the new one. Nothing is
 * left under the old address, which is no longer the member's.
 */
export async function followAddressChange(tx: Tx, oldEmail: string, newEmail: string): Promise<void> {
  const oldKey = oldEmail.toLowerCase();
  const newKey = newEmail.toLowerCase();
  if (oldKey === newKey) return;
  const rows = await tx.announcementSubscription.findMany({ where: { emailKey: oldKey }, select: { id: true, listId: true, status: true } });
  for (const row of rows) {
    if (row.status === "pending") {
      await tx.announcementSubscription.delete({ where: { id: row.id } });
      continue;
    }
    const there = await tx.announcementSubscription.findUnique({ where: { listId_emailKey: { listId: row.listId, emailKey: newKey } }, select: { id: true, status: true } });
    if (there && (there.status === "active" || row.status !== "active")) {
      // The new address already says what it wants on this list (or the old one only said "no").
      await tx.announcementSubscription.delete({ where: { id: row.id } });
      continue;
    }
    if (there) await tx.announcementSubscription.delete({ where: { id: there.id } });
    await tx.announcementSubscription.update({ where: { id: row.id }, data: { email: newEmail, emailKey: newKey } });
  }
}
