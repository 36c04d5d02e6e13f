// Bulk decisions: hide many queue items at once, or clear a member's flood of
// posts and suspend them. One transaction per bulk action; an audit entry per
// post plus one for the bulk action itself.
import { announcePostChange, writePostHidden } from "~/forums/moderate-post.server";
import type { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { resolveReportsTx } from "./decisions.server";
import type { Rule } from "./rules";
import { formatUntil, sanctionUserTx } from "./sanctions.server";

type Tx = Prisma.TransactionClient;
type Moderator = { id: number };
type PostRef = { id: number; topicId: number; number: number };

/** The most posts one bulk action hides. */
export const BULK_MAX = 500;

export type BulkResult = { ok: true; hidden: number; message: string } | { ok: false; status: number; message: string };

async function hideAll(tx: Tx, moderator: Moderator, posts: PostRef[], reason: string, rule: Rule | undefined, bulkId: string) {
  for (const post of posts) {
    const reportIds = await resolveReportsTx(tx, moderator, "post", post.id, "actioned", rule);
    await writePostHidden(tx, moderator, post, true, reason, { rule: rule ?? null, bulk: bulkId, reportIds });
  }
}

const bulkIdOf = () => `bulk-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** Hides the given posts (those not already hidden). Audit: post.hide each, post.bulk-hide once. */
export async function bulkHidePosts(moderator: Moderator, postIds: number[], reason: string, rule?: Rule): Promise<BulkResult> {
  const ids = [...new Set(postIds)].slice(0, BULK_MAX);
  if (ids.length === 0) return { ok: false, status: 400, message: "Select at least one reported post." };
  const posts = await db.post.findMany({ where: { id: { in: ids }, hiddenAt: null }, select: { id: true, topicId: true, number: true } });
  if (posts.length === 0) return { ok: false, status: 409, message: "Those posts are already hidden." };
  const bulkId = bulkIdOf();
  await db.$transaction(async (tx) => {
    await hideAll(tx, moderator, posts, reason, rule, bulkId);
    await recordAudit(
      { actorId: moderator.id, action: "post.bulk-hide", targetType: "post", targetId: posts[0]!.id, reason, details: { bulk: bulkId, count: posts.length, postIds: posts.map((p) => p.id), rule: rule ?? null } },
      tx,
    );
  });
  posts.forEach(announcePostChange);
  return { ok: true, hidden: posts.length, message: `Hid ${posts.length} post${posts.length === 1 ? "" : "s"}.` };
}

/**
 * Hides every visible post a member wrote in the last `hours` hours and
 * suspends them for `suspendDays` days, in one step (a spam flood).
 * Audit: post.hide each, user.suspend, and post.bulk-hide once.
 */
export async function clearFlood(
  moderator: Moderator,
  authorId: number,
  hours: number,
  suspendDays: number,
  reason: string,
  rule?: Rule,
  now = new Date(),
): Promise<BulkResult> {
  const author = await db.user.findUnique({ where: { id: authorId }, select: { id: true, username: true, role: true } });
  if (!author) return { ok: false, status: 404, message: "That member does not exist." };
  if (author.role !== "member") return { ok: false, status: 403, message: "Moderators and admins cannot be suspended from the queue." };
  const since = new Date(now.getTime() - hours * 3_600_000);
  const posts = await db.post.findMany({
    where: { authorId, createdAt: { gte: since }, hiddenAt: null, deletedAt: null },
    select: { id: true, topicId: true, number: true },
    orderBy: { id: "asc" },
    take: BULK_MAX,
  });
  const bulkId = bulkIdOf();
  const until = await db.$transaction(async (tx) => {
    await hideAll(tx, moderator, posts, reason, rule, bulkId);
    const until = await sanctionUserTx(tx, moderator, author, "suspend", suspendDays, reason, rule, now);
    await recordAudit(
      {
        actorId: moderator.id,
        action: "post.bulk-hide",
        targetType: "user",
        targetId: author.id,
        reason,
        details: { bulk: bulkId, username: author.username, hours, count: posts.length, postIds: posts.map((p) => p.id), suspendedDays: suspendDays, rule: rule ?? null },
      },
      tx,
    );
    return until;
  });
  posts.forEach(announcePostChange);
  return { ok: true, hidden: posts.length, message: `Hid ${posts.length} post${posts.length === 1 ? "" : "s"} by ${author.username} and suspended them until ${formatUntil(until)}.` };
}
