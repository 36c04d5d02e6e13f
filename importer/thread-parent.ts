// The parent-selection rules shared by batch threading (threading.ts) and the
// incremental helper (thread-incremental.ts).

import type { ParsedMessage } from "./parse-message.ts";

export interface ThreadInput {
  /** Caller's own key (database id, position in the mbox, ...). */
  id: string;
  messageId: string;
  inReplyTo: string | null;
  /**
   * False when the In-Reply-To header held more than one bracketed id (prose,
   * comments, "; from x on ..." trailers); see parse-message.ts. Defaults to true.
   */
  inReplyToTrusted?: boolean;
  references: string[];
  normalizedSubject: string;
  date: Date;
}

/** What threading needs from a parsed message; `id` is the caller's own key. */
export function threadInputOf(
  message: Pick<ParsedMessage, "messageId" | "inReplyTo" | "inReplyToTrusted" | "references" | "normalizedSubject" | "date">,
  id: string = message.messageId,
  date: Date = message.date,
): ThreadInput {
  return {
    id,
    messageId: message.messageId,
    inReplyTo: message.inReplyTo,
    inReplyToTrusted: message.inReplyToTrusted,
    references: message.references,
    normalizedSubject: message.normalizedSubject,
    date,
  };
}

/** References without self-references, as the chain the message claims for itself. */
export function ownReferences(message: ThreadInput): string[] {
  return message.references.filter((id) => id !== message.messageId);
}

/**
 * The parent a message names for itself. A clean In-Reply-To wins over the
 * last References entry when the two disagree, as in notmuch (a mistyped
 * References entry must not orphan a reply). An In-Reply-To with extra text
 * around the id only counts when there is no References header at all.
 */
export function claimedParent(message: ThreadInput): string | null {
  const irt = message.inReplyTo !== null && message.inReplyTo !== message.messageId ? message.inReplyTo : null;
  if (irt !== null && (message.inReplyToTrusted ?? true)) return irt;
  const refs = ownReferences(message);
  return refs[refs.length - 1] ?? irt;
}

/**
 * Ancestors from the oldest to the claimed parent (inclusive). When the parent
 * came from In-Reply-To and does not appear in References, the References
 * chain describes some other branch and is not used for placement.
 */
export function ancestorChain(message: ThreadInput): string[] {
  const parent = claimedParent(message);
  if (parent === null) return [];
  const refs = ownReferences(message);
  const at = refs.lastIndexOf(parent);
  return at === -1 ? [parent] : refs.slice(0, at + 1);
}
