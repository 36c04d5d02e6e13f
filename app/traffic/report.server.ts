import { db } from "~/utils/db.server";
import type { TrafficRange } from "./ranges";
import { TRAFFIC_SECTIONS, utcDay, type TrafficSection } from "./sections";


export type TrafficDayRow = { day: string; sections: Record<TrafficSection, number>; views: number; visitors: number };

const DAY_MS = 86_400_000;
const TOP_ROWS = 20;

/** Daily views per section and visitors for the last `days` UTC days (today included), plus the top pages and referring sites. */
export async function trafficReport(days: TrafficRange, now = new Date()) {
  const dayKeys = Array.from({ length: days }, (_, i) => utcDay(new Date(now.getTime() - (days - 1 - i) * DAY_MS)));
  const range = { gte: dayKeys[0]!, lte: dayKeys.at(-1)! };
  const [sectionRows, visitorRows, pages, referrers] = await Promise.all([
    db.trafficSectionDay.findMany({ where: { day: range } }),
    db.trafficVisitorDay.findMany({ where: { day: range } }),
    db.trafficPageDay.groupBy({ by: ["path"], where: { day: range }, _sum: { views: true }, orderBy: { _sum: { views: "desc" } }, take: TOP_ROWS }),
    db.trafficReferrerDay.groupBy({ by: ["host"], where: { day: range }, _sum: { views: true }, orderBy: { _sum: { views: "desc" } }, take: TOP_ROWS }),
  ]);
  const byDay = new Map<string, TrafficDayRow>(
    dayKeys.map((day) => [day, { day, sections: Object.fromEntries(TRAFFIC_SECTIONS.map((s) => [s, 0])) as Record<TrafficSection, number>, views: 0, visitors: 0 }]),
  );
  for (const row of sectionRows) {
    const entry = byDay.get(row.day);
    if (!entry || !(TRAFFIC_SECTIONS as readonly string[]).includes(row.section)) continue;
    entry.sections[row.section as TrafficSection] += row.views;
    entry.views += row.views;
  }
  for (const row of visitorRows) {
    const entry = byDay.get(row.day);
    if (entry) entry.visitors = row.visitors;
  }
  const rows = [...byDay.values()];
  return {
    days: rows,
    totalViews: rows.reduce((sum, row) => sum + row.views, 0),
    // Visitors are unique per day only: a person who comes back tomorrow counts again.
    visitorDays: rows.reduce((sum, row) => sum + row.visitors, 0),
    topPages: pages.map((row) => ({ path: row.path, views: row._sum.views ?? 0 })),
    topReferrers: referrers.map((row) => ({ host: row.host, views: row._sum.views ?? 0 })),
  };
}
