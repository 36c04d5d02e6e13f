// The emails of announcement lists: the welcome email that confirms a
// subscription (double opt-in) and the announcement itself, which always
// carries a visible unsubscribe link and RFC 8058 one-click headers.
import type { QueuedMail } from "~/mail/queue.server";
import { CONFIRM_DAYS } from "./list-schema";

const SITE = "Threadline";

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

type ListInfo = { slug: string; name: string; description: string };

export function confirmLink(origin: string, token: string): string {
  return `${origin}/announcements/confirm?${new URLSearchParams({ token })}`;
}

export function unsubscribeLink(origin: string, subscriptionId: number, key: string): string {
  return `${origin}/announcements/unsubscribe?${new URLSearchParams({ s: String(subscriptionId), k: key })}`;
}

export function welcomeMessage(input: { to: string; list: ListInfo; origin: string; token: string }): QueuedMail {
  return {
    kind: "announcement-welcome",
    to: input.to,
    sensitive: true,
    subject: `Confirm your subscription to ${input.list.name}`,
    text: [
      "Hello,",
      "",
      `Someone (we hope you) asked ${SITE} to send "${input.list.name}" to this address.`,
      ...(input.list.description ? ["", input.list.description] : []),
      "",
      'To confirm, open the link below and press "Confirm my subscription":',
      "",
      confirmLink(input.origin, input.token),
      "",
      `The link works once and expires in ${CONFIRM_DAYS} days. Nothing is sent to you before you confirm.`,
      "",
      "If you did not ask for this, ignore this message: you will not hear from this list.",
    ].join("\n"),
  };
}

export type AnnouncementContent = { subject: string; markdown: string; html: string };

/** The email for one subscriber. `unsubscribeUrl` is theirs alone. */
export function announcementMessage(input: {
  to: string;
  list: ListInfo;
  announcement: AnnouncementContent;
  origin: string;
  unsubscribeUrl: string;
  kind?: string;
  subjectPrefix?: string;
}): QueuedMail {
  const listUrl = `${input.origin}/announcements/${input.list.slug}`;
  const why = `You receive this because you subscribed to ${input.list.name} (${listUrl}) and confirmed it.`;
  const host = new URL(input.origin).hostname;
  return {
    kind: input.kind ?? "announcement",
    to: input.to,
    subject: `${input.subjectPrefix ?? ""}${input.announcement.subject}`,
    text: [input.announcement.markdown, "", "-- ", why, `Unsubscribe with one click: ${input.unsubscribeUrl}`].join("\n"),
    html: [
      `<div>${input.announcement.html}</div>`,
      "<hr>",
      `<p><small>${escapeHtml(why)} <a href="${escapeHtml(input.unsubscribeUrl)}">Unsubscribe</a></small></p>`,
    ].join("\n"),
    headers: {
      "List-Id": `<${input.list.slug}.announcements.${host}>`,
      "List-Unsubscribe": `<${input.unsubscribeUrl}>`,
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    },
  };
}
