// The text of privacy emails: the data-use notice to members and a visitor's
// question to the feedback address.
import type { QueuedMail } from "~/mail/queue.server";

const SITE = "Threadline";

/** The outbox kind of a privacy question (account deletion finds a member's own questions by it). */
export const FEEDBACK_MAIL_KIND = "privacy-feedback";

export function dataUseNoticeMessage(input: { to: string; username: string; origin: string; number: number; summary: string }): QueuedMail {
  return {
    kind: "policy-data-use",
    to: input.to,
    subject: `${SITE} wants to use personal data in a new way: your agreement is asked`,
    text: [
      `Hello ${input.username},`,
      "",
      `We published version ${input.number} of the ${SITE} privacy policy. It changes how personal data is used:`,
      "",
      `  ${input.summary}`,
      "",
      "Nothing changes for you unless you agree. Accept or decline here (after logging in):",
      `${input.origin}/privacy/consent`,
      "",
      `Read the new version: ${input.origin}/privacy/v/${input.number}`,
      `See what changed: ${input.origin}/privacy/v/${input.number}/diff`,
      "",
      `You receive this message because you have an account on ${SITE}. It is sent once for each such change.`,
    ].join("\n"),
  };
}

export function feedbackMessage(input: { to: string; replyTo: string; name: string; message: string; username: string | null }): QueuedMail {
  const who = [input.name || "A visitor", input.username ? `(member ${input.username})` : "(not logged in)"].join(" ");
  return {
    kind: FEEDBACK_MAIL_KIND,
    to: input.to,
    headers: { "Reply-To": input.replyTo },
    subject: `Privacy question from ${SITE}`,
    text: [`${who} asked about privacy on ${SITE}. Reply to: ${input.replyTo}`, "", input.message].join("\n"),
  };
}
