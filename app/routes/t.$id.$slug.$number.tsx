import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getTopic, POSTS_PER_PAGE } from "~/forums/read.server";
import { notFound } from "~/utils/http";

/** /t/<id>/<slug>/<n>: the page of the topic that holds post n, scrolled to it. */
export async function loader({ params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  const number = Number(params.number);
  const topic = Number.isSafeInteger(id) && id > 0 ? await getTopic(id) : null;
  if (!topic || !Number.isSafeInteger(number) || number < 1) notFound("This post does not exist.");
  const page = Math.ceil(Math.min(number, topic.postCount) / POSTS_PER_PAGE);
  const query = page > 1 ? `?page=${page}` : "";
  throw redirect(`/t/${topic.id}/${topic.slug}${query}#post-${number}`);
}
