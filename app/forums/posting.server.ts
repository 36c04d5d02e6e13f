import { publish } from "~/events/bus.server";
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/utils/db.server";
import { isArchivedBoard } from "./manage-boards.server";
import { enqueueSearch } from "../../search/outbox.server.ts";
import { getEnv } from "~/utils/env.server";
import { canPostWithEmailStanding } from "~/utils/permissions";
import { postingRefusal } from "~/moderation/sanctions.server";
import { fileWatchedWordReport } from "~/antispam/flag.server";
import { consumePostingLimit, type PostingKind } from "~/antispam/rate-tiers.server";
import { screenNewPost } from "~/antispam/screen.server";
import { cookPost } from "./cook.server";
import { notifyForNewPost } from "./notify.server";
import { slugify } from "./slug";

export type PostingActor = { id: number; role: string; username?: string };
export type PostingRefusal = { ok: false; status: number; message: string; field?: string; retryAfterSeconds?: number; needsEmailVerification?: boolean };
/** `held`: the post waits for a moderator's approval and only its author (and moderators) can see it. */
export type PostingResult = { ok: true; topicId: number; slug: string; number: number; duplicate: boolean; held: boolean } | PostingRefusal;

async function findDuplicate(authorId: number, submissionId: string | undefined) {
  if (!submissionId) return null;
  return db.post.findUnique({
    where: { authorId_submissionId: { authorId, submissionId } },
    select: { number: true, heldAt: true, topic: { select: { id: true, slug: true } } },
  });
}

/** Per-member limits, tighter for new accounts (app/antispam/rate-tiers.server.ts). */
function rateLimited(actor: PostingActor, kind: PostingKind): Promise<PostingRefusal | null> {
  return consumePostingLimit(actor, kind);
}

/** Silenced and suspended members read but do not post. */
async function sanctioned(actorId: number): Promise<PostingRefusal | null> {
  const message = await postingRefusal(actorId);
  return message ? { ok: false, status: 403, message } : null;
}

export const VERIFY_BEFORE_POSTING =
  "Please confirm your email address before posting: open the link in the email we sent you, or press \"Email me a confirmation link\" in the notice at the top of this page.";

/** The refusal for a member whose unverified address keeps them from posting (REQUIRE_VERIFIED_EMAIL=true). */
export async function emailStandingRefusal(actorId: number): Promise<PostingRefusal | null> {
  const required = getEnv().REQUIRE_VERIFIED_EMAIL === "true";
  if (!required) return null;
  const user = await db.user.findUnique({ where: { id: actorId }, select: { emailVerifiedAt: true } });
  if (canPostWithEmailStanding({ emailVerified: Boolean(user?.emailVerifiedAt) }, required)) return null;
  return { ok: false, status: 403, message: VERIFY_BEFORE_POSTING, needsEmailVerification: true };
}

