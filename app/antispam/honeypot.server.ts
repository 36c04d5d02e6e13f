// Counts submissions dropped because the honeypot field was filled. The log
// line names the form and a running count, never who or where from.
import { logger } from "~/utils/logger.server";

const dropped = new Map<string, number>();

export type HoneypotForm = "signup" | "topic" | "reply" | "chat";

export function recordHoneypotDrop(form: HoneypotForm) {
  const count = (dropped.get(form) ?? 0) + 1;
  dropped.set(form, count);
  logger.info({ event: "honeypot.drop", form, count }, "honeypot submission dropped");
}

export function honeypotDrops(form: HoneypotForm): number {
  return dropped.get(form) ?? 0;
}
