// What admins see at /admin/outbox: every outgoing message, newest first.
import { db } from "~/utils/db.server";

export const OUTBOX_PAGE_SIZE = 25;

export async function listOutbox(page: number) {
  const [total, rows] = await Promise.all([
    db.outgoingMail.count(),
    db.outgoingMail.findMany({
      orderBy: { id: "desc" },
      skip: (page - 1) * OUTBOX_PAGE_SIZE,
      take: OUTBOX_PAGE_SIZE,
      select: { id: true, kind: true, toAddress: true, subject: true, status: true, attempts: true, createdAt: true, sentAt: true, lastError: true },
    }),
  ]);
  return { total, lastPage: Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE)), rows };
}

export async function readOutboxMail(id: number) {
  return db.outgoingMail.findUnique({ where: { id } });
}
