import type { TrafficDayRow } from "./report.server";
import { SECTION_COLORS, SECTION_LABELS, TRAFFIC_SECTIONS } from "./sections";

/**
 * The traffic charts as SVG markup built on the server: no chart library and
 * nothing fetched by the browser. Colours come from classes (the
 * Content-Security-Policy allows no inline styles), and every text that goes
 * into the markup passes through escapeXml. Each chart has a <title> and a
 * <desc>; the page shows the same figures in a table beside it.
 */
const WIDTH = 720;
const HEIGHT = 240;
const LEFT = 48;
const RIGHT = 12;
const TOP = 12;
const BOTTOM = 28;
const PLOT_W = WIDTH - LEFT - RIGHT;
const PLOT_H = HEIGHT - TOP - BOTTOM;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c]!);
}

/** The smallest 1, 2 or 5 × 10ⁿ at or above `value`, so the axis reads well. */
export function niceMax(value: number): number {
  if (value <= 1) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value)!;
}

const plural = (count: number, word: string) => `${count.toLocaleString("en")} ${word}${count === 1 ? "" : "s"}`;

function frame(id: string, title: string, desc: string, yMax: number, days: TrafficDayRow[], body: string): string {
  const y = (value: number) => TOP + PLOT_H - (value / yMax) * PLOT_H;
  const grid = [0, yMax / 2, yMax]
    .map((value) => {
      const at = y(value).toFixed(1);
      const label = Number.isInteger(value) ? value.toLocaleString("en") : value.toFixed(1);
      return `<line x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${at}" y2="${at}" class="stroke-slate-200" stroke-width="1"/><text x="${LEFT - 6}" y="${at}" dy="3" text-anchor="end" font-size="10" class="fill-slate-500">${escapeXml(label)}</text>`;
    })
    .join("");
  const step = PLOT_W / Math.max(1, days.length);
  const ticks = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])]
    .filter((i) => days[i])
    .map((i) => `<text x="${(LEFT + (i + 0.5) * step).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle" font-size="10" class="fill-slate-500">${escapeXml(days[i]!.day)}</text>`)
    .join("");
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${id}-title ${id}-desc" class="h-auto w-full" data-chart="${id}">` +
    `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(desc)}</desc>` +
    grid +
    body +
    ticks +
    `</svg>`
  );
}

function rangeText(days: TrafficDayRow[]) {
  return days.length ? `from ${days[0]!.day} to ${days.at(-1)!.day} (UTC)` : "";
}

/** Daily page views as bars stacked by section. */
export function pageViewsChart(days: TrafficDayRow[], id = "views-chart"): string {
  const yMax = niceMax(Math.max(0, ...days.map((d) => d.views)));
  const step = PLOT_W / Math.max(1, days.length);
  const barWidth = Math.max(1, step * 0.8);
  const bars = days
    .map((day, i) => {
      const x = (LEFT + i * step + (step - barWidth) / 2).toFixed(1);
      let base = 0;
      const segments = TRAFFIC_SECTIONS.filter((section) => day.sections[section] > 0).map((section) => {
        const value = day.sections[section];
        const top = TOP + PLOT_H - ((base + value) / yMax) * PLOT_H;
        const height = (value / yMax) * PLOT_H;
        base += value;
        return `<rect x="${x}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" class="${SECTION_COLORS[section].fill}"><title>${escapeXml(`${day.day}, ${SECTION_LABELS[section]}: ${plural(value, "page view")}`)}</title></rect>`;
      });
      return `<g><title>${escapeXml(`${day.day}: ${plural(day.views, "page view")}`)}</title>${segments.join("")}</g>`;
    })
    .join("");
  const total = days.reduce((sum, d) => sum + d.views, 0);
  const busiest = days.reduce<TrafficDayRow | undefined>((best, d) => (!best || d.views > best.views ? d : best), undefined);
  const desc = `Page views per day ${rangeText(days)}, stacked by section: ${plural(total, "page view")} in all${busiest && busiest.views > 0 ? `, most on ${busiest.day} (${busiest.views.toLocaleString("en")})` : ""}.`;
  return frame(id, "Daily page views by section", desc, yMax, days, bars);
}

/** Estimated unique visitors per day as a line. */
export function visitorsChart(days: TrafficDayRow[], id = "visitors-chart"): string {
  const yMax = niceMax(Math.max(0, ...days.map((d) => d.visitors)));
  const step = PLOT_W / Math.max(1, days.length);
  const points = days.map((day, i) => ({ day, x: LEFT + (i + 0.5) * step, y: TOP + PLOT_H - (day.visitors / yMax) * PLOT_H }));
  const line = `<polyline points="${points.map((p) => `${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ")}" fill="none" stroke-width="2" class="stroke-brand-600"/>`;
  const dots = points
    .map((p) => `<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="3" class="fill-brand-600"><title>${escapeXml(`${p.day.day}: ${plural(p.day.visitors, "visitor")}`)}</title></circle>`)
    .join("");
  const busiest = days.reduce<TrafficDayRow | undefined>((best, d) => (!best || d.visitors > best.visitors ? d : best), undefined);
  const desc = `Estimated unique visitors per day ${rangeText(days)}${busiest && busiest.visitors > 0 ? `; most on ${busiest.day} (${busiest.visitors.toLocaleString("en")})` : ""}.`;
  return frame(id, "Unique visitors per day", desc, yMax, days, line + dots);
}
