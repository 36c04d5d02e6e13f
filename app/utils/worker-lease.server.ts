// Named leases in WorkerLease: the holder of a lease is the one process that
// drains a given queue (search outbox, outgoing mail). A lease that is not
// renewed expires, so a crashed process never blocks the others for long.
import { db } from "./db.server";

/** Takes or renews a lease; false when another live process holds it. */
export async function takeLease(name: string, holder: string, durationMs: number, now = new Date()): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + durationMs);
  const taken = await db.workerLease.updateMany({
    where: { name, OR: [{ holder }, { expiresAt: { lt: now } }] },
    data: { holder, expiresAt },
  });
  if (taken.count > 0) return true;
  try {
    await db.workerLease.create({ data: { name, holder, expiresAt } });
    return true;
  } catch {
    return false; // someone else holds it (unique name)
  }
}

export async function dropLease(name: string, holder: string): Promise<void> {
  await db.workerLease.deleteMany({ where: { name, holder } });
}
