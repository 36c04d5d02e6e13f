// The audit log as moderators read it: every recorded action, newest first,
// filtered by kind of action, actor, target and date, paged by id (stable
// while new entries arrive), and exported as CSV with the same filters.
import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/utils/db.server";
import { ACTION_FAMILIES } from "./audit-families";

export { ACTION_FAMILIES };

export const AUDIT_PAGE_SIZE = 50;
/** The most rows one CSV export holds; narrow the filters for more. */
export const AUDIT_EXPORT_LIMIT = 50_000;


export type AuditFilters = {
  family: string | null;
  actor: string | null;
  targetType: string | null;
  targetId: string | null;
  from: Date | null;
  /** Exclusive. */
  to: Date | null;
};

export type AuditRow = {
  id: number;
  at: string;
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  targetUrl: string | null;
  reason: string;
  details: string;
};

function day(value: string | null, offsetDays = 0): Date | null {
  if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return null;
  return new Date(date.getTime() + offsetDays * 86_400_000);
}

const clean = (value: string | null) => {
  const trimmed = value?.trim().slice(0, 100);
  return trimmed ? trimmed : null;
};

/** Filters from a query string; unknown or malformed values are ignored, never errors. */
export function parseAuditFilters(params: URLSearchParams): AuditFilters {
  const family = clean(params.get("family"));
  return {
    family: family && ACTION_FAMILIES.some((f) => f.value === family) ? family : null,
    actor: clean(params.get("actor")),
    targetType: clean(params.get("targetType")),
    targetId: clean(params.get("targetId")),
    from: day(params.get("from")),
    // "to" names the last day included.
    to: day(params.get("to"), 1),
  };
}

async function whereOf(filters: AuditFilters): Promise<Prisma.AuditEntryWhereInput | null> {
  const where: Prisma.AuditEntryWhereInput = {};
  if (filters.family) where.action = { startsWith: `${filters.family}.` };
  if (filters.targetType) where.targetType = filters.targetType;
  if (filters.targetId) where.targetId = filters.targetId;
  if (filters.from || filters.to) where.createdAt = { ...(filters.from ? { gte: filters.from } : {}), ...(filters.to ? { lt: filters.to } : {}) };
  if (filters.actor) {
    if (filters.actor.toLowerCase() === "system") {
      where.actorId = null;
    } else {
      const user = await db.user.findUnique({ where: { usernameKey: filters.actor.toLowerCase() }, select: { id: true } });
      if (!user) return null; // nobody by that name: no entries
      where.actorId = user.id;
    }
  }
  return where;
}

/** Where a target lives, when it has a page (archived messages are looked up by present()). */
export function targetUrl(targetType: string, targetId: string, details: Record<string, unknown>): string | null {
  switch (targetType) {
    case "post":
      return /^\d+$/.test(targetId) ? `/p/${targetId}` : null;
    case "topic":
      return /^\d+$/.test(targetId) ? `/t/${targetId}` : null;
    case "list":
      return typeof details.slug === "string" ? `/mod/lists/${encodeURIComponent(details.slug)}` : null;
    case "announcement-list":
      return typeof details.slug === "string" ? `/admin/announcements/${encodeURIComponent(details.slug)}` : null;
    case "announcement":
      return /^\d+$/.test(targetId) ? `/admin/announcements/a/${targetId}` : null;
    case "board":
      return typeof details.slug === "string" ? `/b/${encodeURIComponent(details.slug)}` : null;
    case "user":
      return typeof details.username === "string" ? `/u/${encodeURIComponent(details.username)}` : null;
    case "policy":
      return /^\d+$/.test(targetId) ? `/privacy/v/${targetId}` : null;
    default:
      return null;
  }
}

type Entry = { id: number; createdAt: Date; actorId: number | null; action: string; targetType: string; targetId: string; reason: string; details: string };

async function present(entries: Entry[]): Promise<AuditRow[]> {
  const actorIds = [...new Set(entries.map((e) => e.actorId).filter((id): id is number => id !== null))];
  const users = actorIds.length ? await db.user.findMany({ where: { id: { in: actorIds } }, select: { id: true, username: true } }) : [];
  const names = new Map(users.map((u) => [u.id, u.username]));
  // Archived messages are named by public id; their pages live under their list.
  const mailIds = entries.filter((e) => e.targetType === "mail").map((e) => e.targetId);
  const mail = mailIds.length
    ? await db.mailMessage.findMany({ where: { publicId: { in: mailIds } }, select: { publicId: true, list: { select: { slug: true } } } })
    : [];
  const mailUrls = new Map(mail.map((m) => [m.publicId, `/lists/${m.list.slug}/m/${m.publicId}`]));
  return entries.map((entry) => {
    let details: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(entry.details);
      if (parsed && typeof parsed === "object") details = parsed as Record<string, unknown>;
    } catch {
      // Shown as recorded below.
    }
    const url = entry.targetType === "mail" ? (mailUrls.get(entry.targetId) ?? null) : targetUrl(entry.targetType, entry.targetId, details);
    return {
      id: entry.id,
      at: entry.createdAt.toISOString(),
      actor: entry.actorId === null ? "system" : (names.get(entry.actorId) ?? `member #${entry.actorId}`),
      action: entry.action,
      targetType: entry.targetType,
      targetId: entry.targetId,
      targetUrl: url,
      reason: entry.reason,
      details: Object.keys(details).length ? JSON.stringify(details) : "",
    };
  });
}

export async function listAuditEntries(filters: AuditFilters, before: number | null) {
  const where = await whereOf(filters);
  if (!where) return { rows: [] as AuditRow[], nextBefore: null as number | null };
  const entries = await db.auditEntry.findMany({
    where: { ...where, ...(before ? { id: { lt: before } } : {}) },
    orderBy: { id: "desc" },
    take: AUDIT_PAGE_SIZE + 1,
  });
  const more = entries.length > AUDIT_PAGE_SIZE;
  const page = entries.slice(0, AUDIT_PAGE_SIZE);
  return { rows: await present(page), nextBefore: more ? page[page.length - 1]!.id : null };
}

/** One CSV field: quoted when needed, and never read as a formula by a spreadsheet. */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export async function exportAuditCsv(filters: AuditFilters): Promise<string> {
  const header = ["id", "time", "actor", "action", "target_type", "target_id", "reason", "details"];
  const lines = [header.join(",")];
  const where = await whereOf(filters);
  if (where) {
    for (let before: number | null = null, written = 0; written < AUDIT_EXPORT_LIMIT; ) {
      const entries: Entry[] = await db.auditEntry.findMany({
        where: { ...where, ...(before ? { id: { lt: before } } : {}) },
        orderBy: { id: "desc" },
        take: 1000,
      });
      if (entries.length === 0) break;
      for (const row of await present(entries)) {
        lines.push([String(row.id), row.at, row.actor, row.action, row.targetType, row.targetId, row.reason, row.details].map(csvField).join(","));
      }
      written += entries.length;
      before = entries[entries.length - 1]!.id;
    }
  }
  return `${lines.join("\r\n")}\r\n`;
}
