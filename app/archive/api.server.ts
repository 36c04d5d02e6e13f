// Read-only JSON twins of the archive pages, with the same visibility and
// masking rules. Every answer names the list and the site that hosts it.
import { sanitizeMailHtml } from "~/content/sanitize.server";
import { db } from "~/utils/db.server";
import { notFound } from "~/utils/http";
import type { Actor } from "~/utils/permissions";
import { findByMessageId, findMessage, goneNotice, normalizeMessageId, type MessageRow } from "./read-message.server";
import { loadThread, resolveThread, threadNeighbours } from "./read-thread.server";
import {
  findVisibleList, listArchives, listThreadsPage, maskerFor, monthCounts, monthIndex, presentList, senderName, viewerOf,
  type ListRow, type Viewer,
} from "./read.server";

/** The list as every API answer names it. */
function listRef(list: ListRow) {
  const p = presentList(list);
  return { slug: p.slug, name: p.name, url: p.url, hostName: p.hostName, hostUrl: p.hostUrl, ownershipNotice: p.ownershipNotice };
}

function listJson(list: ListRow) {
  const { customNotice: _custom, contactHref: _href, ...rest } = presentList(list);
  return rest;
}

export async function listsJson(actor: Actor) {
  const lists = await listArchives(viewerOf(actor));
  return {
    lists: lists.map(({ customNotice: _custom, contactHref: _href, activity, ...list }) => ({ ...list, activity })),
  };
}

export async function listJsonBySlug(actor: Actor, slug: string | undefined) {
  const viewer = viewerOf(actor);
  const list = await findVisibleList(slug, viewer);
  return { list: listJson(list), months: monthIndex(await monthCounts(list), list.slug) };
}

export async function listThreadsJson(actor: Actor, slug: string | undefined, pageParam: string | null) {
  const viewer = viewerOf(actor);
  const list = await findVisibleList(slug, viewer);
  const page = await listThreadsPage(list, viewer, pageParam);
  return { list: listRef(list), ...page };
}

/** A message row anywhere (public ids are unique across lists), with its list if the viewer may see it. */
async function locate(publicId: string | undefined, viewer: Viewer) {
  const row = publicId ? await db.mailMessage.findUnique({ where: { publicId }, select: { list: { select: { slug: true } } } }) : null;
  const thread = !row && publicId ? await db.mailThread.findUnique({ where: { publicId }, select: { list: { select: { slug: true } } } }) : null;
  const slug = row?.list.slug ?? thread?.list.slug;
  if (!slug) notFound("There is no archived message or thread with this id.");
  return findVisibleList(slug, viewer);
}

export async function threadJson(actor: Actor, publicId: string | undefined) {
  const viewer = viewerOf(actor);
  const list = await locate(publicId, viewer);
  const { thread } = await resolveThread(list, publicId);
  const [{ items, missing }, neighbours] = await Promise.all([loadThread(list, thread, viewer), threadNeighbours(list, thread, viewer)]);
  const mask = maskerFor(viewer, list);
  const ids = await db.mailMessage.findMany({
    where: { threadId: thread.id },
    select: { publicId: true, messageId: true, parentMessageId: true },
  });
  const byPublicId = new Map(ids.map((row) => [row.publicId, row]));
  return {
    list: listRef(list),
    thread: {
      id: thread.publicId,
      url: `/lists/${list.slug}/thread/${thread.publicId}`,
      subject: mask(thread.subject) || "(no subject)",
      messageCount: thread.messageCount,
      missingCount: missing,
      firstAt: thread.firstAt.toISOString(),
      lastAt: thread.lastAt.toISOString(),
      mboxUrl: `/lists/${list.slug}/thread/${thread.publicId}/mbox`,
    },
    older: neighbours.older,
    newer: neighbours.newer,
    messages: items.map((item) => {
      const ids = byPublicId.get(item.publicId);
      const common = { id: item.publicId, messageId: ids?.messageId ?? null, parentMessageId: ids?.parentMessageId ?? null, depth: item.depth };
      if (item.kind === "placeholder") return { kind: "placeholder" as const, ...common, received: false };
      if (item.kind === "removed") return { kind: "removed" as const, ...common, messageId: null, removed: item.explanation };
      return {
        kind: "message" as const,
        ...common,
        url: item.url,
        subject: item.subject,
        from: item.from,
        fromAddress: item.fromAddress,
        date: item.date,
        parentInferred: item.inferredParent,
        parentPlacedByModerator: item.placedByModerator,
        attachmentCount: item.attachmentCount,
        text: item.blocks.map((block) => block.text).join("\n\n"),
        hidden: item.hidden,
      };
    }),
  };
}

