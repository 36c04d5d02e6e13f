// A deleted member's announcement subscriptions. Lists are keyed by address,
// not by account, so the member's rows are those of their address and of the
// address they were changing to, matched case-insensitively (emailKey is the
// lower-cased address). Every status goes: active, pending and unsubscribed
// rows all hold the address. With them go the delivery records of the
// announcements sent to them and those emails, still in the outbox.
import type { Prisma } from "~/generated/prisma/client";

type Tx = Prisma.TransactionClient;

/** Returns the addresses as the subscriptions spelled them, so other mail to those spellings can go too. */
export async function eraseAnnouncementSubscriptions(tx: Tx, addresses: string[]): Promise<string[]> {
  const keys = [...new Set(addresses.filter(Boolean).map((address) => address.toLowerCase()))];
  if (keys.length === 0) return [];
  const subscriptions = await tx.announcementSubscription.findMany({ where: { emailKey: { in: keys } }, select: { id: true, email: true } });
  if (subscriptions.length === 0) return [];
  const ids = subscriptions.map((subscription) => subscription.id);
  const deliveries = await tx.announcementDelivery.findMany({ where: { subscriptionId: { in: ids } }, select: { mailId: true } });
  const mailIds = deliveries.map((delivery) => delivery.mailId).filter((id): id is number => id !== null);
  await tx.announcementDelivery.deleteMany({ where: { subscriptionId: { in: ids } } });
  if (mailIds.length > 0) await tx.outgoingMail.deleteMany({ where: { id: { in: mailIds } } });
  await tx.announcementSubscription.deleteMany({ where: { id: { in: ids } } });
  return subscriptions.map((subscription) => subscription.email);
}
