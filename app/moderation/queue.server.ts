// The moderation queue: one list of everything that needs a decision —
// posts held for approval, reported posts and chat messages (grouped per
// item), reported archived messages, appeals and unresolved import failures —
// filtered and sorted for moderators.
import { scopeIncludes, type BoardScope } from "~/forums/board-moderators.server";
import { db } from "~/utils/db.server";
import { claimsFor, type ClaimView } from "./claims.server";
import { memberHistory, type MemberHistory } from "./history.server";
import { SYSTEM_REPORTER_ID } from "~/antispam/flag.server";
import { ITEM_TYPES, type ItemType } from "./rules";

export const QUEUE_LIMIT = 100;

export type QueueFilters = { type: ItemType | null; board: string | null; list: string | null; state: "open" | "resolved"; sort: "newest" | "most-reported" };

export function parseQueueFilters(params: URLSearchParams): QueueFilters {
  const type = params.get("type");
  const clean = (v: string | null) => (v && /^[a-z0-9][a-z0-9-]{0,80}$/i.test(v) ? v : null);
  return {
    type: ITEM_TYPES.some((t) => t.value === type) ? (type as ItemType) : null,
    board: clean(params.get("board")),
    list: clean(params.get("list")),
    state: params.get("state") === "resolved" ? "resolved" : "open",
    sort: params.get("sort") === "most-reported" ? "most-reported" : "newest",
  };
}

type ReportView = { id: number; reason: string; reporter: string; at: string; state: string; rule: string | null };
export type Snapshot = { author: string | null; text: string; at: string | null; subject?: string | null };

export type QueueItem = {
  key: string;
  type: ItemType;
  at: string;
  title: string;
  href: string | null;
  reportCount: number;
  reports: ReportView[];
  snapshot: Snapshot | null;
  current: { state: "visible" | "hidden" | "deleted" | "gone" | "held"; text: string | null; hiddenReason: string | null; edited: boolean };
  /** Why a held post waits for approval. */
  held: { reason: string | null; afterEdit: boolean } | null;
  where: string | null;
  /** history is null for board moderators: member records (notes, sanctions) are for site moderators. */
  author: { id: number; username: string; role: string; history: MemberHistory | null } | null;
  claim: ClaimView | null;
  appeal: { id: number; text: string; state: string; hideReason: string | null; hiddenBy: string | null; hiddenByViewer: boolean; otherModeratorExists: boolean; decisionReason: string | null } | null;
  failure: { reason: string; listSlug: string; listName: string; href: string } | null;
  postId: number | null;
  resolved: boolean;
};

function parseSnapshot(json: string): Snapshot | null {
  try {
    const value = JSON.parse(json) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === "string" ? v : null);
    return { author: str(value.author) ?? str(value.from), text: str(value.raw) ?? "", at: str(value.at), subject: str(value.subject) };
  } catch {
    return { author: null, text: json, at: null };
  }
}

async function usernames(ids: number[]) {
  const users = await db.user.findMany({ where: { id: { in: [...new Set(ids)] } }, select: { id: true, username: true } });
  const names = new Map(users.map((u) => [u.id, u.username]));
  names.set(SYSTEM_REPORTER_ID, "Watched words (automatic)");
  return names;
}

type Group = { targetType: string; targetId: number; reports: { id: number; reporterId: number; reason: string; snapshot: string; state: string; rule: string | null; createdAt: Date }[] };

async function reportGroups(filters: QueueFilters, targetType: "post" | "chat" | "mail"): Promise<Group[]> {
  const rows = await db.report.findMany({
    where: { targetType, state: filters.state === "open" ? "open" : { in: ["dismissed", "actioned"] } },
    orderBy: { id: "desc" },
    take: 2000,
  });
  const groups = new Map<number, Group>();
  for (const row of rows) {
    const group = groups.get(row.targetId) ?? { targetType, targetId: row.targetId, reports: [] };
    group.reports.push(row);
    groups.set(row.targetId, group);
  }
  return [...groups.values()];
}

function reportViews(group: Group, names: Map<number, string>): ReportView[] {
  return group.reports.map((r) => ({ id: r.id, reason: r.reason, reporter: names.get(r.reporterId) ?? "a former member", at: r.createdAt.toISOString(), state: r.state, rule: r.rule }));
}

const emptyCurrent = { state: "gone" as const, text: null, hiddenReason: null, edited: false };

