import type { LoaderFunctionArgs } from "@remix-run/node";
import { listsJson } from "~/archive/api.server";

export async function loader({ context }: LoaderFunctionArgs) {
  return Response.json(await listsJson(context.auth?.user));
}
