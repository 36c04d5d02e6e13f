// Watched words in chat. Chat is live: a message approved an hour later would
// answer a conversation that has moved on, so a "hold" word refuses the
// message (like "block") and asks the member to rephrase; "flag" sends it and
// files a report.
import { blockedMessage, screenTexts, type WatchedHit } from "~/antispam/watched-words.server";

export type ChatScreening = { ok: true; flag: WatchedHit | null } | { ok: false; status: 400; field: "body"; message: string };

export async function chatWatchedWordRefusal(text: string): Promise<ChatScreening> {
  const hit = await screenTexts([{ field: "body", text }]);
  if (!hit) return { ok: true, flag: null };
  if (hit.action === "flag") return { ok: true, flag: hit };
  return { ok: false, status: 400, field: "body", message: blockedMessage(hit) };
}
