// Transcripts are per UTC day, like every date the portal shows.
const DAY_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2026-11-30" for a moment, in UTC. */
export function dayKey(date: Date | string): string {
  return new Date(date).toISOString().slice(0, 10);
}

/** The start of a "yyyy-mm-dd" day in UTC, or null when it is not a real date. */
export function parseDay(value: string | undefined): Date | null {
  const match = DAY_PATTERN.exec(value ?? "");
  if (!match) return null;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return dayKey(date) === value ? date : null;
}

export function nextDay(day: Date): Date {
  return new Date(day.getTime() + 24 * 60 * 60 * 1000);
}
