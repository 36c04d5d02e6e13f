// One step every new post goes through before it is written: watched words
// (block refuses, hold and flag are noted), then the new-member hold.
import { newMemberHoldReason } from "./hold.server";
import { blockedMessage, screenTexts, type WatchedHit } from "./watched-words.server";

export type Screening =
  | { ok: false; status: 400; field: string; message: string }
  | { ok: true; holdReason: string | null; flag: WatchedHit | null };

export async function screenNewPost(actor: { id: number; role: string }, texts: { field: string; text: string }[], options: { newMemberRules: boolean }): Promise<Screening> {
  const hit = await screenTexts(texts);
  if (hit?.action === "block") return { ok: false, status: 400, field: hit.field, message: blockedMessage(hit) };
  if (hit?.action === "hold") return { ok: true, holdReason: `Watched word: ${hit.word}`, flag: null };
  const holdReason = options.newMemberRules ? await newMemberHoldReason(actor, texts.map((t) => t.text)) : null;
  return { ok: true, holdReason, flag: hit?.action === "flag" ? hit : null };
}
