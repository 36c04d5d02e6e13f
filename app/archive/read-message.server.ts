// One archived message: its page, its family (parent, replies, thread), its
// HTML part, its raw bytes and its attachments; and Message-ID look-ups.
import { gunzipSync } from "node:zlib";
import { sanitizeMailHtml } from "~/content/sanitize.server";
import { db } from "~/utils/db.server";
import { notFound } from "~/utils/http";
import { foldMessageText } from "./quote-fold";
import { hiddenCategory, hiddenExplanation, isListVisible, maskerFor, senderName, type ListRow, type Viewer } from "./read.server";

const MESSAGE_SELECT = {
  id: true, publicId: true, messageId: true, kind: true, listId: true, threadId: true, parentMessageId: true, inferredParent: true,
  claimsParent: true, subject: true, fromName: true, fromAddress: true, date: true, dateFallback: true, textBody: true,
  htmlBody: true, size: true, hiddenAt: true, hiddenReason: true, messageIdSynthetic: true, parentSetAt: true,
  thread: { select: { publicId: true, subject: true, messageCount: true } },
  attachments: {
    orderBy: { position: "asc" },
    select: { position: true, filename: true, contentType: true, size: true, sha256: true, inline: true, contentId: true, skipped: true },
  },
} as const;

export async function findMessage(list: ListRow, publicId: string | undefined) {
  const message = publicId ? await db.mailMessage.findFirst({ where: { publicId, listId: list.id }, select: MESSAGE_SELECT }) : null;
  if (!message) notFound("There is no message at this address.");
  if (message.kind === "placeholder") {
    notFound("This message was referenced by others in its thread, but it never reached the archive.");
  }
  return message;
}

export type MessageRow = Awaited<ReturnType<typeof findMessage>>;

/** What a removed message still says publicly: the category, no details. */
export function goneNotice(list: ListRow, message: MessageRow) {
  return {
    category: hiddenCategory(message.hiddenReason),
    explanation: hiddenExplanation(message.hiddenReason),
    threadUrl: message.thread ? `/lists/${list.slug}/thread/${message.thread.publicId}` : null,
  };
}

/** The message page's data. `view` "html" shows the sanitized HTML part when there is one. */
export async function loadMessagePage(list: ListRow, message: MessageRow, viewer: Viewer, view: string | null) {
  const mask = maskerFor(viewer, list);
  const family = { listId: list.id, kind: "message", ...(viewer.seeHidden ? {} : { hiddenAt: null }) };
  const [parent, replies] = await Promise.all([
    message.parentMessageId
      ? db.mailMessage.findFirst({
          where: { listId: list.id, messageId: message.parentMessageId },
          select: { publicId: true, kind: true, subject: true, fromName: true, fromAddress: true, hiddenAt: true },
        })
      : null,
    db.mailMessage.findMany({
      where: { ...family, parentMessageId: message.messageId },
      orderBy: [{ date: "asc" }, { id: "asc" }],
      take: 100,
      select: { publicId: true, subject: true, fromName: true, fromAddress: true, date: true, inferredParent: true, parentSetAt: true },
    }),
  ]);
  const base = `/lists/${list.slug}/m/${message.publicId}`;
  const hasHtml = Boolean(message.htmlBody?.trim());
  const showHtml = hasHtml && view === "html";
  return {
    message: {
      publicId: message.publicId,
      url: base,
      messageId: message.messageId,
      messageIdSynthetic: message.messageIdSynthetic,
      subject: mask(message.subject) || "(no subject)",
      from: senderName(message, mask),
      fromAddress: message.fromAddress ? mask(message.fromAddress) : null,
      date: message.date?.toISOString() ?? null,
      dateFallback: message.dateFallback,
      size: message.size,
      inferredParent: message.inferredParent,
      placedByModerator: message.parentSetAt !== null,
      hidden: message.hiddenAt ? { at: message.hiddenAt.toISOString(), reason: message.hiddenReason ?? "" } : null,
      hasHtml,
      view: showHtml ? ("html" as const) : ("text" as const),
      blocks: showHtml ? [] : foldMessageText(mask(message.textBody)),
      html: showHtml ? renderMailHtml(message, base, mask) : null,
      rawUrl: `${base}/raw`,
      thread: message.thread
        ? {
            url: `/lists/${list.slug}/thread/${message.thread.publicId}`,
            mboxUrl: `/lists/${list.slug}/thread/${message.thread.publicId}/mbox`,
            subject: mask(message.thread.subject) || "(no subject)",
            messageCount: message.thread.messageCount,
          }
        : null,
      attachments: message.attachments.map((a) => ({
        position: a.position,
        filename: a.filename,
        contentType: a.contentType,
        size: a.size,
        inline: a.inline,
        url: a.sha256 && !a.skipped ? `${base}/attachments/${a.position}` : null,
        skipped: a.skipped,
      })),
      parent: message.parentMessageId
        ? parent && parent.kind === "message" && (!parent.hiddenAt || viewer.seeHidden)
          ? { url: `/lists/${list.slug}/m/${parent.publicId}`, subject: mask(parent.subject) || "(no subject)", from: senderName(parent, mask), missing: false }
          : { url: null, subject: null, from: null, missing: true }
        : null,
      replies: replies.map((reply) => ({
        url: `/lists/${list.slug}/m/${reply.publicId}`,
        subject: mask(reply.subject) || "(no subject)",
        from: senderName(reply, mask),
        date: reply.date?.toISOString() ?? null,
        inferredParent: reply.inferredParent,
        placedByModerator: reply.parentSetAt !== null,
      })),
    },
  };
}

