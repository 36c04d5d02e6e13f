// The forms of /mod/boards: one Zod schema per intent, field errors with
// status 400, then one call into the management modules.
import { data } from "@remix-run/node";
import type { z } from "zod";
import { failure, parseForm, type FormFailure } from "~/utils/forms";
import { assignBoardModerator, removeBoardModerator } from "./board-moderators.server";
import { createBoard, createForum, moveBoard, moveForum, setBoardArchived, setForumArchived, updateBoard, updateForum, type ManageResult } from "./manage-boards.server";
import { ArchiveSchema, AssignModeratorSchema, EditSchema, MoveSchema, NewBoardSchema, NewForumSchema, RemoveModeratorSchema } from "./manage-schema";

export type ManageOutcome = { ok: true; form: string; message: string } | (FormFailure & { form: string });

type Actor = { id: number };

const HANDLERS = {
  "forum-create": [NewForumSchema, (a: Actor, d: z.infer<typeof NewForumSchema>) => createForum(a, d)],
  "forum-edit": [EditSchema, (a: Actor, d: z.infer<typeof EditSchema>) => updateForum(a, d.id, d)],
  "forum-move": [MoveSchema, (a: Actor, d: z.infer<typeof MoveSchema>) => moveForum(a, d.id, d.direction)],
  "forum-archive": [ArchiveSchema, (a: Actor, d: z.infer<typeof ArchiveSchema>) => setForumArchived(a, d.id, d.archived === "yes")],
  "board-create": [NewBoardSchema, (a: Actor, d: z.infer<typeof NewBoardSchema>) => createBoard(a, d)],
  "board-edit": [EditSchema, (a: Actor, d: z.infer<typeof EditSchema>) => updateBoard(a, d.id, d)],
  "board-move": [MoveSchema, (a: Actor, d: z.infer<typeof MoveSchema>) => moveBoard(a, d.id, d.direction)],
  "board-archive": [ArchiveSchema, (a: Actor, d: z.infer<typeof ArchiveSchema>) => setBoardArchived(a, d.id, d.archived === "yes")],
  "moderator-add": [AssignModeratorSchema, (a: Actor, d: z.infer<typeof AssignModeratorSchema>) => assignBoardModerator(a, d.boardId, d.username, d.reason)],
  "moderator-remove": [RemoveModeratorSchema, (a: Actor, d: z.infer<typeof RemoveModeratorSchema>) => removeBoardModerator(a, d.boardId, d.userId, d.reason)],
} as const;

type Intent = keyof typeof HANDLERS;
const isIntent = (value: unknown): value is Intent => typeof value === "string" && Object.hasOwn(HANDLERS, value);

/** Which form sent it ("board-edit:12"), so the page shows errors beside that form. */
function formOf(formData: FormData, intent: string) {
  const id = formData.get("id") ?? formData.get("boardId") ?? formData.get("forumId");
  return typeof id === "string" && id ? `${intent}:${id}` : intent;
}

/** Handles one form of the board management page. The caller has checked the actor is a moderator. */
export async function handleBoardManagementForm(actor: Actor, formData: FormData) {
  const intent = formData.get("intent");
  if (!isIntent(intent)) return data<ManageOutcome>({ ...failure(formData, {}, ["Unknown action."]), form: "unknown" }, { status: 400 });
  const form = formOf(formData, intent);
  const [schema, run] = HANDLERS[intent];
  const parsed = parseForm(schema, formData);
  if (!parsed.ok) return data<ManageOutcome>({ ...parsed, form }, { status: 400 });
  const result: ManageResult = await (run as (a: Actor, d: unknown) => Promise<ManageResult>)(actor, parsed.data);
  if (result.ok) return data<ManageOutcome>({ ok: true, form, message: result.message });
  const fields = result.field ? { [result.field]: [result.message] } : {};
  return data<ManageOutcome>({ ...failure(formData, fields, result.field ? [] : [result.message]), form }, { status: result.status });
}
