// Shared by the moderation-queue tests: call a route as Remix does, and make
// reported posts.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { createReply, createTopic } from "~/forums/posting.server";
import { reportPost } from "~/forums/report.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { createTestBoard } from "../support/forum-factories";

export type User = { id: number; role: string; username: string };
type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;
export type Result = { status: number; data: Record<string, unknown> | null; response: Response | null };

export async function call(handler: unknown, url: string, params: Record<string, string>, user: User | null, form?: Record<string, string | string[]>): Promise<Result> {
  let init: RequestInit | undefined;
  if (form) {
    const body = new URLSearchParams();
    for (const [key, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
    init = { method: "POST", body };
  }
  const request = new Request(`http://threadline.test${url}`, init);
  const now = new Date();
  const session = { id: "test-session", createdAt: now, expiresAt: new Date(now.getTime() + 3_600_000), absoluteExpiresAt: new Date(now.getTime() + 3_600_000) };
  const context = { auth: user ? { user, session } : null, clientKey: "test", cookieOptions: {}, cspNonce: "" };
  let outcome: unknown;
  try {
    outcome = await (handler as Handler)({ request, params, context } as never);
  } catch (thrown) {
    outcome = thrown;
  }
  if (outcome instanceof Response) return { status: outcome.status, data: null, response: outcome };
  if (outcome && typeof outcome === "object" && "type" in outcome && outcome.type === "DataWithResponseInit") {
    const wrapped = outcome as unknown as { data: Record<string, unknown>; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data, response: null };
  }
  if (outcome instanceof Error) throw outcome;
  return { status: 200, data: outcome as Record<string, unknown> | null, response: null };
}

/** A topic by a fresh author with `count` posts; returns the posts' ids. */
export async function postsBy(author: User | null = null, count = 1, board?: { id: number }) {
  const writer = author ?? (await createTestUser());
  const where = board ?? (await createTestBoard());
  resetAllLimits();
  const topic = await createTopic(writer, where.id, { title: `Topic by ${writer.username}`, body: "post 1" });
  if (!topic.ok) throw new Error(`topic not created: ${topic.message}`);
  for (let i = 2; i <= count; i++) {
    resetAllLimits();
    const reply = await createReply(writer, topic.topicId, { body: `post ${i}` }, { canBypassLock: false });
    if (!reply.ok) throw new Error(`reply not created: ${reply.message}`);
  }
  const posts = await db.post.findMany({ where: { topicId: topic.topicId }, orderBy: { number: "asc" }, select: { id: true } });
  return { author: writer, board: where, topicId: topic.topicId, postIds: posts.map((p) => p.id) };
}

/** One post reported by `reporters` fresh members (or the given ones). */
export async function reportedPost(reasons: string[] = ["spam"], board?: { id: number }) {
  const made = await postsBy(null, 1, board);
  const reporters: User[] = [];
  for (const reason of reasons) {
    const reporter = await createTestUser();
    reporters.push(reporter);
    const result = await reportPost(reporter.id, made.postIds[0]!, reason);
    if (!result.ok) throw new Error(result.message);
  }
  return { ...made, postId: made.postIds[0]!, reporters };
}

export async function auditOf(targetType: string, targetId: string | number) {
  return db.auditEntry.findMany({ where: { targetType, targetId: String(targetId) }, orderBy: { id: "asc" } });
}

export const detailsOf = (entry: { details: string }) => JSON.parse(entry.details) as Record<string, unknown>;
