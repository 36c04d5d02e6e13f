// The SMTP side of delivery. SMTP_URL (smtp:// or smtps://, credentials in the
// URL) selects nodemailer's SMTP transport; without it there is no transport
// and mail is kept in the outbox. One transport per URL, reused.
import nodemailer from "nodemailer";

export type OutgoingMessage = {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
};

export interface MailTransport {
  send(message: OutgoingMessage): Promise<{ messageId: string }>;
  close(): void;
}

/**
 * An SMTP failure that trying again will not fix: a 5xx answer to this
 * message's recipient or content. A 5xx to the log-in (EAUTH) is a setting
 * to fix, after which the message should still go, so it is retried.
 */
export function isPermanentFailure(error: unknown): boolean {
  const e = error as { responseCode?: unknown; code?: unknown } | null;
  const code = e?.responseCode;
  return typeof code === "number" && code >= 500 && code < 600 && (e?.code === "EENVELOPE" || e?.code === "EMESSAGE");
}

/**
 * A short description of a delivery failure for the outbox row: the SMTP
 * answer or the network error. Never the message itself.
 */
export function describeFailure(error: unknown): string {
  const e = error as { code?: unknown; responseCode?: unknown; response?: unknown; message?: unknown } | null;
  const parts: string[] = [];
  if (typeof e?.code === "string") parts.push(e.code);
  if (typeof e?.response === "string") parts.push(e.response);
  else if (typeof e?.message === "string") parts.push(e.message);
  else parts.push(String(error));
  return parts.join(": ").slice(0, 500);
}

export function createSmtpTransport(smtpUrl: string): MailTransport {
  // nodemailer reads host, port, TLS and credentials from `url`.
  const options = { url: smtpUrl, connectionTimeout: 15_000, greetingTimeout: 15_000, socketTimeout: 30_000 };
  const transporter = nodemailer.createTransport(options as Parameters<typeof nodemailer.createTransport>[0]);
  return {
    async send(message) {
      const info = await transporter.sendMail(message);
      return { messageId: String(info.messageId ?? "") };
    },
    close() {
      transporter.close();
    },
  };
}
