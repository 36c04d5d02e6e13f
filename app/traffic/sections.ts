/**
 * The parts of the site that traffic statistics count separately, derived
 * from a page's path. Shared by the recorder (server) and the admin page.
 */
export const TRAFFIC_SECTIONS = ["home", "forums", "topics", "chat", "archive", "search", "other"] as const;
export type TrafficSection = (typeof TRAFFIC_SECTIONS)[number];

export const SECTION_LABELS: Record<TrafficSection, string> = {
  home: "Home",
  forums: "Forums",
  topics: "Boards and topics",
  chat: "Chat",
  archive: "Lists and archive",
  search: "Search",
  other: "Privacy, settings and other",
};

const FIRST_SEGMENT: Record<string, TrafficSection> = {
  forums: "forums",
  b: "topics",
  t: "topics",
  p: "topics",
  chat: "chat",
  lists: "archive",
  mid: "archive",
  search: "search",
};

/** The section a page path belongs to ("/t/12/hello" → "topics"). */
export function sectionOf(path: string): TrafficSection {
  if (path === "/" || path === "") return "home";
  const first = path.split("/")[1] ?? "";
  return FIRST_SEGMENT[first] ?? "other";
}

/** Today's (or `date`'s) UTC day as YYYY-MM-DD, the key of every daily count. */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Colours of each section in the charts (SVG fill) and their legend (swatch). */
export const SECTION_COLORS: Record<TrafficSection, { fill: string; swatch: string }> = {
  home: { fill: "fill-sky-600", swatch: "bg-sky-600" },
  forums: { fill: "fill-indigo-600", swatch: "bg-indigo-600" },
  topics: { fill: "fill-violet-400", swatch: "bg-violet-400" },
  chat: { fill: "fill-emerald-600", swatch: "bg-emerald-600" },
  archive: { fill: "fill-amber-500", swatch: "bg-amber-500" },
  search: { fill: "fill-rose-500", swatch: "bg-rose-500" },
  other: { fill: "fill-slate-400", swatch: "bg-slate-400" },
};
