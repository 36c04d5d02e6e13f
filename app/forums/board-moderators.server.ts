// Board moderators: members who moderate the content of particular boards.
// `canModerateBoard` is the one check every forum moderation action makes, so
// site moderators and admins (every board) and board moderators (their
// boards) go through the same door.
import type { AppLoadContext } from "@remix-run/node";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { forbidden } from "~/utils/http";
import { canModerate, type Actor } from "~/utils/permissions";
import type { SessionUser } from "~/utils/auth/session.server";
import { requireUser } from "~/utils/auth/guards.server";

/** Which boards a person moderates: every board, or the listed ones (possibly none). */
export type BoardScope = "all" | number[];

export async function moderationScope(actor: Actor): Promise<BoardScope> {
  if (canModerate(actor)) return "all";
  if (!actor) return [];
  const rows = await db.boardModerator.findMany({ where: { userId: actor.id }, select: { boardId: true } });
  return rows.map((r) => r.boardId);
}

export const scopeIncludes = (scope: BoardScope, boardId: number) => scope === "all" || scope.includes(boardId);

/** May this person hide, restore, move, lock or pin content on this board? */
export async function canModerateBoard(actor: Actor, boardId: number): Promise<boolean> {
  if (canModerate(actor)) return true;
  if (!actor) return false;
  const row = await db.boardModerator.findUnique({ where: { boardId_userId: { boardId, userId: actor.id } }, select: { id: true } });
  return row !== null;
}

/** The logged-in user if they moderate this board; a login redirect or 403 otherwise. */
export async function requireBoardModerator(request: Request, context: AppLoadContext, boardId: number): Promise<SessionUser> {
  const user = requireUser(request, context);
  if (!(await canModerateBoard(user, boardId))) forbidden();
  return user;
}

/** Pages every kind of moderator may open (/mod, the queue): site moderators and board moderators. */
export async function requireAnyModeration(request: Request, context: AppLoadContext): Promise<{ user: SessionUser; scope: BoardScope }> {
  const user = requireUser(request, context);
  const scope = await moderationScope(user);
  if (scope !== "all" && scope.length === 0) forbidden();
  return { user, scope };
}

export async function listBoardModerators(boardId: number) {
  const rows = await db.boardModerator.findMany({
    where: { boardId },
    orderBy: { createdAt: "asc" },
    select: { user: { select: { id: true, username: true, role: true } } },
  });
  return rows.map((r) => r.user);
}

type Result = { ok: true; message: string } | { ok: false; status: number; field?: string; message: string };

export async function assignBoardModerator(actor: { id: number }, boardId: number, username: string, reason: string): Promise<Result> {
  const user = await db.user.findUnique({ where: { usernameKey: username.trim().toLowerCase() }, select: { id: true, username: true, role: true } });
  if (!user) return { ok: false, status: 400, field: "username", message: "No member has that username." };
  const board = await db.board.findUnique({ where: { id: boardId }, select: { id: true, slug: true } });
  if (!board) return { ok: false, status: 404, message: "That board does not exist." };
  const existing = await db.boardModerator.findUnique({ where: { boardId_userId: { boardId, userId: user.id } }, select: { id: true } });
  if (existing) return { ok: false, status: 400, field: "username", message: `${user.username} already moderates this board.` };
  await db.$transaction(async (tx) => {
    await tx.boardModerator.create({ data: { boardId, userId: user.id, assignedById: actor.id } });
    await recordAudit({ actorId: actor.id, action: "board.moderator-add", targetType: "board", targetId: boardId, reason, details: { slug: board.slug, userId: user.id, username: user.username } }, tx);
  });
  return { ok: true, message: `${user.username} now moderates this board.` };
}

export async function removeBoardModerator(actor: { id: number }, boardId: number, userId: number, reason: string): Promise<Result> {
  const row = await db.boardModerator.findUnique({
    where: { boardId_userId: { boardId, userId } },
    select: { id: true, user: { select: { username: true } }, board: { select: { slug: true } } },
  });
  if (!row) return { ok: false, status: 404, message: "That member does not moderate this board." };
  await db.$transaction(async (tx) => {
    await tx.boardModerator.delete({ where: { id: row.id } });
    await recordAudit({ actorId: actor.id, action: "board.moderator-remove", targetType: "board", targetId: boardId, reason, details: { slug: row.board.slug, userId, username: row.user.username } }, tx);
  });
  return { ok: true, message: `${row.user.username} no longer moderates this board.` };
}
