// A moderator claims a queue item so others know it is being handled. A claim
// lasts CLAIM_MINUTES; before that, another moderator must take it over explicitly.
import { db } from "~/utils/db.server";
import { CLAIM_MINUTES } from "./rules";

const CLAIM_MS = CLAIM_MINUTES * 60_000;

export type ClaimView = { moderatorId: number; username: string; claimedAt: string; mine: boolean };
export type ClaimResult = { ok: true } | { ok: false; status: 409; message: string; claimedBy: string };

function live(claimedAt: Date, now: Date) {
  return now.getTime() - claimedAt.getTime() < CLAIM_MS;
}

/** Claims an item; refuses when another moderator holds a live claim, unless `takeOver`. */
export async function claimItem(moderator: { id: number }, itemKey: string, options: { takeOver?: boolean } = {}, now = new Date()): Promise<ClaimResult> {
  return db.$transaction(async (tx) => {
    const existing = await tx.moderationClaim.findUnique({ where: { itemKey } });
    if (existing && existing.moderatorId !== moderator.id && live(existing.claimedAt, now) && !options.takeOver) {
      const holder = await tx.user.findUnique({ where: { id: existing.moderatorId }, select: { username: true } });
      const name = holder?.username ?? "another moderator";
      return { ok: false as const, status: 409 as const, message: `${name} claimed this item; take it over if you mean to decide it.`, claimedBy: name };
    }
    await tx.moderationClaim.upsert({
      where: { itemKey },
      create: { itemKey, moderatorId: moderator.id, claimedAt: now },
      update: { moderatorId: moderator.id, claimedAt: now },
    });
    return { ok: true as const };
  });
}

export async function releaseClaim(moderator: { id: number }, itemKey: string) {
  await db.moderationClaim.deleteMany({ where: { itemKey, moderatorId: moderator.id } });
}

/** Live claims of the given items, by item key. */
export async function claimsFor(itemKeys: string[], viewerId: number, now = new Date()): Promise<Map<string, ClaimView>> {
  if (itemKeys.length === 0) return new Map();
  const rows = await db.moderationClaim.findMany({ where: { itemKey: { in: itemKeys }, claimedAt: { gt: new Date(now.getTime() - CLAIM_MS) } } });
  const users = await db.user.findMany({ where: { id: { in: rows.map((r) => r.moderatorId) } }, select: { id: true, username: true } });
  const names = new Map(users.map((u) => [u.id, u.username]));
  return new Map(
    rows.map((r) => [
      r.itemKey,
      { moderatorId: r.moderatorId, username: names.get(r.moderatorId) ?? "a moderator", claimedAt: r.claimedAt.toISOString(), mine: r.moderatorId === viewerId },
    ]),
  );
}
