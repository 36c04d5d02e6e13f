import type { LoaderFunctionArgs } from "@remix-run/node";
import { loadViews } from "~/chat/view.server";
import { notFound } from "~/utils/http";

/**
 * One chat message as JSON, in the shape the live stream sends. Browsers
 * fetch it when a stream event was too large to carry the message itself.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  const [view] = Number.isSafeInteger(id) && id > 0 ? await loadViews({ id }) : [];
  if (!view) notFound("This message does not exist.");
  return Response.json(view);
}
