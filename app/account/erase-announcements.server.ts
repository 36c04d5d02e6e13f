// A deleted member's announcement subscriptions. Lists are keyed by address,
// not by account, so the member's rows are those of their address and of the
// address they were changing to, matched case-insensitively (emailKey is the
// lower-cased address). For a confirmed address every status goes: active,
// pending and unsubscribed rows all hold the address. With them go the delivery records of the
// announcements sent to them and those emails, still in the outbox.
import type { Prisma } from "~/generated/prisma/client";

type Tx = Prisma.TransactionClient;

const keysOf = (addresses: string[]) => [...new Set(addresses.filter(Boolean).map((address) => address.toLowerCase()))];

/**
 * Every subscription of the `confirmed` addresses (the member proved they are
 * theirs) and the unconfirmed requests of the others (an unconfirmed address
 * may be someone else's, whose confirmed subscriptions must stay). Returns
 * the addresses as the subscriptions spelled them, so other mail to those
 * spellings can go too.
 */
export async function eraseAnnouncementSubscriptions(tx: Tx, addresses: { confirmed: string[]; unconfirmed: string[] }): Promise<string[]> {
  const confirmed = keysOf(addresses.confirmed);
  const unconfirmed = keysOf(addresses.unconfirmed);
  if (confirmed.length === 0 && unconfirmed.length === 0) return [];
  const subscriptions = await tx.announcementSubscription.findMany({
    where: { OR: [{ emailKey: { in: confirmed } }, { emailKey: { in: unconfirmed }, status: "pending" }] },
    select: { id: true, email: true },
  });
  if (subscriptions.length === 0) return [];
  const ids = subscriptions.map((subscription) => subscription.id);
  const deliveries = await tx.announcementDelivery.findMany({ where: { subscriptionId: { in: ids } }, select: { mailId: true } });
  const mailIds = deliveries.map((delivery) => delivery.mailId).filter((id): id is number => id !== null);
  await tx.announcementDelivery.deleteMany({ where: { subscriptionId: { in: ids } } });
  if (mailIds.length > 0) await tx.outgoingMail.deleteMany({ where: { id: { in: mailIds } } });
  await tx.announcementSubscription.deleteMany({ where: { id: { in: ids } } });
  return subscriptions.map((subscription) => subscription.email);
}
