import type { LoaderFunctionArgs } from "@remix-run/node";
import { listFeed } from "~/archive/feed.server";

export async function loader({ params, request }: LoaderFunctionArgs) {
  return listFeed(request, params.slug);
}
