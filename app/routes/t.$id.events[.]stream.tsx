import type { LoaderFunctionArgs } from "@remix-run/node";
import { eventStream } from "~/events/sse.server";
import { topicStream } from "~/forums/topic-stream.server";
import { notFound } from "~/utils/http";

/**
 * Server-Sent Events for one topic: "post" when a reply arrives, "edit" when
 * one changes. server.ts serves this URL straight to the socket
 * (app/utils/live-streams.server.ts); this route is the same stream for any
 * other Remix server.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const stream = await topicStream(params.id);
  if (!stream) notFound();
  return eventStream(request, stream.channel, [], { ...stream.options, signal: context.connectionClosed });
}
