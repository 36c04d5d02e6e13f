/** The date ranges /admin/traffic offers, in days (shared with the page). */
export const TRAFFIC_RANGES = [7, 30, 90] as const;
export type TrafficRange = (typeof TRAFFIC_RANGES)[number];

/** A range from the query string, or the 30-day default. */
export function parseRange(value: string | null): TrafficRange {
  const days = Number(value);
  return (TRAFFIC_RANGES as readonly number[]).includes(days) ? (days as TrafficRange) : 30;
}
