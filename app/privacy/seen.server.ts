// Which version each member has seen. Members are told about versions
// published after they joined, until they visit /privacy or dismiss the
// banner (both a POST to /privacy/seen) or answer a consent request.
import { db } from "~/utils/db.server";

export type PolicyBanner = { number: number; summary: string; changesDataUse: boolean; needsConsent: boolean };

/** Records that the member has seen `version` (never beyond the current one, never backwards). */
export async function markPolicySeen(userId: number, version: number) {
  const current = await db.policyVersion.findFirst({ orderBy: { number: "desc" }, select: { number: true } });
  if (!current || !Number.isSafeInteger(version) || version < 1) return;
  const seen = Math.min(version, current.number);
  await db.$transaction(async (tx) => {
    const existing = await tx.policySeen.findUnique({ where: { userId } });
    if (!existing) await tx.policySeen.create({ data: { userId, version: seen } });
    else if (existing.version < seen) await tx.policySeen.update({ where: { userId }, data: { version: seen } });
  });
}

/** The banner a member should see on every page, or null. Version 1 is the policy as installed, not a change. */
export async function policyBannerFor(userId: number): Promise<PolicyBanner | null> {
  const current = await db.policyVersion.findFirst({
    orderBy: { number: "desc" },
    select: { number: true, summary: true, changesDataUse: true, publishedAt: true },
  });
  if (!current || current.number < 2) return null;
  const member = await db.user.findUnique({ where: { id: userId }, select: { createdAt: true, policySeen: { select: { version: true } } } });
  if (!member || member.createdAt >= current.publishedAt) return null;
  if ((member.policySeen?.version ?? 0) >= current.number) return null;
  const answered = current.changesDataUse
    ? await db.policyConsent.findFirst({ where: { userId, version: current.number }, select: { id: true } })
    : null;
  return { number: current.number, summary: current.summary, changesDataUse: current.changesDataUse, needsConsent: current.changesDataUse && !answered };
}
