import { publish } from "~/events/bus.server";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { enqueueSearch } from "../../search/outbox.server.ts";
import { canDeletePost, canEditPost, type Actor } from "~/utils/permissions";
import { fileWatchedWordReport } from "~/antispam/flag.server";
import { blockedMessage, screenTexts } from "~/antispam/watched-words.server";
import { postingRefusal } from "~/moderation/sanctions.server";
import { canModerateBoard } from "./board-moderators.server";
import { cookPost } from "./cook.server";
import { isArchivedBoard } from "./manage-boards.server";

export type EditRefusal = { ok: false; status: number; message: string; field?: string };

async function loadPost(postId: number) {
  return db.post.findUnique({
    where: { id: postId },
    select: {
      id: true, number: true, raw: true, cooked: true, createdAt: true, authorId: true, deletedAt: true, hiddenAt: true, heldAt: true, editCount: true, topicId: true,
      author: { select: { username: true } },
      topic: { select: { id: true, slug: true, locked: true, boardId: true, board: { select: { archivedAt: true, forum: { select: { archivedAt: true } } } } } },
      _count: { select: { revisions: true } },
    },
  });
}

/**
 * Edits a post, keeping the earlier text as a revision anyone can read.
 * Silenced members cannot edit; watched words apply as on a new post (an edit
 * that hits a "hold" word takes the post out of view until it is approved).
 */
export async function editPost(actor: NonNullable<Actor>, postId: number, body: string): Promise<{ ok: true; topicId: number; slug: string; number: number; held?: boolean } | EditRefusal> {
  const post = await loadPost(postId);
  if (!post) return { ok: false, status: 404, message: "That post does not exist." };
  const state = { authorId: post.authorId, deleted: !!post.deletedAt, hidden: !!post.hiddenAt };
  if (!canEditPost(actor, state, { locked: post.topic.locked }) && !(await canModerateBoard(actor, post.topic.boardId))) {
    return { ok: false, status: 403, message: post.topic.locked ? "This topic is locked, so its posts cannot be edited." : "You cannot edit this post." };
  }
  if (isArchivedBoard(post.topic.board)) return { ok: false, status: 403, message: "This board is archived: its posts cannot be edited." };
  if (actor.id === post.authorId) {
    const sanction = await postingRefusal(actor.id);
    if (sanction) return { ok: false, status: 403, message: sanction.replace("cannot post", "cannot post or edit") };
  }
  const result = { ok: true as const, topicId: post.topicId, slug: post.topic.slug, number: post.number };
  if (body === post.raw) return result;
  // Moderators' own corrections are not screened: they maintain the list.
  const hit = actor.id === post.authorId ? await screenTexts([{ field: "body", text: body }]) : null;
  if (hit?.action === "block") return { ok: false, status: 400, field: "body", message: blockedMessage(hit) };
  const hold = hit?.action === "hold" && !post.heldAt;
  const { cooked } = await cookPost(body);
  const now = new Date();
  await db.$transaction(async (tx) => {
    let version = post._count.revisions;
    // Posts imported or seeded without a history get their original kept as version 1.
    if (version === 0) {
      await tx.postRevision.create({ data: { postId, version: 1, raw: post.raw, cooked: post.cooked, editorId: post.authorId, createdAt: post.createdAt } });
      version = 1;
    }
    await tx.postRevision.create({ data: { postId, version: version + 1, raw: body, cooked, editorId: actor.id, createdAt: now } });
    await tx.post.update({
      where: { id: postId },
      data: { raw: body, cooked, editedAt: now, editCount: { increment: 1 }, ...(hold ? { heldAt: now, heldReason: `Watched word: ${hit.word}`, heldOnEdit: true } : {}) },
    });
    await enqueueSearch(tx, { kind: "post", id: postId });
    if (hit?.action === "flag") {
      await fileWatchedWordReport(tx, { type: "post", id: postId }, hit, { topicId: post.topicId, number: post.number, author: post.author.username, raw: body });
    }
    if (actor.id !== post.authorId) {
      await recordAudit({ actorId: actor.id, action: "post.edit", targetType: "post", targetId: postId, details: { topicId: post.topicId, number: post.number } }, tx);
    }
  });
  publish(`topic:${post.topicId}`, { type: "edit", data: { number: post.number } });
  return { ...result, held: hold || Boolean(post.heldAt) };
}

/** Soft-deletes one's own post: readers see "deleted by author". */
export async function deleteOwnPost(actor: NonNullable<Actor>, postId: number): Promise<{ ok: true; topicId: number; slug: string; number: number } | EditRefusal> {
  const post = await loadPost(postId);
  if (!post) return { ok: false, status: 404, message: "That post does not exist." };
  if (!canDeletePost(actor, { authorId: post.authorId, deleted: !!post.deletedAt, hidden: !!post.hiddenAt })) {
    return { ok: false, status: 403, message: "You can only delete your own posts." };
  }
  await db.$transaction(async (tx) => {
    await tx.post.update({ where: { id: postId }, data: { deletedAt: new Date() } });
    await enqueueSearch(tx, { kind: "post", id: postId });
  });
  publish(`topic:${post.topicId}`, { type: "edit", data: { number: post.number } });
  return { ok: true, topicId: post.topicId, slug: post.topic.slug, number: post.number };
}
