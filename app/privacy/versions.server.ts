// Published versions of the privacy policy, the admins' draft of the next
// one, and publishing. A version is never edited: a change is a new version.
import { z } from "zod";
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import type { FieldErrors } from "~/utils/forms";
import { INITIAL_POLICY_MARKDOWN, INITIAL_POLICY_SUMMARY } from "./initial-policy";
import { POLICY_BODY_MAX, POLICY_NOTICE_DAYS, POLICY_SUMMARY_MAX, POLICY_SUMMARY_MIN } from "./limits";
import { renderPolicy } from "./render.server";

const DAY_MS = 86_400_000;

const summaryFields = { number: true, summary: true, changesDataUse: true, publishedAt: true } as const;

/** The newest version, or null on a database that was never set up (npm run setup seeds version 1). */
export async function currentPolicy() {
  return db.policyVersion.findFirst({ orderBy: { number: "desc" } });
}

export async function policyVersion(number: number) {
  if (!Number.isSafeInteger(number) || number < 1) return null;
  return db.policyVersion.findUnique({ where: { number } });
}

/** Every version, newest first, without their texts. */
export async function listPolicyVersions() {
  return db.policyVersion.findMany({ orderBy: { number: "desc" }, select: summaryFields });
}

/**
 * The change the home page announces: the newest version, when it was
 * published in the last POLICY_NOTICE_DAYS days. Version 1 is the policy the
 * portal was installed with, not a change.
 */
export async function recentPolicyChange(now = new Date()) {
  const current = await db.policyVersion.findFirst({ orderBy: { number: "desc" }, select: summaryFields });
  if (!current || current.number < 2) return null;
  if (current.publishedAt.getTime() < now.getTime() - POLICY_NOTICE_DAYS * DAY_MS) return null;
  return current;
}

/** Writes version 1 into an empty policy table. Idempotent; run by npm run setup. */
export async function ensureInitialPolicy(): Promise<boolean> {
  if (await db.policyVersion.findFirst({ select: { id: true } })) return false;
  try {
    await db.policyVersion.create({
      data: { number: 1, body: INITIAL_POLICY_MARKDOWN, html: renderPolicy(INITIAL_POLICY_MARKDOWN), summary: INITIAL_POLICY_SUMMARY },
    });
    return true;
  } catch (error) {
    // Another process wrote it first.
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return false;
    throw error;
  }
}

export async function policyDraft() {
  return db.policyDraft.findFirst({ orderBy: { id: "asc" } });
}

export async function saveDraft(adminId: number, body: string) {
  const text = body.slice(0, POLICY_BODY_MAX);
  const existing = await policyDraft();
  if (existing) await db.policyDraft.update({ where: { id: existing.id }, data: { body: text, updatedById: adminId } });
  else await db.policyDraft.create({ data: { body: text, updatedById: adminId } });
}

export async function discardDraft() {
  await db.policyDraft.deleteMany({});
}

export const PublishSchema = z.object({
  body: z
    .string({ required_error: "Write the policy text." })
    .trim()
    .min(1, "Write the policy text.")
    .max(POLICY_BODY_MAX, `The policy may be at most ${POLICY_BODY_MAX.toLocaleString("en")} characters long.`),
  summary: z
    .string({ required_error: "Say what changed." })
    .trim()
    .min(POLICY_SUMMARY_MIN, `Say what changed in at least ${POLICY_SUMMARY_MIN} characters: members read it in the notice.`)
    .max(POLICY_SUMMARY_MAX, `Keep the summary under ${POLICY_SUMMARY_MAX} characters.`)
    .refine((value) => !/[\r\n]/.test(value), "Keep the summary on one line."),
  changesDataUse: z.literal("on").optional(),
});

export type PublishInput = z.infer<typeof PublishSchema>;

export type PublishResult = { ok: true; number: number; changesDataUse: boolean } | { ok: false; fieldErrors: FieldErrors; formErrors: string[] };

/**
 * Publishes the next version: the version, the audit entry and the removal
 * of the draft commit together. Data-use notices are queued afterwards in
 * batches (notices.server.ts), so a large membership never holds this open.
 */
export async function publishPolicy(adminId: number, input: PublishInput): Promise<PublishResult> {
  const body = input.body.replace(/\r\n/g, "\n");
  const changesDataUse = input.changesDataUse === "on";
  const html = renderPolicy(body);
  try {
    const number = await db.$transaction(async (tx) => {
      const current = await tx.policyVersion.findFirst({ orderBy: { number: "desc" }, select: { number: true, body: true } });
      if (current && current.body.trim() === body.trim()) return null;
      const next = (current?.number ?? 0) + 1;
      await tx.policyVersion.create({ data: { number: next, body, html, summary: input.summary, changesDataUse, publishedById: adminId } });
      await tx.policyDraft.deleteMany({});
      // The admin who published it has seen it: no banner for them.
      await tx.policySeen.upsert({ where: { userId: adminId }, create: { userId: adminId, version: next }, update: { version: next } });
      await recordAudit(
        { actorId: adminId, action: "policy.publish", targetType: "policy", targetId: next, reason: input.summary, details: { changesDataUse } },
        tx,
      );
      return next;
    });
    if (number === null) return { ok: false, fieldErrors: { body: ["This is the text of the current version: change something first."] }, formErrors: [] };
    return { ok: true, number, changesDataUse };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false, fieldErrors: {}, formErrors: ["Another admin published a version at the same moment. Check the current version and publish again."] };
    }
    throw error;
  }
}
