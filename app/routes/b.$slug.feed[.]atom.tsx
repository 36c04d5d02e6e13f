import type { LoaderFunctionArgs } from "@remix-run/node";
import { boardFeed } from "~/forums/feeds.server";

export async function loader({ params, request }: LoaderFunctionArgs) {
  return boardFeed(request, params.slug ?? "");
}
