import { useEffect, useState } from "react";

const UTC = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });
const UTC_DATE = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });

/**
 * A mail date: rendered in UTC on the server (so it reads the same without
 * JavaScript), then shown in the reader's own time zone once the page runs.
 */
export function ArchiveTime({ date, dateOnly = false }: { date: string | null; dateOnly?: boolean }) {
  const [local, setLocal] = useState<string | null>(null);
  useEffect(() => {
    if (!date || dateOnly) return;
    const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
    setLocal(format.format(new Date(date)));
  }, [date, dateOnly]);
  if (!date) return <span className="text-slate-400">date unknown</span>;
  const value = new Date(date);
  const utc = dateOnly ? UTC_DATE.format(value) : `${UTC.format(value)} UTC`;
  return (
    <time dateTime={value.toISOString()} title={utc}>
      {local ?? utc}
    </time>
  );
}
