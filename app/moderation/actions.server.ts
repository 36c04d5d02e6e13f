// Form handling for the queue and member pages: one Zod schema per intent,
// field errors with status 400, then a call into the domain modules above.
import { data } from "@remix-run/node";
import { z } from "zod";
import { isHideReasonCategory } from "~/archive/takedown.server";
import type { BoardScope } from "~/forums/board-moderators.server";
import { failure, parseForm, type FormFailure } from "~/utils/forms";
import { decideAppeal } from "./appeals.server";
import { bulkHidePosts, clearFlood } from "./bulk.server";
import { claimItem, releaseClaim } from "./claims.server";
import { dismissReports, hideReportedPost, removeReportedChatMessage, restorePost, takeDownReportedMessage } from "./decisions.server";
import { approveHeldPost, rejectHeldPost } from "./held.server";
import { addStaffNote, NOTE_MAX } from "./notes.server";
import { daysOf, durationFields, parseItemKey, reasonField, ruleField } from "./rules";
import { formatUntil, liftSanction, sanctionUser, warnUser } from "./sanctions.server";
import { itemInScope, postsInScope } from "./scope.server";

type Moderator = { id: number; username: string };
export type ActionOutcome = { ok: true; form: string; message: string } | (FormFailure & { form: string });

const itemKey = z.string({ required_error: "Missing item." }).regex(/^(held|post|chat|mail|appeal|import):\d{1,12}$/, "Unknown item.");
const userId = z.coerce.number({ invalid_type_error: "Unknown member." }).int().positive();
const decision = { reason: reasonField, rule: ruleField };

const Schemas = {
  claim: z.object({ itemKey }),
  takeover: z.object({ itemKey }),
  release: z.object({ itemKey }),
  dismiss: z.object({ itemKey, ...decision }),
  hide: z.object({ itemKey, ...decision }),
  restore: z.object({ itemKey, ...decision }),
  approve: z.object({ itemKey, reason: z.string().trim().max(500, "Keep the note under 500 characters.").optional().default("") }),
  reject: z.object({ itemKey, ...decision }),
  "delete-chat": z.object({ itemKey, ...decision }),
  takedown: z.object({
    itemKey,
    ...decision,
    category: z.string().refine(isHideReasonCategory, "Choose a takedown category."),
  }),
  "appeal-restore": z.object({ itemKey, ...decision }),
  "appeal-uphold": z.object({ itemKey, ...decision }),
  warn: z.object({ userId, ...decision }),
  silence: z.object({ userId, ...decision, ...durationFields }),
  suspend: z.object({ userId, ...decision, ...durationFields }),
  unsilence: z.object({ userId, reason: reasonField }),
  unsuspend: z.object({ userId, reason: reasonField }),
  note: z.object({ userId, body: z.string({ required_error: "Write the note." }).trim().min(1, "Write the note.").max(NOTE_MAX, `Keep notes under ${NOTE_MAX} characters.`) }),
  "bulk-hide": z.object({ ...decision }),
  flood: z.object({
    userId,
    ...decision,
    ...durationFields,
    hours: z.coerce.number({ invalid_type_error: "Give a number of hours." }).int("Give a whole number of hours.").min(1, "At least 1 hour.").max(168, "At most 168 hours (a week)."),
  }),
} as const;
type Intent = keyof typeof Schemas;

const isIntent = (value: unknown): value is Intent => typeof value === "string" && Object.hasOwn(Schemas, value);

function refused(formData: FormData, form: string, status: number, message: string, field?: string) {
  const base = failure(formData, field ? { [field]: [message] } : {}, field ? [] : [message]);
  return data<ActionOutcome>({ ...base, form }, { status });
}

function done(form: string, message: string) {
  return data<ActionOutcome>({ ok: true, form, message });
}

/** Which form sent the submission: an item's key, a member, or the bulk bar. */
function formOf(formData: FormData, intent: string): string {
  const key = formData.get("itemKey");
  if (typeof key === "string" && key) return `${intent}:${key}`;
  const user = formData.get("userId");
  return typeof user === "string" && user ? `${intent}:user:${user}` : intent;
}

/** Decisions about members themselves: site moderators only, never board moderators. */
const MEMBER_INTENTS = new Set<Intent>(["warn", "silence", "suspend", "unsilence", "unsuspend", "note", "flood"]);

/**
 * Handles one moderation form. The caller has checked that `moderator` may
 * moderate something; `scope` says what: every board, or the board
 * moderator's own boards (whose items are the only ones they may touch).
 */
