// Forum and board management for moderators and admins (/mod/boards):
// create, rename and describe, reorder, archive. Every change is audited in
// the same transaction as the write.
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { reorder, type Direction } from "./ordering.server";

type Actor = { id: number };
type Fields = { name: string; description: string };
export type ManageResult = { ok: true; message: string } | { ok: false; status: number; field?: string; message: string };

const taken = (error: unknown) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";

/** Every forum and board, archived and hidden ones too, in display order. */
export async function listForumsForManagement() {
  return db.forum.findMany({
    orderBy: [{ position: "asc" }, { id: "asc" }],
    select: {
      id: true, slug: true, name: true, description: true, archivedAt: true,
      boards: {
        orderBy: [{ position: "asc" }, { id: "asc" }],
        select: {
          id: true, slug: true, name: true, description: true, archivedAt: true, hiddenAt: true, topicCount: true,
          moderators: { orderBy: { createdAt: "asc" }, select: { user: { select: { id: true, username: true } } } },
        },
      },
    },
  });
}

async function nextPosition(forumId: number | null) {
  const last = forumId === null
    ? await db.forum.findFirst({ orderBy: { position: "desc" }, select: { position: true } })
    : await db.board.findFirst({ where: { forumId }, orderBy: { position: "desc" }, select: { position: true } });
  return (last?.position ?? -1) + 1;
}

export async function createForum(actor: Actor, input: Fields & { slug: string }): Promise<ManageResult> {
  try {
    const position = await nextPosition(null);
    await db.$transaction(async (tx) => {
      const forum = await tx.forum.create({ data: { ...input, position } });
      await recordAudit({ actorId: actor.id, action: "forum.create", targetType: "forum", targetId: forum.id, details: { slug: forum.slug, name: forum.name } }, tx);
    });
    return { ok: true, message: `Forum “${input.name}” created.` };
  } catch (error) {
    if (taken(error)) return { ok: false, status: 400, field: "slug", message: "A forum already has this address." };
    throw error;
  }
}

export async function createBoard(actor: Actor, input: Fields & { slug: string; forumId: number }): Promise<ManageResult> {
  const forum = await db.forum.findUnique({ where: { id: input.forumId }, select: { id: true } });
  if (!forum) return { ok: false, status: 400, field: "forumId", message: "Choose a forum." };
  try {
    const position = await nextPosition(forum.id);
    await db.$transaction(async (tx) => {
      const board = await tx.board.create({ data: { ...input, position } });
      await recordAudit({ actorId: actor.id, action: "board.create", targetType: "board", targetId: board.id, details: { slug: board.slug, name: board.name, forumId: forum.id } }, tx);
    });
    return { ok: true, message: `Board “${input.name}” created.` };
  } catch (error) {
    if (taken(error)) return { ok: false, status: 400, field: "slug", message: "A board already has this address." };
    throw error;
  }
}

function changes(before: Fields, after: Fields) {
  return Object.fromEntries(
    (["name", "description"] as const).filter((key) => before[key] !== after[key]).map((key) => [key, { from: before[key], to: after[key] }]),
  );
}

export async function updateForum(actor: Actor, id: number, input: Fields): Promise<ManageResult> {
  const before = await db.forum.findUnique({ where: { id }, select: { slug: true, name: true, description: true } });
  if (!before) return { ok: false, status: 404, message: "That forum does not exist." };
  const changed = changes(before, input);
  if (Object.keys(changed).length === 0) return { ok: true, message: "Nothing changed." };
  await db.$transaction(async (tx) => {
    await tx.forum.update({ where: { id }, data: input });
    await recordAudit({ actorId: actor.id, action: "forum.edit", targetType: "forum", targetId: id, details: { slug: before.slug, ...changed } }, tx);
  });
  return { ok: true, message: `Forum “${input.name}” saved.` };
}

