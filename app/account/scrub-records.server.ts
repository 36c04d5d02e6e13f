// Records that other people hold but that name a member who deleted their
// account: report snapshots of the member's posts and messages, audit log
// details, and notification emails that said "<name> replied to your post".
// Each is rewritten in place, inside the deletion's transaction, so the
// record keeps its use (a moderator still sees what was reported, the audit
// log still says what was done) without the member's name or address.
import { Prisma } from "~/generated/prisma/client";
import { FEEDBACK_MAIL_KIND } from "~/privacy/emails.server";
import { DELETED_MEMBER_NAME } from "./deleted-member";

type Tx = Prisma.TransactionClient;

export const REMOVED_TEXT = "[removed: its author deleted their account]";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Snapshots of reported posts and chat messages: the author becomes "deleted member", the text goes when the member removed it. */
export async function scrubReportSnapshots(tx: Tx, target: { postIds: number[]; chatIds: number[] }, removeText: boolean) {
  const reports = await tx.report.findMany({
    where: {
      OR: [
        { targetType: "post", targetId: { in: target.postIds } },
        { targetType: "chat", targetId: { in: target.chatIds } },
      ],
    },
    select: { id: true, snapshot: true },
  });
  for (const report of reports) {
    let snapshot: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(report.snapshot);
      if (parsed && typeof parsed === "object") snapshot = parsed as Record<string, unknown>;
    } catch {
      // An unreadable snapshot is replaced whole below.
    }
    snapshot.author = DELETED_MEMBER_NAME;
    if (removeText) snapshot.raw = REMOVED_TEXT;
    await tx.report.update({ where: { id: report.id }, data: { snapshot: JSON.stringify(snapshot) } });
  }
}

/** Audit entries keep their ids and reasons; a username or address among their details becomes null. */
export async function scrubAuditDetails(tx: Tx, identifiers: string[]) {
  const wanted = identifiers.filter(Boolean).map((value) => value.toLowerCase());
  const entries = await tx.auditEntry.findMany({
    where: { OR: identifiers.filter(Boolean).map((value) => ({ details: { contains: value } })) },
    select: { id: true, details: true },
  });
  const scrub = (value: unknown): unknown => {
    if (typeof value === "string") return wanted.includes(value.toLowerCase()) ? null : value;
    if (Array.isArray(value)) return value.map(scrub);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, scrub(inner)]));
    return value;
  };
  for (const entry of entries) {
    let details: unknown;
    try {
      details = JSON.parse(entry.details);
    } catch {
      details = {};
    }
    const scrubbed = JSON.stringify(scrub(details));
    if (scrubbed !== entry.details) await tx.auditEntry.update({ where: { id: entry.id }, data: { details: scrubbed } });
  }
}

/**
 * Mail to the member goes (every address the account ever had mail sent to,
 * however its letters were cased: a visitor form may have been given
 * "Ann@Example.org" for "ann@example.org"); forum emails to others that named
 * the member as the one who replied, mentioned or posted now say "A deleted
 * member".
 */
export async function scrubOutgoingMail(tx: Tx, username: string, addresses: string[]) {
  const given = [...new Set(addresses.filter(Boolean))];
  const keys = [...new Set(given.map((address) => address.toLowerCase()))];
  if (keys.length > 0) {
    // lower() and IN read the same in SQLite and PostgreSQL; lower() folds ASCII only, so the exact spellings are matched too.
    const folded = await tx.$queryRaw<Array<{ id: number | bigint }>>`SELECT "id" FROM "OutgoingMail" WHERE lower("toAddress") IN (${Prisma.join(keys)})`;
    await tx.outgoingMail.deleteMany({ where: { OR: [{ id: { in: folded.map((row) => Number(row.id)) } }, { toAddress: { in: given } }] } });
  }
  const phrase = new RegExp(`(^|[^A-Za-z0-9_-])${escapeRegExp(username)} (replied to your post|mentioned you|posted in)`, "g");
  const mails = await tx.outgoingMail.findMany({
    where: { kind: { startsWith: "forum-" }, OR: [{ subject: { contains: username } }, { text: { contains: username } }, { html: { contains: username } }] },
    select: { id: true, subject: true, text: true, html: true },
  });
  const rewrite = (text: string) => text.replace(phrase, (_match, before: string, what: string) => `${before}A deleted member ${what}`);
  for (const mail of mails) {
    await tx.outgoingMail.update({
      where: { id: mail.id },
      data: { subject: rewrite(mail.subject), text: rewrite(mail.text), html: mail.html === null ? null : rewrite(mail.html) },
    });
  }
}

/**
 * Questions the member sent from /privacy/feedback, from one of their
 * addresses (the Reply-To) or while logged in (the text names the member):
 * their words, name and address go with the account.
 */
export async function removePrivacyQuestions(tx: Tx, username: string, addresses: string[]) {
  const keys = new Set(addresses.filter(Boolean).map((address) => address.toLowerCase()));
  const signed = `(member ${username})`;
  // Few rows: questions are rate limited and finished mail is deleted after MAIL_RETENTION_DAYS.
  const questions = await tx.outgoingMail.findMany({ where: { kind: FEEDBACK_MAIL_KIND }, select: { id: true, headers: true, text: true } });
  const replyTo = (headers: string | null) => {
    try {
      const parsed: unknown = headers ? JSON.parse(headers) : null;
      const value = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>)["Reply-To"] : null;
      return typeof value === "string" ? value.toLowerCase() : "";
    } catch {
      return "";
    }
  };
  const theirs = questions.filter((mail) => keys.has(replyTo(mail.headers)) || mail.text.includes(signed)).map((mail) => mail.id);
  if (theirs.length > 0) await tx.outgoingMail.deleteMany({ where: { id: { in: theirs } } });
}