export async function handleModerationForm(moderator: Moderator, formData: FormData, scope: BoardScope = "all", options: { origin?: string } = {}) {
  const intent = formData.get("intent");
  if (!isIntent(intent)) return refused(formData, "unknown", 400, "Unknown action.");
  const form = formOf(formData, intent);
  if (scope !== "all") {
    const key = formData.get("itemKey");
    const outside =
      MEMBER_INTENTS.has(intent) ||
      (typeof key === "string" && key !== "" && !(await itemInScope(scope, key))) ||
      (intent === "bulk-hide" && !(await postsInScope(scope, formData.getAll("items").map(String).map(parseItemKey).flatMap((k) => (k?.type === "post" ? [k.id] : [])))));
    if (outside) return refused(formData, form, 403, "You moderate only your own boards' posts; this needs a site moderator.");
  }
  const parsed = parseForm(Schemas[intent], formData);
  if (!parsed.ok) return data<ActionOutcome>({ ...parsed, form }, { status: 400 });
  const input = parsed.data as Record<string, unknown> & { reason: string; rule?: never };
  const item = typeof input.itemKey === "string" ? parseItemKey(input.itemKey)! : null;
  const rule = (parsed.data as { rule?: Parameters<typeof warnUser>[3] }).rule;
  const reason = input.reason;
  const outcome = (result: { ok: true; message: string } | { ok: false; status: number; message: string }) =>
    result.ok ? done(form, result.message) : refused(formData, form, result.status, result.message);
  const days = () => daysOf(String(input.duration), input.customDays as string | undefined);

  switch (intent) {
    case "claim":
    case "takeover": {
      const result = await claimItem(moderator, String(input.itemKey), { takeOver: intent === "takeover" });
      return result.ok ? done(form, intent === "takeover" ? "You took this item over." : "You claimed this item.") : refused(formData, form, 409, result.message);
    }
    case "release":
      await releaseClaim(moderator, String(input.itemKey));
      return done(form, "Claim released.");
    case "approve":
      if (item!.type !== "held") return refused(formData, form, 400, "Only held posts can be approved.");
      return outcome(await approveHeldPost(moderator, item!.id, reason, { origin: options.origin }));
    case "reject":
      if (item!.type !== "held") return refused(formData, form, 400, "Only held posts can be rejected.");
      return outcome(await rejectHeldPost(moderator, item!.id, reason, rule));
    case "delete-chat":
      if (item!.type !== "chat") return refused(formData, form, 400, "Only chat messages can be deleted here.");
      return outcome(await removeReportedChatMessage(moderator, item!.id, reason, rule));
    case "dismiss":
      if (item!.type !== "post" && item!.type !== "mail" && item!.type !== "chat") return refused(formData, form, 400, "Only reports can be dismissed.");
      return outcome(await dismissReports(moderator, item!.type, item!.id, reason, rule));
    case "hide":
      if (item!.type !== "post") return refused(formData, form, 400, "Only posts can be hidden here.");
      return outcome(await hideReportedPost(moderator, item!.id, reason, rule));
    case "restore":
      if (item!.type !== "post") return refused(formData, form, 400, "Only posts can be restored here.");
      return outcome(await restorePost(moderator, item!.id, reason, rule));
    case "takedown":
      if (item!.type !== "mail") return refused(formData, form, 400, "Only archived messages can be taken down.");
      return outcome(await takeDownReportedMessage(moderator, item!.id, String(input.category) as Parameters<typeof takeDownReportedMessage>[2], reason, rule));
    case "appeal-restore":
    case "appeal-uphold":
      if (item!.type !== "appeal") return refused(formData, form, 400, "That is not an appeal.");
      return outcome(await decideAppeal(moderator, item!.id, intent === "appeal-restore" ? "restore" : "uphold", reason, rule));
    case "warn": {
      const result = await warnUser(moderator, Number(input.userId), reason, rule);
      return result.ok ? done(form, "Warning sent; the member sees it on their notifications page.") : refused(formData, form, result.status, result.message);
    }
    case "silence":
    case "suspend": {
      const d = days();
      if (d === null) return refused(formData, form, 400, "Give a whole number of days from 1 to 365.", "customDays");
      const result = await sanctionUser(moderator, Number(input.userId), intent, d, reason, rule);
      if (!result.ok) return refused(formData, form, result.status, result.message);
      return done(form, `${intent === "silence" ? "Silenced" : "Suspended"} until ${formatUntil(result.until!)}.`);
    }
    case "unsilence":
    case "unsuspend": {
      const result = await liftSanction(moderator, Number(input.userId), intent === "unsilence" ? "silence" : "suspend", reason);
      return result.ok ? done(form, intent === "unsilence" ? "Silence lifted." : "Suspension lifted.") : refused(formData, form, result.status, result.message);
    }
    case "note":
      await addStaffNote(moderator, Number(input.userId), String(input.body));
      return done(form, "Note added.");
    case "bulk-hide": {
      const keys = formData.getAll("items").map(String).map(parseItemKey);
      const postIds = keys.flatMap((k) => (k?.type === "post" ? [k.id] : []));
      if (postIds.length === 0) return refused(formData, form, 400, "Select at least one reported post.", "items");
      const result = await bulkHidePosts(moderator, postIds, reason, rule);
      return result.ok ? done(form, result.message) : refused(formData, form, result.status, result.message);
    }
    case "flood": {
      const d = days();
      if (d === null) return refused(formData, form, 400, "Give a whole number of days from 1 to 365.", "customDays");
      const result = await clearFlood(moderator, Number(input.userId), Number(input.hours), d, reason, rule);
      return result.ok ? done(form, result.message) : refused(formData, form, result.status, result.message);
    }
  }
}
