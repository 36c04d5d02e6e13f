// One month of a list: by thread (threads with messages that month, each in
// thread order), by date or by author, paginated, with the neighbouring
// months that have messages.
import { db } from "~/utils/db.server";
import { notFound } from "~/utils/http";
import { maskerFor, monthCounts, pageNumber, senderName, subjectsUnder, type ListRow, type Viewer } from "./read.server";
import { MAX_VISUAL_DEPTH, threadOrder } from "./read-thread.server";

export const MONTH_SORTS = ["thread", "date", "author"] as const;
export type MonthSort = (typeof MONTH_SORTS)[number];
export const MESSAGES_PER_MONTH_PAGE = 100;
export const THREADS_PER_MONTH_PAGE = 40;
/** Ids per IN (…) list, well under SQLite's limit on bound values. */
const ID_CHUNK = 500;

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

export function monthLabel(year: number, month: number): string {
  return `${MONTH_NAMES[month - 1]} ${year}`;
}

function neighbour(list: ListRow, key: string) {
  const [year, month] = key.split("-").map(Number) as [number, number];
  return { key, label: monthLabel(year, month), url: `/lists/${list.slug}/${key.replace("-", "/")}` };
}

/** "2024" and "03" from the URL, or a 404. */
export function parseMonth(yearParam: string | undefined, monthParam: string | undefined) {
  const year = /^\d{4}$/.test(yearParam ?? "") ? Number(yearParam) : NaN;
  const month = /^\d{2}$/.test(monthParam ?? "") ? Number(monthParam) : NaN;
  if (!(year >= 1970 && year <= 9999 && month >= 1 && month <= 12)) notFound("There is no such month in this archive.");
  const start = new Date(Date.UTC(year, month - 1, 1));
  const end = new Date(Date.UTC(year, month, 1));
  return { year, month, start, end, key: `${year}-${String(month).padStart(2, "0")}` };
}

export type MonthRange = ReturnType<typeof parseMonth>;

export function parseSort(raw: string | null): MonthSort {
  return (MONTH_SORTS as readonly string[]).includes(raw ?? "") ? (raw as MonthSort) : "thread";
}

/** Messages of the month this viewer may read (hidden ones only for moderators). */
function inMonth(list: ListRow, range: MonthRange, viewer: Viewer) {
  return {
    listId: list.id,
    kind: "message",
    date: { gte: range.start, lt: range.end },
    ...(viewer.seeHidden ? {} : { hiddenAt: null }),
  };
}

const ROW_SELECT = {
  id: true, publicId: true, messageId: true, parentMessageId: true, threadId: true, subject: true, fromName: true,
  fromAddress: true, date: true, hiddenAt: true,
} as const;

type Row = { id: number; publicId: string; messageId: string; parentMessageId: string | null; threadId: number | null; subject: string; fromName: string; fromAddress: string | null; date: Date | null; hiddenAt: Date | null };

export async function loadMonth(list: ListRow, range: MonthRange, viewer: Viewer, sort: MonthSort, pageParam: string | null) {
  const counts = await monthCounts(list);
  const keys = [...counts.keys()].sort();
  const previous = keys.filter((key) => key < range.key).at(-1) ?? null;
  const next = keys.find((key) => key > range.key) ?? null;
  const mask = maskerFor(viewer, list);
  const present = (row: Row, depth = 0) => ({
    publicId: row.publicId,
    url: `/lists/${list.slug}/m/${row.publicId}`,
    subject: mask(row.subject) || "(no subject)",
    from: senderName(row, mask),
    date: row.date?.toISOString() ?? null,
    depth: Math.min(depth, MAX_VISUAL_DEPTH),
    hidden: Boolean(row.hiddenAt),
  });
  const where = inMonth(list, range, viewer);
  const neighbours = {
    previous: previous ? neighbour(list, previous) : null,
    next: next ? neighbour(list, next) : null,
  };

  if (sort === "thread") {
    // The month's threads are found from its messages (the list/date index):
    // asking every thread of the list whether it has a message this month
    // grows with the whole archive.
    const monthMessages = await db.mailMessage.findMany({ where, select: { threadId: true } });
    const ids = [...new Set(monthMessages.map((row) => row.threadId).filter((id): id is number => id !== null))];
    const allThreads = [];
    for (let i = 0; i < ids.length; i += ID_CHUNK) {
      allThreads.push(...(await db.mailThread.findMany({
        where: { id: { in: ids.slice(i, i + ID_CHUNK) } },
        select: { id: true, publicId: true, subject: true, messageCount: true, firstAt: true },
      })));
    }
    allThreads.sort((a, b) => a.firstAt.getTime() - b.firstAt.getTime() || a.id - b.id);
    const lastPage = Math.max(1, Math.ceil(allThreads.length / THREADS_PER_MONTH_PAGE));
    const page = pageNumber(pageParam, lastPage);
    const threads = allThreads.slice((page - 1) * THREADS_PER_MONTH_PAGE, page * THREADS_PER_MONTH_PAGE);
    const rows = await db.mailMessage.findMany({
      where: { ...where, threadId: { in: threads.map((t) => t.id) } },
      orderBy: [{ date: "asc" }, { id: "asc" }],
      select: ROW_SELECT,
    });
    const rowsByThread = new Map<number, Row[]>();
    for (const row of rows) {
      const threadRows = rowsByThread.get(row.threadId!);
      if (threadRows) threadRows.push(row);
      else rowsByThread.set(row.threadId!, [row]);
    }
    return {
      sort, page, lastPage, total: monthMessages.length, neighbours,
      threads: threads.map((thread) => {
        const subjectUnder = subjectsUnder(thread.subject, mask);
        return {
          publicId: thread.publicId,
          url: `/lists/${list.slug}/thread/${thread.publicId}`,
          subject: mask(thread.subject) || "(no subject)",
          messageCount: thread.messageCount,
          messages: threadOrder(rowsByThread.get(thread.id) ?? []).map(({ row, depth }) => ({ ...present(row, depth), subject: subjectUnder(row.subject) })),
        };
      }),
      messages: [],
    };
  }

  const total = await db.mailMessage.count({ where });
  const lastPage = Math.max(1, Math.ceil(total / MESSAGES_PER_MONTH_PAGE));
  const page = pageNumber(pageParam, lastPage);
  const rows = await db.mailMessage.findMany({
    where,
    orderBy: sort === "author" ? [{ fromName: "asc" }, { fromAddress: "asc" }, { date: "asc" }, { id: "asc" }] : [{ date: "asc" }, { id: "asc" }],
    skip: (page - 1) * MESSAGES_PER_MONTH_PAGE,
    take: MESSAGES_PER_MONTH_PAGE,
    select: ROW_SELECT,
  });
  return { sort, page, lastPage, total, neighbours, threads: [], messages: rows.map((row) => present(row)) };
}
