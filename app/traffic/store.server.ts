import { db } from "~/utils/db.server";
import { OTHER_HOSTS, OTHER_PAGES, type TrafficBatch } from "./recorder.server";

type Tx = Parameters<Parameters<typeof db.$transaction>[0]>[0];

/** Distinct page paths and referring hosts kept per day; the rest are summed in one row. */
export const MAX_PAGES_PER_DAY = 500;
export const MAX_REFERRERS_PER_DAY = 200;

/** Adds one flush of in-memory counts to the daily totals, all or nothing. */
export async function saveTrafficBatch(batch: TrafficBatch, limits = { pages: MAX_PAGES_PER_DAY, referrers: MAX_REFERRERS_PER_DAY }) {
  await db.$transaction(async (tx) => {
    for (const [day, counts] of batch) {
      for (const [section, views] of Object.entries(counts.sections)) {
        if (!views) continue;
        await tx.trafficSectionDay.upsert({
          where: { day_section: { day, section } },
          create: { day, section, views },
          update: { views: { increment: views } },
        });
      }
      if (counts.newVisitors > 0) {
        await tx.trafficVisitorDay.upsert({
          where: { day },
          create: { day, visitors: counts.newVisitors },
          update: { visitors: { increment: counts.newVisitors } },
        });
      }
      await savePages(tx, day, counts.pages, limits.pages);
      await saveReferrers(tx, day, counts.referrers, limits.referrers);
    }
  });
}

/** Splits new counts into rows that fit under the day's cap and an overflow sum. */
function fitUnderCap(counts: Map<string, number>, existing: Set<string>, rowsToday: number, cap: number, other: string) {
  let room = cap - rowsToday;
  const rows: [string, number][] = [];
  let overflow = 0;
  for (const [key, views] of counts) {
    if (key === other) overflow += views;
    else if (existing.has(key)) rows.push([key, views]);
    else if (room > 0) {
      room -= 1;
      rows.push([key, views]);
    } else overflow += views;
  }
  if (overflow > 0) rows.push([other, overflow]);
  return rows;
}

async function savePages(tx: Tx, day: string, pages: Map<string, number>, cap: number) {
  if (pages.size === 0) return;
  const keys = [...pages.keys()];
  const existing = new Set((await tx.trafficPageDay.findMany({ where: { day, path: { in: keys } }, select: { path: true } })).map((row) => row.path));
  const rowsToday = await tx.trafficPageDay.count({ where: { day, path: { not: OTHER_PAGES } } });
  for (const [path, views] of fitUnderCap(pages, existing, rowsToday, cap, OTHER_PAGES)) {
    await tx.trafficPageDay.upsert({ where: { day_path: { day, path } }, create: { day, path, views }, update: { views: { increment: views } } });
  }
}

async function saveReferrers(tx: Tx, day: string, referrers: Map<string, number>, cap: number) {
  if (referrers.size === 0) return;
  const keys = [...referrers.keys()];
  const existing = new Set((await tx.trafficReferrerDay.findMany({ where: { day, host: { in: keys } }, select: { host: true } })).map((row) => row.host));
  const rowsToday = await tx.trafficReferrerDay.count({ where: { day, host: { not: OTHER_HOSTS } } });
  for (const [host, views] of fitUnderCap(referrers, existing, rowsToday, cap, OTHER_HOSTS)) {
    await tx.trafficReferrerDay.upsert({ where: { day_host: { day, host } }, create: { day, host, views }, update: { views: { increment: views } } });
  }
}
