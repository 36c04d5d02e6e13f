import type { LoaderFunctionArgs } from "@remix-run/node";
import { roomStream } from "~/chat/room-stream.server";
import { eventStream } from "~/events/sse.server";
import { notFound } from "~/utils/http";

/**
 * A room's live stream (Server-Sent Events): new messages with their id,
 * updates to earlier ones, and presence. A reconnecting browser sends
 * Last-Event-ID (a first connection may pass ?lastEventId=<newest message it
 * shows>) and gets everything it missed first, in order, none twice
 * (app/chat/replay.server.ts). Open streams count as viewers "here now".
 * server.ts serves this URL straight to the socket (app/utils/live-streams.server.ts);
 * this route is the same stream for any other Remix server.
 */
export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const stream = await roomStream(params.slug);
  if (!stream) notFound("There is no chat room at this address.");
  const response = eventStream(request, stream.channel, [], { ...stream.options, signal: context.connectionClosed });
  stream.opened();
  return response;
}
