import { renderMarkdown } from "~/content/markdown.server";
import { db } from "~/utils/db.server";

const MENTION_CANDIDATE = /(?:^|[^\w@/.-])@([A-Za-z0-9][A-Za-z0-9_-]{2,29})/g;

/**
 * Markdown source to stored HTML (rendered and sanitized once, on write),
 * with @mentions linked only for members who exist.
 */
export async function cookPost(raw: string, subset: "post" | "chat" = "post"): Promise<{ cooked: string; mentionedUserIds: number[] }> {
  const candidates = [...new Set([...raw.matchAll(MENTION_CANDIDATE)].map((m) => m[1]!.toLowerCase()))].slice(0, 50);
  const members = candidates.length
    ? await db.user.findMany({ where: { usernameKey: { in: candidates } }, select: { id: true, usernameKey: true } })
    : [];
  const known = new Map(members.map((m) => [m.usernameKey, m.id]));
  const { html, mentions } = renderMarkdown(raw, { resolveMention: (name) => known.has(name.toLowerCase()), subset });
  const mentionedUserIds = mentions.map((name) => known.get(name.toLowerCase())).filter((id): id is number => id !== undefined);
  return { cooked: html, mentionedUserIds };
}
