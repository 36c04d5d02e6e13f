import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { markPolicySeen } from "~/privacy/seen.server";
import { requireUser } from "~/utils/auth/guards.server";
import { safeRedirect } from "~/utils/redirect";

/** A member has seen a policy version (visited /privacy, or dismissed the banner). */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const formData = await request.formData();
  const version = Number(formData.get("version"));
  await markPolicySeen(user.id, version);
  if (formData.has("redirectTo")) return redirect(safeRedirect(formData.get("redirectTo"), "/privacy"));
  return { ok: true as const };
}

export function loader() {
  return redirect("/privacy");
}
