import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { listOutbox } from "~/mail/outbox.server";
import { mailStatusCounts } from "~/mail/worker.server";
import { requireUser } from "~/utils/auth/guards.server";
import { getEnv } from "~/utils/env.server";
import { forbidden } from "~/utils/http";
import { canReadOutbox } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Outbox · Admin · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  if (!canReadOutbox(user)) forbidden();
  const requested = Number(new URL(request.url).searchParams.get("page") ?? "1");
  const page = Number.isSafeInteger(requested) && requested > 0 ? requested : 1;
  const [outbox, counts] = await Promise.all([listOutbox(page), mailStatusCounts()]);
  const rows = outbox.rows.map((row) => ({ ...row, createdAt: row.createdAt.toISOString(), sentAt: row.sentAt?.toISOString() ?? null }));
  return data({ page, lastPage: outbox.lastPage, total: outbox.total, rows, counts, smtp: Boolean(getEnv().SMTP_URL) }, { headers: { "Cache-Control": "no-store" } });
}

const STATUS_LABEL: Record<string, string> = { queued: "Queued", sent: "Sent", kept: "In outbox", failed: "Failed" };

export default function OutboxPage() {
  const { page, lastPage, total, rows, counts, smtp } = useLoaderData<typeof loader>();
  return (
    <div>
      <h1 className="text-2xl font-semibold">Outbox</h1>
      <p className="mt-1 text-sm text-slate-600">
        {smtp
          ? "Mail is delivered over SMTP (SMTP_URL). Every message is listed here with its delivery status."
          : "No mail server is set (SMTP_URL), so mail is kept here instead of being sent. Open a message to read it."}
      </p>
      <p className="mt-2 text-sm text-slate-600">
        {total} messages
        {Object.entries(counts).map(([status, count]) => ` · ${STATUS_LABEL[status] ?? status}: ${count}`)}
      </p>
      <table className="mt-4 w-full text-left text-sm">
        <thead className="text-slate-500">
          <tr>
            <th className="py-2 pr-3">Created</th>
            <th className="py-2 pr-3">To</th>
            <th className="py-2 pr-3">Subject</th>
            <th className="py-2 pr-3">Kind</th>
            <th className="py-2 pr-3">Status</th>
            <th className="py-2">Attempts</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} className="border-t border-slate-200">
              <td className="py-2 pr-3 whitespace-nowrap">{row.createdAt.slice(0, 16).replace("T", " ")}</td>
              <td className="py-2 pr-3">{row.toAddress}</td>
              <td className="py-2 pr-3"><a href={`/admin/outbox/${row.id}`}>{row.subject}</a></td>
              <td className="py-2 pr-3">{row.kind}</td>
              <td className="py-2 pr-3">{STATUS_LABEL[row.status] ?? row.status}</td>
              <td className="py-2">{row.attempts}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p className="mt-4 text-sm text-slate-600">No mail yet.</p> : null}
      <Pagination page={page} lastPage={lastPage} basePath="/admin/outbox" />
    </div>
  );
}
