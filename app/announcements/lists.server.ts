// Announcement lists: admins create and edit them (audit-logged); everyone
// can see them at /announcements.
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import type { AnnouncementListInput } from "./list-schema";

export async function listAnnouncementLists() {
  return db.announcementList.findMany({ orderBy: { name: "asc" }, select: { id: true, slug: true, name: true, description: true } });
}

export async function findAnnouncementList(slug: string) {
  return db.announcementList.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, description: true } });
}

/** Every list with its subscriber counts by status, for the admin page. */
export async function listAnnouncementListsWithCounts() {
  const [lists, groups] = await Promise.all([
    listAnnouncementLists(),
    db.announcementSubscription.groupBy({ by: ["listId", "status"], _count: { _all: true } }),
  ]);
  return lists.map((list) => {
    const count = (status: string) => groups.find((g) => g.listId === list.id && g.status === status)?._count._all ?? 0;
    return { ...list, active: count("active"), pending: count("pending") };
  });
}

type SaveResult = { ok: true; slug: string } | { ok: false; fieldErrors: Record<string, string[]> };

const slugTaken = { ok: false as const, fieldErrors: { slug: ["Another list uses this address. Please choose another."] } };

export async function createAnnouncementList(actorId: number, input: AnnouncementListInput): Promise<SaveResult> {
  try {
    const list = await db.$transaction(async (tx) => {
      const list = await tx.announcementList.create({ data: input, select: { id: true, slug: true } });
      await recordAudit({ actorId, action: "announcement.list-create", targetType: "announcement-list", targetId: list.id, details: { slug: list.slug } }, tx);
      return list;
    });
    return { ok: true, slug: list.slug };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return slugTaken;
    throw error;
  }
}

export async function updateAnnouncementList(actorId: number, listId: number, input: AnnouncementListInput): Promise<SaveResult> {
  try {
    const list = await db.$transaction(async (tx) => {
      const before = await tx.announcementList.findUniqueOrThrow({ where: { id: listId }, select: { slug: true, name: true, description: true } });
      const list = await tx.announcementList.update({ where: { id: listId }, data: input, select: { id: true, slug: true } });
      const changed = (Object.keys(input) as (keyof AnnouncementListInput)[]).filter((key) => before[key] !== input[key]);
      await recordAudit(
        { actorId, action: "announcement.list-edit", targetType: "announcement-list", targetId: list.id, details: { slug: list.slug, changed } },
        tx,
      );
      return list;
    });
    return { ok: true, slug: list.slug };
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") return slugTaken;
    throw error;
  }
}
