import type { LoaderFunctionArgs } from "@remix-run/node";
import { threadJson } from "~/archive/api.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  return Response.json(await threadJson(context.auth?.user, params.publicId));
}
