import type { LoaderFunctionArgs } from "@remix-run/node";
import { forumsJson } from "~/forums/api.server";

export async function loader({ context }: LoaderFunctionArgs) {
  return Response.json(await forumsJson(context.auth?.user));
}
