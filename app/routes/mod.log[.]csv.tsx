import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportAuditCsv, parseAuditFilters } from "~/moderation/audit-log.server";
import { requireModerator } from "~/utils/auth/guards.server";

/** The audit log as CSV, with the same filters as the page. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  const csv = await exportAuditCsv(parseAuditFilters(new URL(request.url).searchParams));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="threadline-audit-${new Date().toISOString().slice(0, 10)}.csv"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
