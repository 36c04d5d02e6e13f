import type { LoaderFunctionArgs } from "@remix-run/node";
import { boardTopicsJson } from "~/forums/api.server";

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const page = new URL(request.url).searchParams.get("page");
  return Response.json(await boardTopicsJson(context.auth?.user, params.slug ?? "", page));
}
