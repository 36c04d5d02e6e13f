// The community-guideline rules a moderator can cite, and the sanction
// lengths offered. Shared by the queue's forms and the server code that checks them.
import { z } from "zod";

export const RULES = [
  { value: "spam", label: "Spam or advertising" },
  { value: "harassment", label: "Harassment or abuse" },
  { value: "personal-data", label: "Personal data" },
  { value: "off-topic", label: "Off-topic" },
  { value: "illegal-content", label: "Illegal content" },
  { value: "other", label: "Other" },
] as const;
export type Rule = (typeof RULES)[number]["value"];

export function ruleLabel(value: string | null | undefined): string | null {
  return RULES.find((r) => r.value === value)?.label ?? null;
}

/** Sanction lengths in days; "custom" asks for a number. */
export const DURATIONS = [
  { value: "1", label: "1 day" },
  { value: "3", label: "3 days" },
  { value: "7", label: "1 week" },
  { value: "30", label: "30 days" },
  { value: "custom", label: "Custom…" },
] as const;
export const MAX_SANCTION_DAYS = 365;

export const REASON_MIN = 3;
export const REASON_MAX = 500;

export const reasonField = z
  .string({ required_error: "Give a reason." })
  .trim()
  .min(REASON_MIN, `Give a reason (at least ${REASON_MIN} characters).`)
  .max(REASON_MAX, `Keep the reason under ${REASON_MAX} characters.`);

export const ruleField = z
  .string()
  .optional()
  .transform((value) => (value ? value : undefined))
  .refine((value) => value === undefined || RULES.some((r) => r.value === value), "Choose one of the listed rules.")
  .transform((value) => value as Rule | undefined);

/** Days from the duration menu or the custom field; an issue when neither makes sense. */
export const durationFields = {
  duration: z.enum(["1", "3", "7", "30", "custom"], { errorMap: () => ({ message: "Choose how long." }) }),
  customDays: z.string().optional(),
};

export function daysOf(duration: string, customDays: string | undefined): number | null {
  if (duration !== "custom") return Number(duration);
  const days = Number(customDays);
  return Number.isInteger(days) && days >= 1 && days <= MAX_SANCTION_DAYS ? days : null;
}

export const CLAIM_MINUTES = 15;

export const APPEAL_MIN = 10;
export const APPEAL_MAX = 2000;

/** A queue item's key: what it is about, and which row. */
export type ItemType = "held" | "post" | "chat" | "mail" | "appeal" | "import";
export const ITEM_TYPES: { value: ItemType; label: string }[] = [
  { value: "held", label: "Held for approval" },
  { value: "post", label: "Reported posts" },
  { value: "chat", label: "Reported chat messages" },
  { value: "mail", label: "Reported archived messages" },
  { value: "appeal", label: "Appeals" },
  { value: "import", label: "Import failures" },
];

export function parseItemKey(key: string): { type: ItemType; id: number } | null {
  const match = /^(held|post|chat|mail|appeal|import):(\d{1,12})$/.exec(key);
  return match ? { type: match[1] as ItemType, id: Number(match[2]) } : null;
}

/**
 * What to do next with a member, from the sanctions already taken against
 * them: first offence a warning, then a day's silence, a week's suspension,
 * then a month's.
 */
export function escalationSuggestion(pastSanctions: number): { action: "warn" | "silence" | "suspend"; days: number | null; text: string } {
  if (pastSanctions <= 0) return { action: "warn", days: null, text: "First offence: a warning." };
  if (pastSanctions === 1) return { action: "silence", days: 1, text: "Second offence: silence for 1 day." };
  if (pastSanctions === 2) return { action: "suspend", days: 7, text: "Third offence: suspend for 1 week." };
  return { action: "suspend", days: 30, text: `${pastSanctions + 1}th offence: suspend for 30 days.` };
}
