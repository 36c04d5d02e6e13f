import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getTopic, pageOfPost } from "~/forums/read.server";
import { firstUnreadNumber } from "~/forums/reading.server";
import { notFound } from "~/utils/http";

/** "Jump to first unread": the first post after where the member stopped reading. */
export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = Number(params.id);
  const topic = Number.isSafeInteger(id) && id > 0 ? await getTopic(id) : null;
  if (!topic) notFound("This topic does not exist.");
  const user = context.auth?.user;
  const number = user ? await firstUnreadNumber(user.id, topic.id) : null;
  if (!number) throw redirect(`/t/${topic.id}/${topic.slug}`);
  const page = await pageOfPost(topic.id, number);
  throw redirect(`/t/${topic.id}/${topic.slug}${page > 1 ? `?page=${page}` : ""}#post-${number}`);
}
