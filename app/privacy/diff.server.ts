// What changed between two versions, word by word, on the Markdown source
// (what the admin wrote). Parts are plain text: the page renders them as
// React text inside <ins>/<del>, so nothing in a policy becomes markup here.
import { diffWordsWithSpace } from "diff";

export type DiffPart = { kind: "same" | "added" | "removed"; text: string };

export function diffPolicies(previous: string, next: string): { parts: DiffPart[]; added: number; removed: number } {
  const parts: DiffPart[] = [];
  let added = 0;
  let removed = 0;
  for (const change of diffWordsWithSpace(previous, next)) {
    const kind = change.added ? "added" : change.removed ? "removed" : "same";
    const words = change.value.split(/\s+/).filter(Boolean).length;
    if (kind === "added") added += words;
    if (kind === "removed") removed += words;
    const last = parts[parts.length - 1];
    if (last && last.kind === kind) last.text += change.value;
    else parts.push({ kind, text: change.value });
  }
  return { parts, added, removed };
}
