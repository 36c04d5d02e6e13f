// Members report an archived message or ask for its takedown; the report joins
// the moderation queue with a snapshot of the message as it was.
import { Prisma } from "~/generated/prisma/client";
import { db } from "~/utils/db.server";

const SNAPSHOT_TEXT_MAX = 4000;

export async function reportMessage(reporterId: number, messageRowId: number, reason: string) {
  const message = await db.mailMessage.findUnique({
    where: { id: messageRowId },
    select: { id: true, publicId: true, subject: true, fromName: true, date: true, textBody: true, kind: true, list: { select: { slug: true } } },
  });
  if (!message || message.kind !== "message") return { ok: false as const, status: 404, message: "That message does not exist." };
  const snapshot = JSON.stringify({
    list: message.list.slug,
    publicId: message.publicId,
    subject: message.subject,
    from: message.fromName,
    date: message.date?.toISOString() ?? null,
    raw: message.textBody.slice(0, SNAPSHOT_TEXT_MAX),
    at: new Date().toISOString(),
  });
  try {
    await db.report.create({ data: { targetType: "mail", targetId: message.id, reporterId, reason, snapshot } });
    return { ok: true as const };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false as const, status: 409, message: "You have already reported this message. Moderators will look at it." };
    }
    throw error;
  }
}
