// Downloads of single messages: the raw message and attachments. Both come
// from strangers, so they are served so that no browser renders them as part
// of this site: attachments always as downloads in a sandbox, raw mail as
// text/plain with nosniff.
import fs from "node:fs";
import path from "node:path";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { maskRawMessage } from "./mask";
import { ownershipNotice } from "./ownership";
import { goneNotice, rawBytes, type MessageRow } from "./read-message.server";
import type { ListRow, Viewer } from "./read.server";

/** The ownership notice as a header value (HTTP headers are ASCII). */
export function noticeHeader(list: ListRow): string {
  return ownershipNotice(list)
    .replace(/[\r\n]+/g, " ")
    .replace(/[^\x20-\x7e]/g, (c) => encodeURIComponent(c));
}

/** Downloads differ for members (original addresses) and everyone else. */
export function downloadCacheHeaders(viewer: Viewer): Record<string, string> {
  return { "Cache-Control": viewer.seeAddresses ? "private, no-store" : "public, max-age=300", Vary: "Cookie" };
}

export function goneResponse(list: ListRow, message: MessageRow): Response {
  return new Response(`${goneNotice(list, message).explanation}\n`, {
    status: 410,
    headers: { "Content-Type": "text/plain; charset=utf-8", "X-Archive-Notice": noticeHeader(list) },
  });
}

/**
 * The charset to declare for raw mail shown as text. The bytes are never
 * converted; this only tells the browser how to display them. (A bare
 * text/plain would not stay bare: Express appends "charset=utf-8" to it.)
 * UTF-8 (and ASCII) when the bytes decode as such, else the first charset the
 * message declares, else ISO-8859-1, which can display any byte.
 */
export function rawCharset(raw: Uint8Array): string {
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(raw);
    return "utf-8";
  } catch {
    const declared = /charset\s*=\s*"?([A-Za-z0-9_.:-]{1,40})/i.exec(Buffer.from(raw.subarray(0, 64 * 1024)).toString("latin1"))?.[1];
    return declared && !/^utf-?8$/i.test(declared) ? declared.toLowerCase() : "iso-8859-1";
  }
}

/**
 * The message exactly as received for members; with addresses masked for
 * everyone else.
 */
export async function rawMessageResponse(list: ListRow, message: MessageRow, viewer: Viewer): Promise<Response> {
  if (message.hiddenAt && !viewer.seeHidden) return goneResponse(list, message);
  const raw = await rawBytes(message.id);
  if (!raw) {
    return new Response("The original bytes of this message were not kept.\n", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const body = viewer.seeAddresses ? raw : maskRawMessage(raw, { keep: [list.listAddress] });
  return new Response(new Uint8Array(body), {
    headers: {
      "Content-Type": `text/plain; charset=${rawCharset(body)}`,
      "Content-Disposition": `inline; filename="${message.publicId}.eml"`,
      "Content-Length": String(body.length),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "X-Archive-Notice": noticeHeader(list),
      ...downloadCacheHeaders(viewer),
    },
  });
}

// Types a browser could render as a document or run as code become opaque bytes.
const ACTIVE_TYPE = /html|xml|svg|script|css|shockwave|^multipart\/|^message\//;

export function safeAttachmentType(contentType: string): string {
  const base = (contentType.split(";")[0] ?? "").trim().toLowerCase();
  if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(base)) return "application/octet-stream";
  return ACTIVE_TYPE.test(base) ? "application/octet-stream" : base;
}

/** RFC 6266 / 8187: an ASCII fallback and the exact UTF-8 name. */
export function contentDisposition(kind: "attachment" | "inline", filename: string): string {
  const fallback = filename.replace(/[^A-Za-z0-9._ -]/g, "_").replace(/^[ .]+/, "").slice(0, 150) || "attachment";
  const exact = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${exact}`;
}

/** Same layout as the importer's store: DATA_DIR/attachments/<aa>/<bb>/<sha256>. */
export function attachmentPath(sha256: string): string | null {
  if (!/^[0-9a-f]{64}$/.test(sha256)) return null;
  return path.resolve(process.env.DATA_DIR || "./data", "attachments", sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

export async function attachmentResponse(list: ListRow, message: MessageRow, positionParam: string | undefined, viewer: Viewer): Promise<Response> {
  if (message.hiddenAt && !viewer.seeHidden) return goneResponse(list, message);
  const position = /^\d{1,6}$/.test(positionParam ?? "") ? Number(positionParam) : NaN;
  const attachment = message.attachments.find((a) => a.position === position);
  const missing = (text: string) => new Response(text, { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  if (!attachment) return missing("This message has no such attachment.\n");
  if (!attachment.sha256 || attachment.skipped) return missing(`This attachment was not stored${attachment.skipped ? ` (${attachment.skipped})` : ""}.\n`);
  const file = attachmentPath(attachment.sha256);
  const stat = file ? await fs.promises.stat(file).catch(() => null) : null;
  if (!file || !stat?.isFile()) return missing("This attachment is not in storage.\n");
  return new Response(createReadableStreamFromReadable(fs.createReadStream(file)), {
    headers: {
      "Content-Type": safeAttachmentType(attachment.contentType),
      "Content-Length": String(stat.size),
      "Content-Disposition": contentDisposition("attachment", attachment.filename),
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      "Cross-Origin-Resource-Policy": "same-origin",
      "X-Archive-Notice": noticeHeader(list),
      "Cache-Control": message.hiddenAt ? "private, no-store" : "public, max-age=86400",
    },
  });
}
