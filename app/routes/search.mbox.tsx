import type { LoaderFunctionArgs } from "@remix-run/node";
import { viewerOf } from "~/archive/read.server";
import { searchMboxResponse } from "../../search/archive-exports.server";

/** The archived messages matching a search, as one mbox file. */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const q = new URL(request.url).searchParams.get("q") ?? "";
  return searchMboxResponse(q, viewerOf(context.auth?.user));
}