type Gone = { gone: true; status: 410; body: ReturnType<typeof goneJson> };

function goneJson(list: ListRow, message: MessageRow) {
  const notice = goneNotice(list, message);
  return { error: "gone", id: message.publicId, reason: notice.category, explanation: notice.explanation, list: listRef(list) };
}

function messageJsonOf(list: ListRow, message: MessageRow, viewer: Viewer) {
  const mask = maskerFor(viewer, list);
  const base = `/lists/${list.slug}/m/${message.publicId}`;
  return {
    id: message.publicId,
    messageId: message.messageId,
    messageIdSynthetic: message.messageIdSynthetic,
    url: base,
    threadId: message.thread?.publicId ?? null,
    threadUrl: message.thread ? `/lists/${list.slug}/thread/${message.thread.publicId}` : null,
    parentMessageId: message.parentMessageId,
    parentInferred: message.inferredParent,
    parentPlacedByModerator: message.parentSetAt !== null,
    subject: mask(message.subject),
    from: { name: senderName(message, mask), address: message.fromAddress ? mask(message.fromAddress) : null },
    date: message.date?.toISOString() ?? null,
    text: mask(message.textBody),
    html: message.htmlBody?.trim() ? mask(sanitizeMailHtml(message.htmlBody)) : null,
    size: message.size,
    rawUrl: `${base}/raw`,
    attachments: message.attachments.map((a) => ({
      position: a.position,
      filename: a.filename,
      contentType: a.contentType,
      size: a.size,
      url: a.sha256 && !a.skipped ? `${base}/attachments/${a.position}` : null,
    })),
    hidden: message.hiddenAt ? { at: message.hiddenAt.toISOString(), reason: message.hiddenReason } : null,
    list: listRef(list),
  };
}

export type MessageJsonResult = { gone: false; body: ReturnType<typeof messageJsonOf> } | Gone;

async function messageResult(list: ListRow, publicId: string, viewer: Viewer): Promise<MessageJsonResult> {
  const message = await findMessage(list, publicId);
  if (message.hiddenAt && !viewer.seeHidden) return { gone: true, status: 410, body: goneJson(list, message) };
  return { gone: false, body: messageJsonOf(list, message, viewer) };
}

export async function messageJson(actor: Actor, publicId: string | undefined): Promise<MessageJsonResult> {
  const viewer = viewerOf(actor);
  const list = await locate(publicId, viewer);
  return messageResult(list, publicId!, viewer);
}

/** By Message-ID (brackets optional, URL-encoded). Found in several lists: the first, with the others in `alsoIn`. */
export async function midJson(actor: Actor, rawId: string) {
  const viewer = viewerOf(actor);
  const messageId = normalizeMessageId(rawId);
  const matches = messageId ? await findByMessageId(messageId, viewer) : [];
  const first = matches[0];
  if (!first) notFound("There is no archived message with this Message-ID.");
  const list = await findVisibleList(first.list.slug, viewer);
  const result = await messageResult(list, first.publicId, viewer);
  const alsoIn = matches.slice(1).map((m) => ({ id: m.publicId, url: m.url, list: m.list }));
  return result.gone ? result : { ...result, body: { ...result.body, alsoIn } };
}

/** JSON with the status a result asks for. */
export function jsonResult(result: MessageJsonResult): Response {
  return Response.json(result.body, { status: result.gone ? result.status : 200 });
}