export async function updateBoard(actor: Actor, id: number, input: Fields): Promise<ManageResult> {
  const before = await db.board.findUnique({ where: { id }, select: { slug: true, name: true, description: true } });
  if (!before) return { ok: false, status: 404, message: "That board does not exist." };
  const changed = changes(before, input);
  if (Object.keys(changed).length === 0) return { ok: true, message: "Nothing changed." };
  await db.$transaction(async (tx) => {
    await tx.board.update({ where: { id }, data: input });
    await recordAudit({ actorId: actor.id, action: "board.edit", targetType: "board", targetId: id, details: { slug: before.slug, ...changed } }, tx);
  });
  return { ok: true, message: `Board “${input.name}” saved.` };
}

export async function moveForum(actor: Actor, id: number, direction: Direction): Promise<ManageResult> {
  const forums = await db.forum.findMany({ orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true, slug: true } });
  const order = reorder(forums.map((f) => f.id), id, direction);
  if (!order) return { ok: false, status: 400, message: forums.some((f) => f.id === id) ? `That forum is already at the ${direction === "up" ? "top" : "bottom"}.` : "That forum does not exist." };
  await db.$transaction(async (tx) => {
    for (const [position, forumId] of order.entries()) await tx.forum.update({ where: { id: forumId }, data: { position } });
    await recordAudit({ actorId: actor.id, action: "forum.move", targetType: "forum", targetId: id, details: { slug: forums.find((f) => f.id === id)!.slug, direction, position: order.indexOf(id) } }, tx);
  });
  return { ok: true, message: `Forum moved ${direction}.` };
}

export async function moveBoard(actor: Actor, id: number, direction: Direction): Promise<ManageResult> {
  const board = await db.board.findUnique({ where: { id }, select: { forumId: true, slug: true } });
  if (!board) return { ok: false, status: 404, message: "That board does not exist." };
  const siblings = await db.board.findMany({ where: { forumId: board.forumId }, orderBy: [{ position: "asc" }, { id: "asc" }], select: { id: true } });
  const order = reorder(siblings.map((b) => b.id), id, direction);
  if (!order) return { ok: false, status: 400, message: `That board is already at the ${direction === "up" ? "top" : "bottom"} of its forum.` };
  await db.$transaction(async (tx) => {
    for (const [position, boardId] of order.entries()) await tx.board.update({ where: { id: boardId }, data: { position } });
    await recordAudit({ actorId: actor.id, action: "board.move", targetType: "board", targetId: id, details: { slug: board.slug, direction, position: order.indexOf(id) } }, tx);
  });
  return { ok: true, message: `Board moved ${direction}.` };
}

/** Archived forums and boards stay readable and take no new topics or replies. */
export async function setForumArchived(actor: Actor, id: number, archived: boolean): Promise<ManageResult> {
  const forum = await db.forum.findUnique({ where: { id }, select: { slug: true, name: true } });
  if (!forum) return { ok: false, status: 404, message: "That forum does not exist." };
  await db.$transaction(async (tx) => {
    await tx.forum.update({ where: { id }, data: { archivedAt: archived ? new Date() : null } });
    await recordAudit({ actorId: actor.id, action: archived ? "forum.archive" : "forum.unarchive", targetType: "forum", targetId: id, details: { slug: forum.slug } }, tx);
  });
  return { ok: true, message: `Forum “${forum.name}” ${archived ? "archived" : "reopened"}.` };
}

export async function setBoardArchived(actor: Actor, id: number, archived: boolean): Promise<ManageResult> {
  const board = await db.board.findUnique({ where: { id }, select: { slug: true, name: true } });
  if (!board) return { ok: false, status: 404, message: "That board does not exist." };
  await db.$transaction(async (tx) => {
    await tx.board.update({ where: { id }, data: { archivedAt: archived ? new Date() : null } });
    await recordAudit({ actorId: actor.id, action: archived ? "board.archive" : "board.unarchive", targetType: "board", targetId: id, details: { slug: board.slug } }, tx);
  });
  return { ok: true, message: `Board “${board.name}” ${archived ? "archived" : "reopened"}.` };
}

/** Is a board closed to new topics and replies because it or its forum is archived? */
export const isArchivedBoard = (board: { archivedAt: Date | null; forum: { archivedAt: Date | null } }) => Boolean(board.archivedAt || board.forum.archivedAt);
