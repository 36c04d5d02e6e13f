/**
 * A chat message as pages and the live stream send it to browsers: rendered
 * HTML (never the source of a deleted message) and just enough about the
 * author, the message it answers and the topic it was promoted to.
 */
export type ChatMessageView = {
  id: number;
  roomId: number;
  author: { id: number; username: string; role: string };
  /** Sanitized HTML; null once deleted. */
  html: string | null;
  createdAt: string;
  editedAt: string | null;
  deleted: null | "author" | "moderators";
  deleteReason: string | null;
  replyTo: { id: number; author: string; excerpt: string | null } | null;
  promoted: { href: string; title: string } | null;
};

/** A short plain-text excerpt of a message source, for reply quotes. */
export function excerptOf(body: string, max = 120): string {
  const text = body.replace(/```[\s\S]*?(```|$)/g, " [code] ").replace(/[`*_>#]+/g, "").replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
