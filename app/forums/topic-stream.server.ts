import type { LiveStreamOptions } from "~/events/live-stream.server";
import { getTopic } from "./read.server";

/** A topic's live stream: "post" when a reply arrives, "edit" when one changes. Null when there is no such topic. */
export async function topicStream(idParam: string | undefined): Promise<{ channel: string; options: LiveStreamOptions; opened?: () => void } | null> {
  const id = Number(idParam);
  const topic = Number.isSafeInteger(id) && id > 0 ? await getTopic(id) : null;
  return topic ? { channel: `topic:${topic.id}`, options: {} } : null;
}
