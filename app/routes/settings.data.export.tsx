import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { confirmPassword } from "~/account/confirm-password.server";
import { exportFileName, exportZipStream } from "~/account/export-zip.server";
import { siteOrigin } from "~/mail/links.server";
import { requireUser } from "~/utils/auth/guards.server";

// The export is a POST with the member's password (and, like every POST, a
// same-origin check in server.ts): no link or cross-site page can make a
// browser download someone's data.
export async function loader() {
  return redirect("/settings/data");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const formData = await request.formData();
  const confirmed = await confirmPassword(user.id, String(formData.get("password") ?? ""));
  if (!confirmed.ok) {
    return redirect(`/settings/data?${new URLSearchParams({ exportError: confirmed.reason })}`, 303);
  }
  return new Response(exportZipStream(user.id, siteOrigin(request)), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${exportFileName(user.username)}"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
