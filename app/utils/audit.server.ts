import type { Prisma } from "~/generated/prisma/client";
import { db } from "./db.server";

type Client = Prisma.TransactionClient | typeof db;

/**
 * Records a moderator or admin action. Callers pass ids and short reasons,
 * never personal data; `client` lets the entry share the action's transaction.
 * Returns the entry's id.
 */
export async function recordAudit(
  entry: { actorId: number | null; action: string; targetType: string; targetId: string | number; reason?: string; details?: Record<string, unknown> },
  client: Client = db,
) {
  const created = await client.auditEntry.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      targetType: entry.targetType,
      targetId: String(entry.targetId),
      reason: entry.reason ?? "",
      details: JSON.stringify(entry.details ?? {}),
    },
    select: { id: true },
  });
  return created.id;
}
