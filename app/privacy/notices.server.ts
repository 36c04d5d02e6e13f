// Emails members about a version that changes how personal data is used.
// Members are queued in batches by id, each batch in one transaction with
// the PolicyNotice rows that record it and the version's cursor, so a crash
// resumes after the last committed batch, and the (version, member) key
// means nobody is mailed twice for one version even if two processes race.
// Only members who joined before the version was published are mailed:
// later members read it when they sign up.
import { queueMail } from "~/mail/queue.server";
import { siteOrigin } from "~/mail/links.server";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { dataUseNoticeMessage } from "./emails.server";

export type NoticeRun = { queued: number; versions: number };

/** Queues pending data-use notices, `batchSize` members per transaction, up to `maxBatches` batches. */
export async function queuePolicyNotices(options: { origin?: string; batchSize?: number; maxBatches?: number } = {}): Promise<NoticeRun> {
  const batchSize = options.batchSize ?? 200;
  const maxBatches = options.maxBatches ?? 50;
  const origin = options.origin ?? siteOrigin();
  const run: NoticeRun = { queued: 0, versions: 0 };
  let batches = 0;
  for (;;) {
    const version = await db.policyVersion.findFirst({
      where: { changesDataUse: true, noticesQueuedAt: null },
      orderBy: { number: "asc" },
      select: { id: true, number: true, summary: true, publishedAt: true, noticeCursor: true },
    });
    if (!version || batches >= maxBatches) return run;
    batches += 1;
    const members = await db.user.findMany({
      // Deleted accounts have no address left to write to.
      where: { id: { gt: version.noticeCursor }, createdAt: { lte: version.publishedAt }, deletedAt: null },
      orderBy: { id: "asc" },
      take: batchSize,
      select: { id: true, username: true, email: true },
    });
    const queued = await db.$transaction(async (tx) => {
      // Re-read the cursor inside the transaction: another process may have moved it.
      const fresh = await tx.policyVersion.findUniqueOrThrow({ where: { id: version.id }, select: { noticeCursor: true, noticesQueuedAt: true } });
      if (fresh.noticesQueuedAt || fresh.noticeCursor !== version.noticeCursor) return 0;
      if (members.length === 0) {
        await tx.policyVersion.update({ where: { id: version.id }, data: { noticesQueuedAt: new Date() } });
        return 0;
      }
      const already = new Set(
        (await tx.policyNotice.findMany({ where: { version: version.number, userId: { in: members.map((m) => m.id) } }, select: { userId: true } })).map((row) => row.userId),
      );
      let count = 0;
      for (const member of members) {
        if (already.has(member.id)) continue;
        await tx.policyNotice.create({ data: { version: version.number, userId: member.id } });
        await queueMail(tx, dataUseNoticeMessage({ to: member.email, username: member.username, origin, number: version.number, summary: version.summary }));
        count += 1;
      }
      await tx.policyVersion.update({ where: { id: version.id }, data: { noticeCursor: members[members.length - 1]!.id } });
      return count;
    });
    run.queued += queued;
    if (members.length === 0) {
      run.versions += 1;
      logger.info({ version: version.number }, "privacy policy data-use notices all queued");
    }
  }
}
