// A member's moderation history: recent posts, actions against them from the
// audit log, staff notes, current sanctions and the suggested next step.
import { db } from "~/utils/db.server";
import { escalationSuggestion } from "./rules";
import { countPastSanctions, currentSanctions } from "./sanctions.server";
import { listStaffNotes } from "./notes.server";

const excerpt = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Audit entries about the member or about their posts, newest first. */
export async function actionsAgainst(userId: number, take = 20) {
  const postIds = (await db.post.findMany({ where: { authorId: userId }, select: { id: true }, orderBy: { id: "desc" }, take: 500 })).map((p) => String(p.id));
  const entries = await db.auditEntry.findMany({
    where: {
      OR: [
        { targetType: "user", targetId: String(userId), action: { not: "user.note" } },
        { targetType: "post", targetId: { in: postIds }, action: { in: ["post.hide", "post.unhide", "appeal.restore", "appeal.uphold", "report.dismiss"] } },
      ],
    },
    orderBy: { id: "desc" },
    take,
  });
  const actors = await db.user.findMany({ where: { id: { in: entries.map((e) => e.actorId ?? 0) } }, select: { id: true, username: true } });
  const names = new Map(actors.map((a) => [a.id, a.username]));
  return entries.map((e) => {
    let rule: string | null = null;
    try {
      const details = JSON.parse(e.details) as { rule?: unknown };
      rule = typeof details.rule === "string" ? details.rule : null;
    } catch {
      // Recorded details that are not JSON carry no rule.
    }
    return { id: e.id, action: e.action, targetType: e.targetType, targetId: e.targetId, reason: e.reason, rule, actor: e.actorId ? (names.get(e.actorId) ?? "a moderator") : "system", at: e.createdAt.toISOString() };
  });
}

export async function recentPosts(userId: number, take = 5) {
  const posts = await db.post.findMany({
    where: { authorId: userId },
    orderBy: { id: "desc" },
    take,
    select: { id: true, number: true, raw: true, createdAt: true, hiddenAt: true, deletedAt: true, topic: { select: { id: true, slug: true, title: true } } },
  });
  return posts.map((p) => ({
    id: p.id,
    href: `/t/${p.topic.id}/${p.topic.slug}/${p.number}`,
    topicTitle: p.topic.title,
    excerpt: excerpt(p.raw),
    at: p.createdAt.toISOString(),
    state: p.deletedAt ? "deleted" : p.hiddenAt ? "hidden" : "visible",
  }));
}

export type MemberHistory = Awaited<ReturnType<typeof memberHistory>>;

export async function memberHistory(userId: number, options: { posts?: number; actions?: number; notes?: number } = {}) {
  const [posts, actions, notes, sanctions, past, postCount] = await Promise.all([
    recentPosts(userId, options.posts ?? 5),
    actionsAgainst(userId, options.actions ?? 10),
    listStaffNotes(userId, options.notes ?? 5),
    currentSanctions(userId),
    countPastSanctions(userId),
    db.post.count({ where: { authorId: userId } }),
  ]);
  return {
    posts,
    postCount,
    actions,
    notes,
    silencedUntil: sanctions.silencedUntil?.toISOString() ?? null,
    suspendedUntil: sanctions.suspendedUntil?.toISOString() ?? null,
    pastSanctions: past,
    suggestion: escalationSuggestion(past),
  };
}
