// Questions about privacy from anyone, logged in or not, sent through the
// mail queue to FEEDBACK_EMAIL, or kept in the outbox for admins when no
// address is set. Rate-limited per visitor by the keyed hash of their
// address (context.clientKey), never the address itself.
import { z } from "zod";
import { queueMail } from "~/mail/queue.server";
import { emailSchema } from "~/utils/auth/account-rules";
import { db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { consumeLimit, type Limit } from "~/utils/rate-limit.server";
import { feedbackMessage } from "./emails.server";
import { FEEDBACK_MESSAGE_MAX, FEEDBACK_MESSAGE_MIN } from "./limits";

/** Shown as the recipient of questions kept in the outbox. */
export const FEEDBACK_OUTBOX_RECIPIENT = "admins (outbox)";

export const FEEDBACK_LIMIT: Limit = { max: 3, windowMs: 60 * 60_000 };

export const FeedbackSchema = z.object({
  name: z.string().trim().max(100, "Keep your name under 100 characters.").optional(),
  email: emailSchema,
  message: z
    .string({ required_error: "Write your question." })
    .trim()
    .min(FEEDBACK_MESSAGE_MIN, `Write at least ${FEEDBACK_MESSAGE_MIN} characters, so we can answer.`)
    .max(FEEDBACK_MESSAGE_MAX, `Keep your question under ${FEEDBACK_MESSAGE_MAX.toLocaleString("en")} characters.`),
});

export type FeedbackInput = z.infer<typeof FeedbackSchema>;

/** Takes one of the visitor's sends, or says how long to wait. */
export function takeFeedbackSlot(clientKey: string) {
  return consumeLimit(`privacy-feedback:${clientKey}`, FEEDBACK_LIMIT);
}

export async function sendFeedback(input: FeedbackInput, sender: { username: string } | null) {
  const configured = getEnv().FEEDBACK_EMAIL;
  const mail = feedbackMessage({
    to: configured ?? FEEDBACK_OUTBOX_RECIPIENT,
    replyTo: input.email,
    name: (input.name ?? "").replace(/[\r\n]+/g, " "),
    message: input.message,
    username: sender?.username ?? null,
  });
  await queueMail(db, { ...mail, keepInOutbox: !configured });
}
