// Other members' posts and chat messages that @mention a member who deleted
// their account (quotes start with "@name wrote in #n:" too). Left alone,
// those mentions would keep the name on the page and in search, and would
// link to whoever signs up with the freed name next. They are rewritten to
// "@deleted member" (not a valid mention, so never linked), in the current
// text, in the public edit history and in unsent drafts.
//
// Rendering needs reads of the database (which other mentions are members),
// so new texts are prepared before the deletion's transaction and written
// inside it only if the row was not edited in between.
import { cookPost } from "~/forums/cook.server";
import type { Prisma } from "~/generated/prisma/client";
import { db } from "~/utils/db.server";
import { DELETED_MEMBER_NAME } from "./deleted-member";

type Rewrite = { id: number; raw: string; newRaw: string; html: string };
export type MentionRewrites = { posts: Rewrite[]; revisions: Rewrite[]; chats: Rewrite[]; drafts: Array<{ id: number; raw: string; newRaw: string }> };

function mentionPattern(username: string): RegExp {
  const escaped = username.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  // The same boundaries as mention detection (cook.server.ts): not inside an address or a path.
  return new RegExp(`(^|[^\\w@/.-])@${escaped}(?![A-Za-z0-9_-])`, "gi");
}

export function rewriteMentions(text: string, username: string): string {
  return text.replace(mentionPattern(username), (_match, before: string) => `${before}@${DELETED_MEMBER_NAME}`);
}

export async function prepareMentionRewrites(userId: number, username: string): Promise<MentionRewrites> {
  const needle = `@${username}`;
  const [posts, revisions, chats, drafts] = await Promise.all([
    db.post.findMany({ where: { raw: { contains: needle }, authorId: { not: userId } }, select: { id: true, raw: true } }),
    db.postRevision.findMany({ where: { raw: { contains: needle }, post: { authorId: { not: userId } } }, select: { id: true, raw: true } }),
    db.chatMessage.findMany({ where: { body: { contains: needle }, authorId: { not: userId } }, select: { id: true, body: true } }),
    db.draft.findMany({ where: { raw: { contains: needle }, userId: { not: userId } }, select: { id: true, raw: true } }),
  ]);
  const rewrite = async (id: number, raw: string, subset: "post" | "chat"): Promise<Rewrite | null> => {
    const newRaw = rewriteMentions(raw, username);
    if (newRaw === raw) return null;
    return { id, raw, newRaw, html: (await cookPost(newRaw, subset)).cooked };
  };
  const kept = <T,>(items: Array<T | null>) => items.filter((item): item is T => item !== null);
  return {
    posts: kept(await Promise.all(posts.map((post) => rewrite(post.id, post.raw, "post")))),
    revisions: kept(await Promise.all(revisions.map((revision) => rewrite(revision.id, revision.raw, "post")))),
    chats: kept(await Promise.all(chats.map((chat) => rewrite(chat.id, chat.body, "chat")))),
    drafts: drafts.map((draft) => ({ id: draft.id, raw: draft.raw, newRaw: rewriteMentions(draft.raw, username) })).filter((draft) => draft.newRaw !== draft.raw),
  };
}

/** Writes the prepared texts; returns the posts and messages whose search documents changed. */
export async function applyMentionRewrites(tx: Prisma.TransactionClient, rewrites: MentionRewrites) {
  const postIds: number[] = [];
  const chatIds: number[] = [];
  for (const post of rewrites.posts) {
    const { count } = await tx.post.updateMany({ where: { id: post.id, raw: post.raw }, data: { raw: post.newRaw, cooked: post.html } });
    if (count) postIds.push(post.id);
  }
  for (const revision of rewrites.revisions) {
    await tx.postRevision.updateMany({ where: { id: revision.id, raw: revision.raw }, data: { raw: revision.newRaw, cooked: revision.html } });
  }
  for (const chat of rewrites.chats) {
    const { count } = await tx.chatMessage.updateMany({ where: { id: chat.id, body: chat.raw }, data: { body: chat.newRaw, html: chat.html } });
    if (count) chatIds.push(chat.id);
  }
  for (const draft of rewrites.drafts) {
    await tx.draft.updateMany({ where: { id: draft.id, raw: draft.raw }, data: { raw: draft.newRaw } });
  }
  return { postIds, chatIds };
}
