// Maps mailparser's attachments to the archive's attachment records.

import { createHash } from "node:crypto";
import type { Attachment } from "mailparser";
import { sanitizeFilename } from "./attachment-filename.ts";

export interface ParsedAttachment {
  filename: string;
  contentType: string;
  size: number;
  /** sha256 of the decoded content, hex; attachments are stored content-addressed. */
  sha256: string;
  /** null when the attachment was over the size limit (see `skipped`). */
  content: Buffer | null;
  inline: boolean;
  /** Content-ID without angle brackets, for resolving cid: links in the HTML. */
  contentId: string | null;
  skipped?: "too large";
}

function contentIdOf(attachment: Attachment): string | null {
  const raw = attachment.cid ?? attachment.contentId ?? "";
  const id = raw.replace(/^\s*<|>\s*$/g, "").trim();
  return id === "" ? null : id;
}

export function toAttachments(attachments: readonly Attachment[], maxBytes: number): ParsedAttachment[] {
  return attachments.map((attachment) => {
    const content = Buffer.isBuffer(attachment.content) ? attachment.content : Buffer.alloc(0);
    const tooLarge = content.length > maxBytes;
    return {
      filename: sanitizeFilename(attachment.filename),
      contentType: (attachment.contentType || "application/octet-stream").toLowerCase(),
      size: content.length,
      sha256: createHash("sha256").update(content).digest("hex"),
      // Metadata is kept for over-limit files so the archive can say what was there.
      content: tooLarge ? null : content,
      inline: attachment.contentDisposition === "inline" || attachment.related === true,
      contentId: contentIdOf(attachment),
      ...(tooLarge ? { skipped: "too large" as const } : {}),
    };
  });
}
