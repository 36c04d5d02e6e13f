const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const BAR = 6;
const GAP = 2;
const HEIGHT = 32;

function label(key: string): string {
  const [year, month] = key.split("-");
  return `${MONTHS[Number(month) - 1] ?? month} ${year}`;
}

/**
 * Messages per month as a small bar chart: plain SVG rendered on the server,
 * coloured with classes (the Content-Security-Policy forbids inline styles).
 */
export function ArchiveActivityChart({ activity, name }: { activity: { key: string; count: number }[]; name: string }) {
  const max = Math.max(1, ...activity.map((m) => m.count));
  const total = activity.reduce((sum, m) => sum + m.count, 0);
  const first = activity[0];
  const last = activity.at(-1);
  const summary = first && last
    ? `${name}: ${total} messages from ${label(first.key)} to ${label(last.key)}`
    : `${name}: no recent messages`;
  const width = activity.length * (BAR + GAP) - GAP;
  return (
    <svg role="img" aria-label={summary} viewBox={`0 0 ${width} ${HEIGHT}`} width={width} height={HEIGHT} className="overflow-visible" data-testid="activity-chart">
      <title>{summary}</title>
      <line x1={0} y1={HEIGHT - 0.5} x2={width} y2={HEIGHT - 0.5} className="stroke-slate-300" strokeWidth={1} />
      {activity.map((month, i) => {
        const height = month.count ? Math.max(2, Math.round((month.count / max) * (HEIGHT - 2))) : 0;
        return (
          <rect key={month.key} x={i * (BAR + GAP)} y={HEIGHT - height} width={BAR} height={height} rx={1} className="fill-brand-600">
            <title>{`${label(month.key)}: ${month.count} message${month.count === 1 ? "" : "s"}`}</title>
          </rect>
        );
      })}
    </svg>
  );
}
