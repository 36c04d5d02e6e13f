import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { ACTION_FAMILIES } from "~/moderation/audit-families";
import { listAuditEntries, parseAuditFilters } from "~/moderation/audit-log.server";
import { requireModerator } from "~/utils/auth/guards.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Moderation · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  const params = new URL(request.url).searchParams;
  const filters = parseAuditFilters(params);
  const before = Number.parseInt(params.get("before") ?? "", 10);
  const { rows, nextBefore } = await listAuditEntries(filters, Number.isSafeInteger(before) && before > 0 ? before : null);
  const query = new URLSearchParams([...params.entries()].filter(([key, value]) => key !== "before" && value !== ""));
  return {
    rows,
    query: query.toString(),
    nextUrl: nextBefore ? `/mod/log?${new URLSearchParams([...query.entries(), ["before", String(nextBefore)]]).toString()}` : null,
    values: Object.fromEntries(["family", "actor", "targetType", "targetId", "from", "to"].map((key) => [key, params.get(key) ?? ""])),
  };
}

export default function AuditLog() {
  const { rows, query, nextUrl, values } = useLoaderData<typeof loader>();
  return (
    <div>
      <p className="text-sm"><a href="/mod">Moderation</a> ›</p>
      <div className="mt-1 flex flex-wrap items-start justify-between gap-3">
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <a className="btn-secondary" href={`/mod/log.csv${query ? `?${query}` : ""}`} download>Export as CSV</a>
      </div>
      <p className="mt-1 text-sm text-slate-600">Every moderator and admin action, newest first. Reasons are as the moderator wrote them.</p>
      <Form method="get" className="card mt-4 grid gap-3 p-4 text-sm sm:grid-cols-3 lg:grid-cols-6" aria-label="Filter the audit log">
        <label className="block">
          <span className="text-slate-600">Kind</span>
          <select name="family" defaultValue={values.family} className="input mt-1">
            <option value="">Everything</option>
            {ACTION_FAMILIES.map((family) => <option key={family.value} value={family.value}>{family.label}</option>)}
          </select>
        </label>
        <label className="block">
          <span className="text-slate-600">By (username)</span>
          <input name="actor" defaultValue={values.actor} className="input mt-1" maxLength={100} />
        </label>
        <label className="block">
          <span className="text-slate-600">Target type</span>
          <input name="targetType" defaultValue={values.targetType} className="input mt-1" maxLength={100} placeholder="post, mail, list…" />
        </label>
        <label className="block">
          <span className="text-slate-600">Target id</span>
          <input name="targetId" defaultValue={values.targetId} className="input mt-1" maxLength={100} />
        </label>
        <label className="block">
          <span className="text-slate-600">From</span>
          <input name="from" type="date" defaultValue={values.from} className="input mt-1" />
        </label>
        <label className="block">
          <span className="text-slate-600">To</span>
          <input name="to" type="date" defaultValue={values.to} className="input mt-1" />
        </label>
        <div className="sm:col-span-3 lg:col-span-6">
          <button type="submit" className="btn">Filter</button> <a href="/mod/log" className="ml-2">Clear</a>
        </div>
      </Form>
      {rows.length === 0 ? (
        <p className="mt-6 text-slate-600">No entries match.</p>
      ) : (
        <div className="mt-4 overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
              <tr><th className="py-2 pr-3">When (UTC)</th><th className="pr-3">Who</th><th className="pr-3">Action</th><th className="pr-3">On</th><th className="pr-3">Reason</th><th>Details</th></tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} className="border-b border-slate-100 align-top [&>td]:py-2" data-testid="audit-row">
                  <td className="whitespace-nowrap pr-3"><time dateTime={row.at}>{row.at.slice(0, 16).replace("T", " ")}</time></td>
                  <td className="pr-3">{row.actor}</td>
                  <td className="pr-3 font-mono text-xs">{row.action}</td>
                  <td className="pr-3">{row.targetUrl ? <a href={row.targetUrl}>{row.targetType} {row.targetId}</a> : `${row.targetType} ${row.targetId}`}</td>
                  <td className="pr-3">{row.reason}</td>
                  <td className="max-w-xs break-words font-mono text-xs text-slate-500">{row.details}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextUrl ? <p className="mt-4"><a className="btn-secondary" href={nextUrl} rel="next">Older entries</a></p> : null}
    </div>
  );
}
