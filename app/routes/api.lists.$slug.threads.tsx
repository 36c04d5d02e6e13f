import type { LoaderFunctionArgs } from "@remix-run/node";
import { listThreadsJson } from "~/archive/api.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const page = new URL(request.url).searchParams.get("page");
  return Response.json(await listThreadsJson(context.auth?.user, params.slug, page));
}
