import { cookPost } from "~/forums/cook.server";
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/utils/db.server";
import { isExemptFromSlowMode } from "~/utils/permissions";
import { fileWatchedWordReport } from "~/antispam/flag.server";
import { consumePostingLimit } from "~/antispam/rate-tiers.server";
import { publishMessages } from "./events.server";
import { CHAT_MESSAGE_MAX } from "./limits";
import { activeMute } from "./mutes.server";
import { chatWatchedWordRefusal } from "./watched.server";
import { enqueueSearch } from "../../search/outbox.server.ts";
import { emailStandingRefusal } from "~/forums/posting.server";
import { postingRefusal as sanctionRefusal } from "~/moderation/sanctions.server";

const UTC = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

export type ChatActor = { id: number; role: string };
export type ChatRefusal = { ok: false; status: number; message: string; field?: "body"; retryAfterSeconds?: number; mutedUntil?: string };
export type SendResult = { ok: true; id: number; duplicate: boolean } | ChatRefusal;
type Room = { id: number; archivedAt: Date | null; slowModeSeconds: number };

async function findDuplicate(authorId: number, submissionId: string | undefined) {
  if (!submissionId) return null;
  return db.chatMessage.findUnique({ where: { authorId_submissionId: { authorId, submissionId } }, select: { id: true } });
}

/** Why this member may not post in this room right now, if anything stops them. */
export async function postingRefusal(actor: ChatActor, room: Room, now = new Date()): Promise<ChatRefusal | null> {
  if (room.archivedAt) return { ok: false, status: 403, message: "This room is archived: it can be read but takes no new messages." };
  // The same standing rules as the forums: moderators' sanctions, and a confirmed address where that is required.
  const sanction = await sanctionRefusal(actor.id, now);
  if (sanction) return { ok: false, status: 403, message: sanction };
  const unverified = await emailStandingRefusal(actor.id);
  if (unverified) return { ok: false, status: 403, message: unverified.message };
  const mute = await activeMute(room.id, actor.id, now);
  if (mute) {
    return {
      ok: false, status: 403, mutedUntil: mute.until.toISOString(),
      message: `A moderator muted you in this room until ${UTC.format(mute.until)} UTC (${mute.reason}). You can read but not post.`,
    };
  }
  if (room.slowModeSeconds > 0 && !isExemptFromSlowMode(actor)) {
    const last = await db.chatMessage.findFirst({
      where: { roomId: room.id, authorId: actor.id, createdAt: { gt: new Date(now.getTime() - room.slowModeSeconds * 1000) } },
      orderBy: { createdAt: "desc" },
      select: { createdAt: true },
    });
    if (last) {
      const wait = Math.max(1, Math.ceil((last.createdAt.getTime() + room.slowModeSeconds * 1000 - now.getTime()) / 1000));
      return { ok: false, status: 429, retryAfterSeconds: wait, message: `Slow mode is on: one message every ${room.slowModeSeconds} seconds. You can send again in ${wait} seconds.` };
    }
  }
  return null;
}

/**
 * Posts a message: refuses archived rooms, muted members, slow mode and
 * floods; a repeated submission id returns the first message instead of a
 * second one. Mentioned members are notified in the same transaction.
 */
export async function sendMessage(
  actor: ChatActor,
  room: Room,
  input: { body: string; replyToId?: number; submissionId?: string },
  now = new Date(),
): Promise<SendResult> {
  const existing = await findDuplicate(actor.id, input.submissionId);
  if (existing) return { ok: true, id: existing.id, duplicate: true };
  const body = input.body.trim();
  if (!body) return { ok: false, status: 400, field: "body", message: "Write a message first." };
  if (body.length > CHAT_MESSAGE_MAX) {
    return { ok: false, status: 400, field: "body", message: `This message is too long: at most ${CHAT_MESSAGE_MAX.toLocaleString("en")} characters. Split it up, or start a forum topic.` };
  }
  const refusal = await postingRefusal(actor, room, now);
  if (refusal) return refusal;
  const screened = await chatWatchedWordRefusal(body);
  if (!screened.ok) return screened;
  // Chat is quicker than the forums, but a flood still waits; new accounts get lower limits (app/antispam/rate-tiers.server.ts).
  const limited = await consumePostingLimit(actor, "chat", now.getTime());
  if (limited) return limited;
  const replyTo = input.replyToId
    ? await db.chatMessage.findFirst({ where: { id: input.replyToId, roomId: room.id }, select: { id: true } })
    : null;
  const { cooked, mentionedUserIds } = await cookPost(body, "chat");
  try {
    const id = await db.$transaction(async (tx) => {
      const message = await tx.chatMessage.create({
        data: { roomId: room.id, authorId: actor.id, body, html: cooked, createdAt: now, replyToId: replyTo?.id ?? null, submissionId: input.submissionId },
        select: { id: true },
      });
      await enqueueSearch(tx, { kind: "chat", id: message.id });
      if (screened.flag) {
        const author = await tx.user.findUnique({ where: { id: actor.id }, select: { username: true } });
        await fileWatchedWordReport(tx, { type: "chat", id: message.id }, screened.flag, { roomId: room.id, messageId: message.id, author: author?.username ?? null, raw: body });
      }
      await tx.chatRoom.update({
        where: { id: room.id },
        data: { messageCount: { increment: 1 }, lastMessageAt: now, lastMessageId: message.id },
        select: { id: true },
      });
      const mentioned = [...new Set(mentionedUserIds)].filter((userId) => userId !== actor.id);
      if (mentioned.length) {
        await tx.notification.createMany({
          data: mentioned.map((userId) => ({ userId, kind: "chat-mention", actorId: actor.id, chatMessageId: message.id, createdAt: now })),
        });
      }
      return message.id;
    });
    await publishMessages(room.id, [id], "message");
    return { ok: true, id, duplicate: false };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      const again = await findDuplicate(actor.id, input.submissionId);
      if (again) return { ok: true, id: again.id, duplicate: true };
    }
    throw error;
  }
}
