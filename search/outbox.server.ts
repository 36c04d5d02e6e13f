// Writers call enqueueSearch() inside the transaction that changes what search
// should find, so the change and the intent to index it commit together: a
// crash or an unreachable engine loses nothing, the indexer replays the
// outbox later (search/indexer.server.ts).
import type { Prisma } from "~/generated/prisma/client";

/**
 * "post", "mail" and "chat" name one row; "topic", "list" and "room" name
 * every row under it (a topic hidden or moved, a list published, a room renamed).
 */
export type SearchOutboxKind = "post" | "topic" | "mail" | "list" | "chat" | "room";
export type SearchOutboxEntry = { kind: SearchOutboxKind; id: number };

type OutboxClient = Pick<Prisma.TransactionClient, "searchOutbox">;

export async function enqueueSearch(tx: OutboxClient, ...entries: SearchOutboxEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await tx.searchOutbox.createMany({ data: entries.map((entry) => ({ kind: entry.kind, targetId: entry.id })) });
}

/** For bulk writers (the importer) that know many ids at once. */
export async function enqueueSearchIds(tx: OutboxClient, kind: SearchOutboxKind, ids: number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    await tx.searchOutbox.createMany({ data: ids.slice(i, i + 500).map((targetId) => ({ kind, targetId })) });
  }
}