async function postItems(filters: QueueFilters, scope: BoardScope): Promise<QueueItem[]> {
  const groups = await reportGroups(filters, "post");
  const posts = await db.post.findMany({
    where: { id: { in: groups.map((g) => g.targetId) } },
    select: { id: true, number: true, raw: true, authorId: true, hiddenAt: true, hiddenReason: true, deletedAt: true, editCount: true, author: { select: { username: true, role: true } }, topic: { select: { id: true, slug: true, title: true, board: { select: { id: true, slug: true, name: true } } } } },
  });
  const byId = new Map(posts.map((p) => [p.id, p]));
  const names = await usernames(groups.flatMap((g) => g.reports.map((r) => r.reporterId)));
  const items: QueueItem[] = [];
  for (const group of groups) {
    const post = byId.get(group.targetId);
    if (filters.board && post?.topic.board.slug !== filters.board) continue;
    if (filters.list) continue;
    if (scope !== "all" && (!post || !scopeIncludes(scope, post.topic.board.id))) continue;
    const oldest = group.reports[group.reports.length - 1]!;
    items.push({
      key: `post:${group.targetId}`,
      type: "post",
      at: group.reports[0]!.createdAt.toISOString(),
      title: post ? `Post #${post.number} in “${post.topic.title}”` : `Post ${group.targetId} (no longer exists)`,
      href: post ? `/t/${post.topic.id}/${post.topic.slug}/${post.number}` : null,
      reportCount: group.reports.length,
      reports: reportViews(group, names),
      snapshot: parseSnapshot(oldest.snapshot),
      current: post
        ? { state: post.deletedAt ? "deleted" : post.hiddenAt ? "hidden" : "visible", text: post.raw, hiddenReason: post.hiddenReason, edited: post.raw !== parseSnapshot(oldest.snapshot)?.text }
        : emptyCurrent,
      where: post ? post.topic.board.name : null,
      author: post ? { id: post.authorId, username: post.author.username, role: post.author.role, history: null } : null,
      claim: null,
      appeal: null,
      failure: null,
      held: null,
      postId: post?.id ?? null,
      resolved: filters.state === "resolved",
    });
  }
  return items;
}

/** Posts waiting for approval, oldest decisions first come last like everything else (newest first). */
async function heldItems(filters: QueueFilters): Promise<QueueItem[]> {
  // Approved posts leave the queue (their decision is in the audit log); rejected ones are its resolved side.
  if (filters.list) return [];
  const posts = await db.post.findMany({
    where: { heldAt: { not: null }, hiddenAt: filters.state === "open" ? null : { not: null }, ...(filters.board ? { topic: { board: { slug: filters.board } } } : {}) },
    orderBy: { id: "desc" },
    take: QUEUE_LIMIT,
    select: {
      id: true, number: true, raw: true, authorId: true, createdAt: true, heldAt: true, heldReason: true, heldOnEdit: true, hiddenReason: true,
      author: { select: { username: true, role: true } },
      topic: { select: { id: true, slug: true, title: true, board: { select: { name: true } } } },
    },
  });
  return posts.map((post) => ({
    key: `held:${post.id}`,
    type: "held" as const,
    at: post.heldAt!.toISOString(),
    title: post.number === 1 && !post.heldOnEdit ? `New topic “${post.topic.title}”` : `Post #${post.number} in “${post.topic.title}”`,
    href: `/t/${post.topic.id}/${post.topic.slug}/${post.number}`,
    reportCount: 0,
    reports: [],
    snapshot: { author: post.author.username, text: post.raw, at: post.createdAt.toISOString(), subject: post.number === 1 ? post.topic.title : null },
    current: { state: filters.state === "open" ? ("held" as const) : ("hidden" as const), text: post.raw, hiddenReason: post.hiddenReason, edited: false },
    where: post.topic.board.name,
    author: { id: post.authorId, username: post.author.username, role: post.author.role, history: null },
    claim: null,
    appeal: null,
    failure: null,
    held: { reason: post.heldReason, afterEdit: post.heldOnEdit },
    postId: post.id,
    resolved: filters.state === "resolved",
  }));
}

