import type { LoaderFunctionArgs } from "@remix-run/node";
import { topicFeed } from "~/forums/feeds.server";
import { notFound } from "~/utils/http";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id < 1) notFound();
  return topicFeed(request, id);
}
