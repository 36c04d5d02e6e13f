import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getTopic, pageOfPost } from "~/forums/read.server";
import { db } from "~/utils/db.server";
import { notFound } from "~/utils/http";

/**
 * /t/<id>/<slug>/<n>: the page of the topic that holds post n, scrolled to
 * it. Posts that moved (split, merge) are followed to where they are now.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  const number = Number(params.number);
  if (!Number.isSafeInteger(id) || id < 1 || !Number.isSafeInteger(number) || number < 1) notFound("This post does not exist.");
  const moved = await db.postRedirect.findUnique({ where: { fromTopicId_fromNumber: { fromTopicId: id, fromNumber: number } }, select: { postId: true } });
  let target: { topicId: number; number: number } | null = null;
  if (moved) target = await db.post.findUnique({ where: { id: moved.postId }, select: { topicId: true, number: true } });
  const topic = await getTopic(target?.topicId ?? id);
  if (!topic) notFound("This post does not exist.");
  const finalNumber = target?.number ?? number;
  const page = await pageOfPost(topic.id, finalNumber);
  const query = page > 1 ? `?page=${page}` : "";
  throw redirect(`/t/${topic.id}/${topic.slug}${query}#post-${finalNumber}`, moved ? 301 : 302);
}