/** Reported chat messages, grouped per message, with the snapshot each report kept. */
async function chatItems(filters: QueueFilters): Promise<QueueItem[]> {
  if (filters.board || filters.list) return [];
  const groups = await reportGroups(filters, "chat");
  const messages = await db.chatMessage.findMany({
    where: { id: { in: groups.map((g) => g.targetId) } },
    select: { id: true, body: true, authorId: true, deletedAt: true, deletedById: true, deleteReason: true, author: { select: { username: true, role: true } }, room: { select: { slug: true, name: true } } },
  });
  const byId = new Map(messages.map((m) => [m.id, m]));
  const names = await usernames(groups.flatMap((g) => g.reports.map((r) => r.reporterId)));
  return groups.map((group) => {
    const message = byId.get(group.targetId);
    const snapshot = parseSnapshot(group.reports[group.reports.length - 1]!.snapshot);
    const state = !message ? "gone" : !message.deletedAt ? "visible" : message.deletedById === message.authorId ? "deleted" : "hidden";
    return {
      key: `chat:${group.targetId}`,
      type: "chat" as const,
      at: group.reports[0]!.createdAt.toISOString(),
      title: message ? `Message in #${message.room.name}` : "A chat message that no longer exists",
      href: message ? `/chat/${message.room.slug}/m/${message.id}` : null,
      reportCount: group.reports.length,
      reports: reportViews(group, names),
      snapshot,
      current: message ? { state, text: message.body, hiddenReason: message.deleteReason, edited: message.body !== snapshot?.text } : emptyCurrent,
      where: message ? `#${message.room.name}` : null,
      author: message ? { id: message.authorId, username: message.author.username, role: message.author.role, history: null } : null,
      claim: null,
      appeal: null,
      failure: null,
      held: null,
      postId: null,
      resolved: filters.state === "resolved",
    };
  });
}

async function mailItems(filters: QueueFilters): Promise<QueueItem[]> {
  if (filters.board) return [];
  const groups = await reportGroups(filters, "mail");
  const messages = await db.mailMessage.findMany({
    where: { id: { in: groups.map((g) => g.targetId) } },
    select: { id: true, publicId: true, subject: true, textBody: true, hiddenAt: true, hiddenReason: true, list: { select: { slug: true, name: true } } },
  });
  const byId = new Map(messages.map((m) => [m.id, m]));
  const names = await usernames(groups.flatMap((g) => g.reports.map((r) => r.reporterId)));
  const items: QueueItem[] = [];
  for (const group of groups) {
    const message = byId.get(group.targetId);
    if (filters.list && message?.list.slug !== filters.list) continue;
    items.push({
      key: `mail:${group.targetId}`,
      type: "mail",
      at: group.reports[0]!.createdAt.toISOString(),
      title: message ? `Archived message “${message.subject || "(no subject)"}”` : "An archived message that no longer exists",
      href: message ? `/lists/${message.list.slug}/m/${message.publicId}` : null,
      reportCount: group.reports.length,
      reports: reportViews(group, names),
      snapshot: parseSnapshot(group.reports[group.reports.length - 1]!.snapshot),
      current: message ? { state: message.hiddenAt ? "hidden" : "visible", text: message.textBody.slice(0, 4000), hiddenReason: message.hiddenReason, edited: false } : emptyCurrent,
      where: message?.list.name ?? null,
      author: null,
      claim: null,
      appeal: null,
      failure: null,
      held: null,
      postId: null,
      resolved: filters.state === "resolved",
    });
  }
  return items;
}

async function appealItems(filters: QueueFilters, viewerId: number, scope: BoardScope): Promise<QueueItem[]> {
  if (filters.list) return [];
  const appeals = await db.appeal.findMany({ where: { state: filters.state === "open" ? "open" : { in: ["restored", "upheld"] } }, orderBy: { id: "desc" }, take: QUEUE_LIMIT });
  const posts = await db.post.findMany({
    where: { id: { in: appeals.map((a) => a.postId) } },
    select: { id: true, number: true, raw: true, authorId: true, hiddenAt: true, hiddenReason: true, deletedAt: true, author: { select: { username: true, role: true } }, topic: { select: { id: true, slug: true, title: true, board: { select: { id: true, slug: true, name: true } } } } },
  });
  const byId = new Map(posts.map((p) => [p.id, p]));
  const names = await usernames(appeals.map((a) => a.hiddenById ?? 0));
  const otherModerators = await db.user.count({ where: { role: { in: ["moderator", "admin"] }, id: { not: viewerId } } });
  const items: QueueItem[] = [];
  for (const appeal of appeals) {
    const post = byId.get(appeal.postId);
    if (filters.board && post?.topic.board.slug !== filters.board) continue;
    if (scope !== "all" && (!post || !scopeIncludes(scope, post.topic.board.id))) continue;
    items.push({
      key: `appeal:${appeal.id}`,
      type: "appeal",
      at: appeal.createdAt.toISOString(),
      title: post ? `Appeal for post #${post.number} in “${post.topic.title}”` : "Appeal for a post that no longer exists",
      href: post ? `/t/${post.topic.id}/${post.topic.slug}/${post.number}` : null,
      reportCount: 0,
      reports: [],
      snapshot: null,
      current: post ? { state: post.deletedAt ? "deleted" : post.hiddenAt ? "hidden" : "visible", text: post.raw, hiddenReason: post.hiddenReason, edited: false } : emptyCurrent,
      where: post?.topic.board.name ?? null,
      author: post ? { id: post.authorId, username: post.author.username, role: post.author.role, history: null } : null,
      claim: null,
      appeal: {
        id: appeal.id,
        text: appeal.text,
        state: appeal.state,
        hideReason: post?.hiddenReason ?? null,
        hiddenBy: appeal.hiddenById ? (names.get(appeal.hiddenById) ?? null) : null,
        hiddenByViewer: appeal.hiddenById === viewerId,
        otherModeratorExists: otherModerators > 0,
        decisionReason: appeal.decisionReason,
      },
      failure: null,
      held: null,
      postId: post?.id ?? null,
      resolved: appeal.state !== "open",
    });
  }
  return items;
}