function isDuplicateSubmission(error: unknown) {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

export async function createTopic(
  actor: PostingActor,
  boardId: number,
  input: { title: string; body: string; submissionId?: string },
  options: { origin?: string } = {},
): Promise<PostingResult> {
  const unverified = await emailStandingRefusal(actor.id);
  if (unverified) return unverified;
  const existing = await findDuplicate(actor.id, input.submissionId);
  if (existing) return { ok: true, topicId: existing.topic.id, slug: existing.topic.slug, number: existing.number, duplicate: true, held: Boolean(existing.heldAt) };
  const refused = await sanctioned(actor.id);
  if (refused) return refused;
  const board = await db.board.findUnique({ where: { id: boardId }, select: { id: true, hiddenAt: true, archivedAt: true, forum: { select: { archivedAt: true } } } });
  if (!board) return { ok: false, status: 404, message: "That board does not exist." };
  if (board.hiddenAt) return { ok: false, status: 403, message: "This board is closed: it does not take new topics." };
  if (isArchivedBoard(board)) return { ok: false, status: 403, message: "This board is archived: it stays readable but takes no new topics." };
  const screening = await screenNewPost(actor, [{ field: "title", text: input.title }, { field: "body", text: input.body }], { newMemberRules: true });
  if (!screening.ok) return screening;
  const limited = await rateLimited(actor, "topic");
  if (limited) return limited;

  const { cooked, mentionedUserIds } = await cookPost(input.body);
  const now = new Date();
  const slug = slugify(input.title);
  // A held topic exists only for its author and moderators until it is approved (app/moderation/held.server.ts).
  const heldAt = screening.holdReason ? now : null;
  try {
    const topic = await db.$transaction(async (tx) => {
      const topic = await tx.topic.create({
        data: { boardId, slug, title: input.title, authorId: actor.id, createdAt: now, bumpedAt: now, lastPosterId: actor.id, postCount: 1, lastPostNumber: 1, heldAt },
      });
      const post = await tx.post.create({
        data: { topicId: topic.id, number: 1, authorId: actor.id, raw: input.body, cooked, createdAt: now, submissionId: input.submissionId, heldAt, heldReason: screening.holdReason },
      });
      await tx.postRevision.create({ data: { postId: post.id, version: 1, raw: input.body, cooked, editorId: actor.id, createdAt: now } });
      await tx.draft.deleteMany({ where: { userId: actor.id, key: `board:${boardId}` } });
      if (heldAt) return topic;
      await enqueueSearch(tx, { kind: "post", id: post.id });
      await tx.board.update({ where: { id: boardId }, data: { topicCount: { increment: 1 }, postCount: { increment: 1 }, lastPostedAt: now } });
      await notifyForNewPost(tx, { actorId: actor.id, topicId: topic.id, boardId, number: 1, replyToAuthorId: null, mentionedUserIds, origin: options.origin });
      if (screening.flag) await fileWatchedWordReport(tx, { type: "post", id: post.id }, screening.flag, { topicId: topic.id, number: 1, author: actor.username ?? null, subject: input.title, raw: input.body });
      return topic;
    });
    if (!heldAt) publish(`board:${boardId}`, { type: "topic", data: { topicId: topic.id } });
    return { ok: true, topicId: topic.id, slug: topic.slug, number: 1, duplicate: false, held: Boolean(heldAt) };
  } catch (error) {
    if (isDuplicateSubmission(error)) {
      const again = await findDuplicate(actor.id, input.submissionId);
      if (again) return { ok: true, topicId: again.topic.id, slug: again.topic.slug, number: again.number, duplicate: true, held: Boolean(again.heldAt) };
    }
    throw error;
  }
}

export async function createReply(
  actor: PostingActor,
  topicId: number,
  input: { body: string; replyTo?: number; submissionId?: string },
  options: { canBypassLock: boolean; origin?: string },
): Promise<PostingResult> {
  const unverified = await emailStandingRefusal(actor.id);
  if (unverified) return unverified;
  const existing = await findDuplicate(actor.id, input.submissionId);
  if (existing) return { ok: true, topicId: existing.topic.id, slug: existing.topic.slug, number: existing.number, duplicate: true, held: Boolean(existing.heldAt) };
  const refused = await sanctioned(actor.id);
  if (refused) return refused;
  const topic = await db.topic.findUnique({
    where: { id: topicId },
    select: { id: true, slug: true, boardId: true, locked: true, lockedReason: true, hiddenAt: true, heldAt: true, mergedIntoId: true, board: { select: { hiddenAt: true, archivedAt: true, forum: { select: { archivedAt: true } } } } },
  });
  if (!topic || topic.mergedIntoId) return { ok: false, status: 404, message: "That topic does not exist." };
  // Archived boards are read-only for everyone, moderators too: reopen the board first.
  if (isArchivedBoard(topic.board)) return { ok: false, status: 403, message: "This board is archived: it stays readable but takes no new replies." };
  if ((topic.hiddenAt || topic.board.hiddenAt) && !options.canBypassLock) {
    return { ok: false, status: 403, message: "This topic is hidden and takes no replies." };
  }
  if (topic.heldAt && !options.canBypassLock) {
    return { ok: false, status: 403, message: "This topic awaits a moderator's approval; replies open once it is approved." };
  }
  if (topic.locked && !options.canBypassLock) {
    return { ok: false, status: 403, message: `This topic is locked${topic.lockedReason ? `: ${topic.lockedReason}` : ""}. It takes no new replies.` };
  }
  const screening = await screenNewPost(actor, [{ field: "body", text: input.body }], { newMemberRules: true });
  if (!screening.ok) return screening;
  const limited = await rateLimited(actor, "reply");
  if (limited) return limited;

  const replyTarget = input.replyTo
    ? await db.post.findUnique({ where: { topicId_number: { topicId, number: input.replyTo } }, select: { number: true, authorId: true } })
    : null;
  const { cooked, mentionedUserIds } = await cookPost(input.body);
  const now = new Date();
  // A held reply takes its number now (numbers are never reused) but counts, bumps and notifies only once approved.
  const heldAt = screening.holdReason ? now : null;
  try {
    const number = await db.$transaction(async (tx) => {
      const updated = await tx.topic.update({
        where: { id: topicId },
        data: heldAt ? { lastPostNumber: { increment: 1 } } : { lastPostNumber: { increment: 1 }, postCount: { increment: 1 }, bumpedAt: now, lastPosterId: actor.id },
        select: { lastPostNumber: true },
      });
      const number = updated.lastPostNumber;
      const post = await tx.post.create({
        data: {
          topicId, number, authorId: actor.id, raw: input.body, cooked, createdAt: now,
          replyToNumber: replyTarget?.number ?? null, submissionId: input.submissionId, heldAt, heldReason: screening.holdReason,
        },
      });
      await tx.postRevision.create({ data: { postId: post.id, version: 1, raw: input.body, cooked, editorId: actor.id, createdAt: now } });
      await tx.draft.deleteMany({ where: { userId: actor.id, key: `topic:${topicId}` } });
      if (heldAt) return number;
      await enqueueSearch(tx, { kind: "post", id: post.id });
      await tx.board.update({ where: { id: topic.boardId }, data: { postCount: { increment: 1 }, lastPostedAt: now } });
      await notifyForNewPost(tx, {
        actorId: actor.id, topicId, boardId: topic.boardId, number,
        replyToAuthorId: replyTarget?.authorId ?? null, mentionedUserIds, origin: options.origin,
      });
      if (screening.flag) await fileWatchedWordReport(tx, { type: "post", id: post.id }, screening.flag, { topicId, number, author: actor.username ?? null, raw: input.body });
      return number;
    });
    if (!heldAt) publish(`topic:${topicId}`, { type: "post", id: String(number), data: { number } });
    return { ok: true, topicId, slug: topic.slug, number, duplicate: false, held: Boolean(heldAt) };
  } catch (error) {
    if (isDuplicateSubmission(error)) {
      const again = await findDuplicate(actor.id, input.submissionId);
      if (again) return { ok: true, topicId: again.topic.id, slug: again.topic.slug, number: again.number, duplicate: true, held: Boolean(again.heldAt) };
    }
    throw error;
  }
}

/** Records the one-time acknowledgement that posts are public. */
export async function acknowledgePublicPosting(userId: number, at = new Date()) {
  await db.user.updateMany({ where: { id: userId, publicPostingAckAt: null }, data: { publicPostingAckAt: at } });
}

export async function hasAcknowledgedPublicPosting(userId: number): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { publicPostingAckAt: true } });
  return Boolean(user?.publicPostingAckAt);
}
