import type { LoaderFunctionArgs } from "@remix-run/node";
import { topicJson } from "~/forums/api.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const page = new URL(request.url).searchParams.get("page");
  return Response.json(await topicJson(context.auth?.user, Number(params.id), page));
}
