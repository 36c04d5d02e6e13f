// Incremental threading for a database-backed importer: messages arrive one
// at a time and out of order (IMAP UIDs, several mbox files), so the whole
// forest cannot be rebuilt for each one.
//
// Storage model: every Message-ID the importer has seen, as a message or only
// as a reference, is a node with a parent pointer. A referenced-but-missing
// message is a placeholder node. planParent() says where ONE new message goes
// and which placeholders to create; the importer applies that in one
// transaction:
//   1. insert `createPlaceholders` in the order given (ancestors first);
//   2. apply `reparent` (parentless nodes that the References chain places);
//   3. store the message with `parentMessageId` and `claimsParent`. When a
//      placeholder with the message's Message-ID already exists, the importer
//      turns THAT ROW into the message (same key) instead of inserting a new
//      one: the children that arrived earlier and hang under the placeholder
//      are thereby re-attached to their real parent with no further work, and
//      its parent pointer is simply overwritten with `parentMessageId`;
//   4. merge thread ids: the subtree under the message joins the thread of its
//      new root (a placeholder-rooted thread may merge with another one).
// Placeholders that end up without children can be deleted lazily; rendering
// should skip them. Duplicate Message-IDs are the importer's business (the
// archive keeps one row per Message-ID): call planParent only for new ids.

import { ancestorChain, claimedParent, type ThreadInput } from "./thread-parent.ts";

export interface StoredThreadNode {
  kind: "message" | "placeholder";
  parentMessageId: string | null;
  /** The stored message named a parent itself. Always false for placeholders. */
  claimsParent: boolean;
}

export interface ThreadStore {
  get(messageId: string): StoredThreadNode | undefined | Promise<StoredThreadNode | undefined>;
}

export interface ParentPlan {
  parentMessageId: string | null;
  claimsParent: boolean;
  /** Placeholders to insert, ancestors first. */
  createPlaceholders: Array<{ messageId: string; parentMessageId: string | null }>;
  /** Existing parentless, unclaimed nodes that the References chain now places. */
  reparent: Array<{ messageId: string; parentMessageId: string }>;
  /** The named parent was refused because it sits below this message already. */
  loopAvoided: boolean;
}

const MAX_WALK = 100_000; // deeper than any real thread; guards corrupt cyclic data

/** True when `ancestorId` is `id` or one of its stored ancestors. */
async function isAtOrBelow(store: ThreadStore, id: string, ancestorId: string): Promise<boolean> {
  let current: string | null = id;
  for (let steps = 0; current !== null && steps < MAX_WALK; steps++) {
    if (current === ancestorId) return true;
    current = (await store.get(current))?.parentMessageId ?? null;
  }
  return current !== null; // walk limit hit: treat as a loop, the safe answer
}

export async function planParent(message: ThreadInput, store: ThreadStore): Promise<ParentPlan> {
  const self = await store.get(message.messageId);
  const parentId = claimedParent(message);
  const plan: ParentPlan = {
    // A message that names no parent keeps the one its placeholder was given
    // from other messages' References, exactly as batch threading does.
    parentMessageId: parentId ?? (self?.kind === "placeholder" ? self.parentMessageId : null),
    claimsParent: parentId !== null,
    createPlaceholders: [],
    reparent: [],
    loopAvoided: false,
  };
  if (parentId === null) return plan;

  const created = new Map<string, { messageId: string; parentMessageId: string | null }>();
  const chain = ancestorChain(message);
  let lowerId = message.messageId;
  for (let i = chain.length - 1; i >= 0; i--) {
    const upperId = chain[i] as string;
    const upper = await store.get(upperId);
    if (upper && (await isAtOrBelow(store, upperId, lowerId) || await isAtOrBelow(store, upperId, message.messageId))) {
      if (lowerId === message.messageId) {
        plan.parentMessageId = null;
        plan.loopAvoided = true;
      }
      break;
    }
    const pendingLower = created.get(lowerId);
    if (lowerId === message.messageId) plan.parentMessageId = upperId;
    else if (pendingLower) pendingLower.parentMessageId = upperId;
    else plan.reparent.push({ messageId: lowerId, parentMessageId: upperId });
    if (!upper) {
      created.set(upperId, { messageId: upperId, parentMessageId: null });
    } else if (upper.parentMessageId !== null || upper.claimsParent) {
      break; // its place is already known; References of others do not move it
    }
    lowerId = upperId;
  }
  plan.createPlaceholders = [...created.values()].reverse();
  return plan;
}
