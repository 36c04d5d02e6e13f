// Every email starts here. queueMail() writes an OutgoingMail row with the
// client it is given: pass the transaction of the action that causes the
// mail, so the action and its email commit (or roll back) together. The mail
// worker (worker.server.ts) delivers the row later; nothing is sent inline.
import type { Prisma } from "~/generated/prisma/client";

export type MailKind =
  | "verify-email"
  | "change-email"
  | "email-change-notice"
  | "reset-password"
  | (string & {});

export type QueuedMail = {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Extra headers, e.g. List-Unsubscribe. */
  headers?: Record<string, string>;
  kind: MailKind;
  /** The body holds a one-time link: blank it once SMTP has accepted the message. */
  sensitive?: boolean;
  /** For admins only: keep it in the outbox (/admin/outbox) instead of sending it, even with SMTP_URL set. */
  keepInOutbox?: boolean;
};

type MailClient = Pick<Prisma.TransactionClient, "outgoingMail">;

const HEADER_NAME = /^[A-Za-z0-9-]+$/;

export async function queueMail(client: MailClient, mail: QueuedMail): Promise<{ id: number }> {
  for (const [name, value] of Object.entries(mail.headers ?? {})) {
    // A line break in a header value would let it add headers of its own.
    if (!HEADER_NAME.test(name) || /[\r\n]/.test(value)) throw new Error(`Bad mail header ${name}`);
  }
  if (/[\r\n]/.test(mail.subject) || /[\r\n]/.test(mail.to)) throw new Error("Line breaks are not allowed in a subject or address");
  return client.outgoingMail.create({
    data: {
      kind: mail.kind,
      toAddress: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html ?? null,
      headers: mail.headers && Object.keys(mail.headers).length > 0 ? JSON.stringify(mail.headers) : null,
      sensitive: mail.sensitive ?? false,
      ...(mail.keepInOutbox ? { status: "kept", sentAt: new Date() } : {}),
    },
    select: { id: true },
  });
}
