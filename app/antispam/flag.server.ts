// Automatic reports: a flagged watched word publishes the post or message and
// files a report into the moderation queue, as a member's report would.
import type { Prisma } from "~/generated/prisma/client";
import type { WatchedHit } from "./watched-words.server";

/** Reports filed by the system carry this reporter id; the queue names them "watched words". */
export const SYSTEM_REPORTER_ID = 0;

export async function fileWatchedWordReport(
  tx: Prisma.TransactionClient,
  target: { type: "post" | "chat"; id: number },
  hit: WatchedHit,
  snapshot: Record<string, unknown>,
) {
  const reason = `Watched word “${hit.word}” (matched “${hit.matched}”)`;
  const data = JSON.stringify({ ...snapshot, at: new Date().toISOString() });
  // One automatic report per item: an edit that matches again refreshes it.
  await tx.report.upsert({
    where: { targetType_targetId_reporterId: { targetType: target.type, targetId: target.id, reporterId: SYSTEM_REPORTER_ID } },
    create: { targetType: target.type, targetId: target.id, reporterId: SYSTEM_REPORTER_ID, reason, snapshot: data },
    update: { reason, snapshot: data, state: "open", resolvedAt: null, resolvedById: null, rule: null, createdAt: new Date() },
  });
}
