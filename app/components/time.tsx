const DATE = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" });
const DATE_TIME = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/**
 * A date rendered the same on server and browser (UTC), with the exact
 * instant in the datetime attribute and tooltip.
 */
export function Time({ date, withTime = false }: { date: string | Date; withTime?: boolean }) {
  const value = new Date(date);
  const text = (withTime ? DATE_TIME : DATE).format(value);
  return (
    <time dateTime={value.toISOString()} title={value.toISOString()}>
      {text}
      {withTime ? " UTC" : ""}
    </time>
  );
}