/**
 * The HTML part, sanitized again on the way out (the importer sanitized it on
 * the way in; the sanitizer is idempotent and cheap next to a page render),
 * with addresses masked and inline images turned into attachment links.
 */
function renderMailHtml(message: MessageRow, base: string, mask: (text: string) => string): string {
  const html = sanitizeMailHtml(message.htmlBody ?? "");
  const byCid = new Map(message.attachments.filter((a) => a.contentId).map((a) => [a.contentId!, a]));
  // Content-IDs look like addresses: resolve them before masking.
  const linked = html.replace(/<span class="inline-image" data-cid="([^"]*)">\[inline image\]<\/span>/g, (whole, cid: string) => {
    const attachment = byCid.get(cid.replace(/&amp;/g, "&"));
    if (!attachment?.sha256 || attachment.skipped) return whole;
    return `<a class="remote-image" href="${base}/attachments/${attachment.position}" rel="nofollow">[inline image: ${escapeHtml(attachment.filename)}]</a>`;
  });
  return mask(linked);
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** The original bytes, or null when they were not kept. */
export async function rawBytes(messageRowId: number): Promise<Buffer | null> {
  const raw = await db.mailRaw.findUnique({ where: { messageRowId }, select: { gz: true } });
  return raw ? gunzipSync(raw.gz) : null;
}

// ---------------------------------------------------------------------------

/** "<a@b>", "a@b", "%3Ca%40b%3E": the bare Message-ID, or null when unusable. */
export function normalizeMessageId(raw: string): string | null {
  let id = raw;
  try {
    id = decodeURIComponent(raw);
  } catch {
    return null;
  }
  id = id.trim().replace(/^<+/, "").replace(/>+$/, "").trim();
  if (!id || id.length > 998 || /[\s<>\u0000-\u001f\u007f]/.test(id)) return null;
  return id;
}

/** Messages with this Message-ID in the lists the viewer may see (a list at most once). */
export async function findByMessageId(messageId: string, viewer: Viewer) {
  const rows = await db.mailMessage.findMany({
    where: { messageId, kind: "message" },
    orderBy: { listId: "asc" },
    select: {
      publicId: true, subject: true, fromName: true, fromAddress: true, date: true,
      list: { select: { slug: true, name: true, hostName: true, visibility: true, listAddress: true } },
    },
  });
  return rows
    .filter((row) => isListVisible(row.list, viewer))
    .map((row) => {
      const mask = maskerFor(viewer, row.list);
      return {
        publicId: row.publicId,
        url: `/lists/${row.list.slug}/m/${row.publicId}`,
        subject: mask(row.subject) || "(no subject)",
        from: senderName(row, mask),
        date: row.date?.toISOString() ?? null,
        list: { slug: row.list.slug, name: row.list.name, hostName: row.list.hostName },
      };
    });
}
