import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventStream } from "~/events/sse.server";
import { getTopic } from "~/forums/read.server";
import { notFound } from "~/utils/http";

/** Server-Sent Events for one topic: "post" when a reply arrives, "edit" when one changes. */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const id = Number(params.id);
  const topic = Number.isSafeInteger(id) && id > 0 ? await getTopic(id) : null;
  if (!topic) notFound();
  return eventStream(request, `topic:${topic.id}`, [], { signal: context.connectionClosed });
}
