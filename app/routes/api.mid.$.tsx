import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonResult, midJson } from "~/archive/api.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  // From the raw path, so Message-IDs with an encoded "/" survive.
  const raw = new URL(request.url).pathname.replace(/^\/api\/mid\/?/, "");
  return jsonResult(await midJson(context.auth?.user, raw));
}
