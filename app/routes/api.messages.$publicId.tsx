import type { LoaderFunctionArgs } from "@remix-run/node";
import { jsonResult, messageJson } from "~/archive/api.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  return jsonResult(await messageJson(context.auth?.user, params.publicId));
}
