import type { IncomingMessage, ServerResponse } from "node:http";
import { roomStream } from "~/chat/room-stream.server";
import { serveEventStream } from "~/events/node-sse.server";
import { topicStream } from "~/forums/topic-stream.server";
import { ensureDbReady } from "./db.server";

const ROOM_STREAM = /^\/chat\/([^/]+)\/events\.stream$/;
const TOPIC_STREAM = /^\/t\/([^/]+)\/events\.stream$/;

/**
 * Serves the live-update URLs (a room's and a topic's events.stream) written
 * straight to the socket. Returns false for any other URL, or when the room
 * or topic does not exist, so the request goes on to the app, whose route
 * modules serve the same streams (and the 404 page) the portable way.
 */
export async function serveLiveStream(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  if (req.method !== "GET") return false;
  const path = (req.url ?? "/").split("?")[0]!;
  let slug: string;
  try {
    slug = decodeURIComponent(ROOM_STREAM.exec(path)?.[1] ?? TOPIC_STREAM.exec(path)?.[1] ?? "");
  } catch {
    return false;
  }
  if (!slug) return false;
  await ensureDbReady();
  const stream = ROOM_STREAM.test(path) ? await roomStream(slug) : await topicStream(slug);
  if (!stream) return false;
  serveEventStream(req, res, stream.channel, [], stream.options);
  stream.opened?.();
  return true;
}
