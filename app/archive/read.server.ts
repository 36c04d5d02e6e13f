// Reading the mail archive: who sees what, the lists, their month index and
// their threads. Thread, month and message views live in read-*.server.ts.
import { normalizeSubject } from "../../importer/base-subject.ts";
import { db } from "~/utils/db.server";
import { notFound } from "~/utils/http";
import { canSeeEmailAddresses, canSeeHiddenLists, canSeeHiddenMessages, type Actor } from "~/utils/permissions";
import { maskEmails } from "./mask";
import { ownershipNotice } from "./ownership";

export const THREADS_PER_PAGE = 30;
export const CHART_MONTHS = 24;

/** What one reader may see: addresses (members), hidden lists and messages (moderators). */
export type Viewer = { actor: Actor; seeAddresses: boolean; seeHidden: boolean; seeHiddenLists: boolean };

export function viewerOf(actor: Actor): Viewer {
  return {
    actor,
    seeAddresses: canSeeEmailAddresses(actor),
    seeHidden: canSeeHiddenMessages(actor),
    seeHiddenLists: canSeeHiddenLists(actor),
  };
}

/** The anonymous reader: feeds are always read as one. */
export const ANONYMOUS: Viewer = viewerOf(null);

const LIST_SELECT = {
  id: true, slug: true, name: true, description: true, hostName: true, hostUrl: true, infoUrl: true, contact: true,
  ownershipNotice: true, listAddress: true, visibility: true, messageCount: true, threadCount: true, lastMessageAt: true,
  updatedAt: true,
} as const;

export type ListRow = {
  id: number; slug: string; name: string; description: string; hostName: string; hostUrl: string; infoUrl: string | null;
  contact: string | null; ownershipNotice: string; listAddress: string | null; visibility: string; messageCount: number;
  threadCount: number; lastMessageAt: Date | null; updatedAt: Date;
};

/** A list the viewer may see, or a 404 (hidden lists do not exist for everyone else). */
export async function findVisibleList(slug: string | undefined, viewer: Viewer): Promise<ListRow> {
  const list = slug ? await db.mailingList.findUnique({ where: { slug }, select: LIST_SELECT }) : null;
  if (!list || !isListVisible(list, viewer)) notFound("There is no archived list at this address.");
  return list;
}

export function isListVisible(list: { visibility: string }, viewer: Viewer): boolean {
  return list.visibility === "public" || viewer.seeHiddenLists;
}

/** Masks addresses in any text for readers who may not see them; the list's own address stays. */
export function maskerFor(viewer: Viewer, list: { listAddress: string | null }): (text: string) => string {
  if (viewer.seeAddresses) return (text) => text;
  const keep = [list.listAddress];
  return (text) => maskEmails(text, { keep });
}

