// Members' answers to versions that change how personal data is used. Every
// answer is kept (member, version, choice, time); the latest one counts.
//
// A feature that starts using personal data in a new way asks
// hasConsentedTo(userId, version) with the number of the version that
// announced the use, and leaves the member out unless it returns true.
import { db } from "~/utils/db.server";
import { markPolicySeen } from "./seen.server";

export type ConsentChoice = "accepted" | "declined";

/** Has the member accepted the data-use change announced in `version` (and not declined it since)? */
export async function hasConsentedTo(userId: number, version: number): Promise<boolean> {
  return (await currentAnswer(userId, version)) === "accepted";
}

/** Every version that changes data use, newest first, with the member's current answer to each. */
export async function dataUseVersionsFor(userId: number) {
  const [versions, answers] = await Promise.all([
    db.policyVersion.findMany({ where: { changesDataUse: true }, orderBy: { number: "desc" }, select: { number: true, summary: true, publishedAt: true } }),
    db.policyConsent.findMany({ where: { userId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }], select: { version: true, choice: true } }),
  ]);
  // Oldest first, so the latest answer to each version is the one left in the map.
  const latest = new Map(answers.map((a) => [a.version, a.choice as ConsentChoice]));
  return versions.map((v) => ({ ...v, answer: latest.get(v.number) ?? null }));
}

export type RecordConsentResult = { ok: true } | { ok: false; message: string };

/** Records an answer; answering also counts as having seen that version. */
export async function recordConsent(userId: number, version: number, choice: ConsentChoice): Promise<RecordConsentResult> {
  const target = Number.isSafeInteger(version) ? await db.policyVersion.findUnique({ where: { number: version }, select: { changesDataUse: true } }) : null;
  if (!target?.changesDataUse) return { ok: false, message: "That version of the policy does not ask for your agreement." };
  await db.policyConsent.create({ data: { userId, version, choice } });
  await markPolicySeen(userId, version);
  return { ok: true };
}

/** The member's answers, newest first, for /settings and /privacy/consent. */
export async function consentHistory(userId: number) {
  return db.policyConsent.findMany({
    where: { userId },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    select: { id: true, version: true, choice: true, createdAt: true },
    take: 100,
  });
}

/** The latest answer to `version`, or null if the member has not answered. */
export async function currentAnswer(userId: number, version: number): Promise<ConsentChoice | null> {
  const latest = await db.policyConsent.findFirst({ where: { userId, version }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], select: { choice: true } });
  return (latest?.choice as ConsentChoice | undefined) ?? null;
}