async function importItems(filters: QueueFilters): Promise<QueueItem[]> {
  if (filters.board) return [];
  const list = filters.list ? await db.mailingList.findUnique({ where: { slug: filters.list }, select: { id: true } }) : null;
  if (filters.list && !list) return [];
  const failures = await db.importFailure.findMany({
    where: { resolvedAt: filters.state === "open" ? null : { not: null }, ...(list ? { listId: list.id } : {}) },
    orderBy: { id: "desc" },
    take: QUEUE_LIMIT,
    select: { id: true, listId: true, reason: true, createdAt: true, resolvedAt: true },
  });
  const lists = await db.mailingList.findMany({ where: { id: { in: failures.map((f) => f.listId) } }, select: { id: true, slug: true, name: true } });
  const listById = new Map(lists.map((l) => [l.id, l]));
  return failures.map((f) => {
    const owner = listById.get(f.listId);
    const href = owner ? `/mod/lists/${owner.slug}#failures-heading` : "/mod/lists";
    return {
      key: `import:${f.id}`,
      type: "import" as const,
      at: f.createdAt.toISOString(),
      title: `Import failure in ${owner?.name ?? "a deleted list"}`,
      href,
      reportCount: 0,
      reports: [],
      snapshot: null,
      current: emptyCurrent,
      where: owner?.name ?? null,
      author: null,
      claim: null,
      appeal: null,
      failure: { reason: f.reason, listSlug: owner?.slug ?? "", listName: owner?.name ?? "", href },
      held: null,
      postId: null,
      resolved: f.resolvedAt !== null,
    };
  });
}

/**
 * The queue as one moderator sees it (their claims, appeals of their own
 * hides). Board moderators (scope: their board ids) see only posts and
 * appeals from their boards: archived mail and imports are site-wide.
 */
export async function loadQueue(filters: QueueFilters, viewer: { id: number }, scope: BoardScope = "all") {
  const wanted = (type: ItemType) => filters.type === null || filters.type === type;
  const siteWide = scope === "all";
  const parts = await Promise.all([
    // Held posts and chat reports are for site moderators for now; board moderators see their boards' reported posts and appeals.
    wanted("held") && siteWide ? heldItems(filters) : [],
    wanted("post") ? postItems(filters, scope) : [],
    wanted("chat") && siteWide ? chatItems(filters) : [],
    wanted("mail") && siteWide ? mailItems(filters) : [],
    wanted("appeal") ? appealItems(filters, viewer.id, scope) : [],
    wanted("import") && siteWide ? importItems(filters) : [],
  ]);
  const all = parts.flat();
  all.sort((a, b) => (filters.sort === "most-reported" ? b.reportCount - a.reportCount : 0) || b.at.localeCompare(a.at));
  const items = all.slice(0, QUEUE_LIMIT);
  const histories = new Map<number, MemberHistory>();
  if (siteWide) for (const id of new Set(items.flatMap((i) => (i.author ? [i.author.id] : [])))) histories.set(id, await memberHistory(id, { posts: 3, actions: 5, notes: 3 }));
  const claims = await claimsFor(items.map((i) => i.key), viewer.id);
  for (const item of items) {
    if (item.author) item.author.history = histories.get(item.author.id) ?? null;
    item.claim = claims.get(item.key) ?? null;
  }
  return { items, total: all.length };
}

/** Items waiting for a decision, for the /mod landing page. */
export async function openQueueCount(): Promise<number> {
  const [held, posts, chat, mail, appeals, failures] = await Promise.all([
    db.post.count({ where: { heldAt: { not: null }, hiddenAt: null } }),
    db.report.groupBy({ by: ["targetId"], where: { targetType: "post", state: "open" } }),
    db.report.groupBy({ by: ["targetId"], where: { targetType: "chat", state: "open" } }),
    db.report.groupBy({ by: ["targetId"], where: { targetType: "mail", state: "open" } }),
    db.appeal.count({ where: { state: "open" } }),
    db.importFailure.count({ where: { resolvedAt: null } }),
  ]);
  return held + posts.length + chat.length + mail.length + appeals + failures;
}