/** Only http(s) links from list settings reach an href. */
export function safeHttpUrl(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** The list as pages and the API show it, with the ownership notice every archive page carries. */
export function presentList(list: ListRow) {
  const contact = list.contact?.trim() || null;
  return {
    slug: list.slug,
    name: list.name,
    description: list.description,
    url: `/lists/${list.slug}`,
    hostName: list.hostName,
    hostUrl: safeHttpUrl(list.hostUrl),
    infoUrl: safeHttpUrl(list.infoUrl),
    contact,
    contactHref: contact ? (/^[^\s@]+@[^\s@]+$/.test(contact) ? `mailto:${contact}` : safeHttpUrl(contact)) : null,
    listAddress: list.listAddress,
    ownershipNotice: ownershipNotice(list),
    customNotice: Boolean(list.ownershipNotice.trim()),
    hidden: list.visibility !== "public",
    messageCount: list.messageCount,
    threadCount: list.threadCount,
    lastMessageAt: list.lastMessageAt?.toISOString() ?? null,
  };
}

export type PresentedList = ReturnType<typeof presentList>;

// ---------------------------------------------------------------------------
// Month counts. Bucketing by month needs either dialect-specific SQL or the
// dates themselves; we read the dates (in pages, one column) and keep the
// result per list until the list's counters change or a few minutes pass.

type MonthCounts = Map<string, number>;
const monthCache = new Map<number, { key: string; at: number; counts: MonthCounts }>();
const MONTH_CACHE_MS = 5 * 60 * 1000;
const DATE_PAGE = 5000;

export function clearArchiveReadCache() {
  monthCache.clear();
}

export function monthKey(date: Date): string {
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** Visible messages per "YYYY-MM" (UTC). */
export async function monthCounts(list: ListRow): Promise<MonthCounts> {
  const key = `${list.messageCount}:${list.lastMessageAt?.getTime() ?? 0}:${list.updatedAt.getTime()}`;
  const cached = monthCache.get(list.id);
  if (cached && cached.key === key && Date.now() - cached.at < MONTH_CACHE_MS) return cached.counts;
  const counts: MonthCounts = new Map();
  let cursor = 0;
  for (;;) {
    const rows = await db.mailMessage.findMany({
      where: { listId: list.id, kind: "message", hiddenAt: null, date: { not: null }, id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: DATE_PAGE,
      select: { id: true, date: true },
    });
    for (const row of rows) {
      const month = monthKey(row.date!);
      counts.set(month, (counts.get(month) ?? 0) + 1);
    }
    if (rows.length < DATE_PAGE) break;
    cursor = rows[rows.length - 1]!.id;
  }
  monthCache.set(list.id, { key, at: Date.now(), counts });
  return counts;
}

/** Years (newest first) with their months (oldest first) and counts. */
export function monthIndex(counts: MonthCounts, slug: string) {
  const years = new Map<number, { month: number; key: string; count: number }[]>();
  for (const [key, count] of counts) {
    const [year, month] = key.split("-").map(Number) as [number, number];
    const months = years.get(year) ?? [];
    months.push({ month, key, count });
    years.set(year, months);
  }
  return [...years.entries()]
    .sort((a, b) => b[0] - a[0])
    .map(([year, months]) => ({
      year,
      total: months.reduce((sum, m) => sum + m.count, 0),
      months: months.sort((a, b) => a.month - b.month).map((m) => ({ month: m.month, count: m.count, url: `/lists/${slug}/${m.key.replace("-", "/")}` })),
    }));
}

/** Messages per month for the last `CHART_MONTHS` months, oldest first, ending with the current month. */
export function recentActivity(counts: MonthCounts, now = new Date()) {
  const months: { key: string; count: number }[] = [];
  for (let i = CHART_MONTHS - 1; i >= 0; i--) {
    const date = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    const key = monthKey(date);
    months.push({ key, count: counts.get(key) ?? 0 });
  }
  return months;
}

// ---------------------------------------------------------------------------

/** Every list the viewer may see, with its recent activity. */
export async function listArchives(viewer: Viewer) {
  const lists = await db.mailingList.findMany({
    where: viewer.seeHiddenLists ? {} : { visibility: "public" },
    orderBy: [{ name: "asc" }, { id: "asc" }],
    select: LIST_SELECT,
  });
  const now = new Date();
  return Promise.all(
    lists.map(async (list) => ({ ...presentList(list), activity: recentActivity(await monthCounts(list), now) })),
  );
}

/**
 * A thread is listed while it holds at least one message this viewer can read.
 * A thread's messageCount counts its visible messages (kept with every import,
 * hide and re-thread, see ingest-threads.server.ts), so visitors' pages need
 * no per-thread subquery; moderators also see threads whose messages are all hidden.
 */
export function visibleThreadWhere(viewer: Viewer) {
  return viewer.seeHidden ? { messages: { some: { kind: "message" } } } : { messageCount: { gt: 0 } };
}

/** The list's threads this viewer can see: the list's own counter for visitors. */
export async function countVisibleThreads(list: Pick<ListRow, "id" | "threadCount">, viewer: Viewer) {
  if (!viewer.seeHidden) return list.threadCount;
  return db.mailThread.count({ where: { listId: list.id, ...visibleThreadWhere(viewer) } });
}

export function pageNumber(raw: string | null, lastPage: number): number {
  const page = Number.parseInt(raw ?? "1", 10);
  if (!Number.isFinite(page) || page < 1) return 1;
  return Math.min(page, Math.max(1, lastPage));
}

/** Recent threads by last activity, one page. */
export async function listThreadsPage(list: ListRow, viewer: Viewer, pageParam: string | null) {
  const total = await countVisibleThreads(list, viewer);
  const lastPage = Math.max(1, Math.ceil(total / THREADS_PER_PAGE));
  const page = pageNumber(pageParam, lastPage);
  const threads = await db.mailThread.findMany({
    where: { listId: list.id, ...visibleThreadWhere(viewer) },
    orderBy: [{ lastAt: "desc" }, { id: "desc" }],
    skip: (page - 1) * THREADS_PER_PAGE,
    take: THREADS_PER_PAGE,
    select: {
      publicId: true, subject: true, messageCount: true, missingCount: true, firstAt: true, lastAt: true,
      messages: {
        where: { kind: "message", ...(viewer.seeHidden ? {} : { hiddenAt: null }) },
        orderBy: [{ date: "asc" }, { id: "asc" }],
        take: 1,
        select: { fromName: true, fromAddress: true, subject: true },
      },
    },
  });
  const mask = maskerFor(viewer, list);
  return {
    page,
    lastPage,
    total,
    threads: threads.map((thread) => ({
      publicId: thread.publicId,
      url: `/lists/${list.slug}/thread/${thread.publicId}`,
      // A thread whose messages are all hidden keeps no subject (its 410 page must not show it);
      // moderators, who still list it, see its first message's.
      subject: mask(thread.subject || (viewer.seeHidden ? (thread.messages[0]?.subject ?? "") : "")) || "(no subject)",
      messageCount: thread.messageCount,
      missingCount: thread.missingCount,
      firstAt: thread.firstAt.toISOString(),
      lastAt: thread.lastAt.toISOString(),
      startedBy: thread.messages[0] ? senderName(thread.messages[0], mask) : null,
    })),
  };
}

/**
 * A message's subject where it is listed under its thread, or null when it
 * only repeats the thread's ("Re: [list] Same thing"): like a mail reader's
 * thread view, a long thread then reads as who wrote when, and a changed
 * subject stands out. The thread's base subject is worked out once, not per message.
 */
export function subjectsUnder(threadSubject: string, mask: (text: string) => string): (subject: string) => string | null {
  const base = normalizeSubject(threadSubject);
  return (subject) => (normalizeSubject(subject) === base ? null : mask(subject) || "(no subject)");
}

/** A sender as readers see them: the name, else the (masked) address. */
export function senderName(message: { fromName: string; fromAddress: string | null }, mask: (text: string) => string): string {
  return mask(message.fromName.trim()) || (message.fromAddress ? mask(message.fromAddress) : "") || "Unknown sender";
}

// ---------------------------------------------------------------------------
// Hidden messages say why, by category only.

const CATEGORY_LABELS: Record<string, string> = {
  takedown: "a takedown request",
  "personal-data": "personal data",
  spam: "spam",
  other: "another reason",
};

/** The category of a stored reason ("takedown: …", "personal-data", …); "other" when unknown. */
export function hiddenCategory(reason: string | null | undefined): string {
  const match = /^\s*(takedown|personal-data|spam|other)\b/i.exec(reason ?? "");
  return match ? match[1]!.toLowerCase() : "other";
}

export function hiddenExplanation(reason: string | null | undefined): string {
  return `This message was removed from the archive because of ${CATEGORY_LABELS[hiddenCategory(reason)]}.`;
}
