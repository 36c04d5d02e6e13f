import type { LoaderFunctionArgs } from "@remix-run/node";
import { searchFeedResponse } from "../../search/archive-exports.server";

/** Follow an archive search: its newest matching messages as Atom. */
export async function loader({ request }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return searchFeedResponse(request, q);
}
