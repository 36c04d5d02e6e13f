// Which board a queue item belongs to, so board moderators act only on their
// boards' items (app/forums/board-moderators.server.ts decides the scope).
import { scopeIncludes, type BoardScope } from "~/forums/board-moderators.server";
import { db } from "~/utils/db.server";
import { parseItemKey } from "./rules";

/** The board of a reported post or an appealed post; null for site-wide items (mail, imports) and missing posts. */
export async function boardOfItem(itemKey: string): Promise<number | null> {
  const item = parseItemKey(itemKey);
  if (!item) return null;
  let postId: number | null = null;
  if (item.type === "post") postId = item.id;
  if (item.type === "appeal") postId = (await db.appeal.findUnique({ where: { id: item.id }, select: { postId: true } }))?.postId ?? null;
  if (postId === null) return null;
  const post = await db.post.findUnique({ where: { id: postId }, select: { topic: { select: { boardId: true } } } });
  return post?.topic.boardId ?? null;
}

export async function itemInScope(scope: BoardScope, itemKey: string): Promise<boolean> {
  if (scope === "all") return true;
  const boardId = await boardOfItem(itemKey);
  return boardId !== null && scopeIncludes(scope, boardId);
}

export async function postsInScope(scope: BoardScope, postIds: number[]): Promise<boolean> {
  if (scope === "all") return true;
  const posts = await db.post.findMany({ where: { id: { in: postIds } }, select: { topic: { select: { boardId: true } } } });
  return posts.length === new Set(postIds).size && posts.every((p) => scopeIncludes(scope, p.topic.boardId));
}
