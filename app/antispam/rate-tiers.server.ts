// Posting limits per member, tighter for new accounts: an account younger
// than a day, or one without an approved post yet, gets lower per-minute and
// per-hour limits for topics, replies and chat messages. Moderators and
// admins have the established limits.
import { db } from "~/utils/db.server";
import { canModerate } from "~/utils/permissions";
import { peekLimit, recordHit, type Limit } from "~/utils/rate-limit.server";
import { approvedPostCount } from "./hold.server";

export type PostingKind = "topic" | "reply" | "chat";
type Tier = "new" | "established";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
export const NEW_ACCOUNT_MS = 24 * HOUR;

/** Per kind and tier: the windows that must all have room. */
export const POSTING_LIMITS: Record<PostingKind, Record<Tier, Limit[]>> = {
  topic: {
    new: [{ max: 2, windowMs: MINUTE }, { max: 5, windowMs: HOUR }],
    established: [{ max: 3, windowMs: MINUTE }, { max: 30, windowMs: HOUR }],
  },
  reply: {
    new: [{ max: 3, windowMs: MINUTE }, { max: 20, windowMs: HOUR }],
    established: [{ max: 3, windowMs: 30_000 }, { max: 120, windowMs: HOUR }],
  },
  chat: {
    new: [{ max: 5, windowMs: 10_000 }, { max: 10, windowMs: MINUTE }, { max: 100, windowMs: HOUR }],
    established: [{ max: 5, windowMs: 10_000 }, { max: 30, windowMs: MINUTE }, { max: 600, windowMs: HOUR }],
  },
};

const NOUN: Record<PostingKind, [string, string]> = { topic: ["topic", "topics"], reply: ["reply", "replies"], chat: ["message", "messages"] };

async function tierOf(actor: { id: number; role: string }, now: number): Promise<Tier> {
  if (canModerate(actor)) return "established";
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { createdAt: true } });
  if (!user || now - user.createdAt.getTime() < NEW_ACCOUNT_MS) return "new";
  return (await approvedPostCount(actor.id)) > 0 ? "established" : "new";
}

function per(windowMs: number): string {
  if (windowMs === HOUR) return "an hour";
  if (windowMs === MINUTE) return "a minute";
  return `${Math.round(windowMs / 1000)} seconds`;
}

function until(now: number, seconds: number): string {
  const at = new Date(now + seconds * 1000);
  const time = `${String(at.getUTCHours()).padStart(2, "0")}:${String(at.getUTCMinutes()).padStart(2, "0")} UTC`;
  const wait = seconds < 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`;
  return `Please wait ${wait} and try again: you can post again at ${time}.`;
}

export type RateRefusal = { ok: false; status: 429; message: string; retryAfterSeconds: number };

/**
 * Checks every window of the member's tier and, when all have room, counts
 * the post in each. The refusal names the limit and when posting works again.
 */
export async function consumePostingLimit(actor: { id: number; role: string }, kind: PostingKind, now = Date.now()): Promise<RateRefusal | null> {
  const tier = await tierOf(actor, now);
  const limits = POSTING_LIMITS[kind][tier];
  for (const limit of limits) {
    const result = peekLimit(`${kind}:${actor.id}:${limit.windowMs}`, limit, now);
    if (!result.ok) {
      const [one, many] = NOUN[kind];
      const who = tier === "new" ? "New accounts" : "Members";
      const message = `${who} can ${kind === "chat" ? "send" : "post"} ${limit.max} ${limit.max === 1 ? one : many} in ${per(limit.windowMs)}. ${until(now, result.retryAfterSeconds)}`;
      return { ok: false, status: 429, message, retryAfterSeconds: result.retryAfterSeconds };
    }
  }
  for (const limit of limits) recordHit(`${kind}:${actor.id}:${limit.windowMs}`, limit, now);
  return null;
}

