// The forms of /admin/users: one schema per intent; suspensions go through
// the moderation sanctions module so the queue and member pages agree.
import { data } from "@remix-run/node";
import { z } from "zod";
import { liftSanction, sanctionUser, formatUntil } from "~/moderation/sanctions.server";
import { daysOf, durationFields, reasonField } from "~/moderation/rules";
import { failure, parseForm, type FormFailure } from "~/utils/forms";
import { ROLES } from "~/utils/permissions";
import { changeRole, revokeSessions, type AdminResult } from "./members.server";

export type AdminOutcome = { ok: true; form: string; message: string } | (FormFailure & { form: string });

const userId = z.coerce.number({ invalid_type_error: "Unknown member." }).int().positive("Unknown member.");
const Schemas = {
  role: z.object({ userId, role: z.enum(ROLES, { errorMap: () => ({ message: "Choose member, moderator or admin." }) }), reason: reasonField }),
  suspend: z.object({ userId, reason: reasonField, ...durationFields }),
  unsuspend: z.object({ userId, reason: reasonField }),
  "revoke-sessions": z.object({ userId, reason: reasonField }),
} as const;
type Intent = keyof typeof Schemas;
const isIntent = (value: unknown): value is Intent => typeof value === "string" && Object.hasOwn(Schemas, value);

export async function handleMemberAdminForm(admin: { id: number; role: string }, formData: FormData) {
  const intent = formData.get("intent");
  if (!isIntent(intent)) return data<AdminOutcome>({ ...failure(formData, {}, ["Unknown action."]), form: "unknown" }, { status: 400 });
  const form = `${intent}:user:${String(formData.get("userId") ?? "")}`;
  const parsed = parseForm(Schemas[intent], formData);
  if (!parsed.ok) return data<AdminOutcome>({ ...parsed, form }, { status: 400 });
  const input = parsed.data as { userId: number; reason: string; role?: (typeof ROLES)[number]; duration?: string; customDays?: string };
  let result: AdminResult;
  switch (intent) {
    case "role":
      result = await changeRole(admin, input.userId, input.role!, input.reason);
      break;
    case "suspend": {
      const days = daysOf(input.duration!, input.customDays);
      if (days === null) return data<AdminOutcome>({ ...failure(formData, { customDays: ["Give a whole number of days from 1 to 365."] }), form }, { status: 400 });
      const outcome = await sanctionUser(admin, input.userId, "suspend", days, input.reason);
      result = outcome.ok ? { ok: true, message: `Suspended until ${formatUntil(outcome.until!)}; their sessions were ended.` } : outcome;
      break;
    }
    case "unsuspend": {
      const outcome = await liftSanction(admin, input.userId, "suspend", input.reason);
      result = outcome.ok ? { ok: true, message: "Suspension lifted." } : outcome;
      break;
    }
    case "revoke-sessions":
      result = await revokeSessions(admin, input.userId, input.reason);
      break;
  }
  if (result.ok) return data<AdminOutcome>({ ok: true, form, message: result.message });
  return data<AdminOutcome>({ ...failure(formData, {}, [result.message]), form }, { status: result.status });
}
