import type { LoaderFunctionArgs } from "@remix-run/node";
import { listJsonBySlug } from "~/archive/api.server";

export async function loader({ params, context }: LoaderFunctionArgs) {
  return Response.json(await listJsonBySlug(context.auth?.user, params.slug));
}
