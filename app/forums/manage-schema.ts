// Forms of the board management page (/mod/boards), shared by server and page.
import { z } from "zod";

export const FORUM_NAME_MAX = 80;
export const BOARD_DESCRIPTION_MAX = 300;

const slug = z
  .string({ required_error: "Give it an address." })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/, "Use 1 to 50 lower-case letters, digits and hyphens.");

const fields = {
  name: z.string({ required_error: "Give it a name." }).trim().min(2, "Names have at least 2 characters.").max(FORUM_NAME_MAX, `Names have at most ${FORUM_NAME_MAX} characters.`),
  description: z.string().trim().max(BOARD_DESCRIPTION_MAX, `Keep the description under ${BOARD_DESCRIPTION_MAX} characters.`).default(""),
};

const id = z.coerce.number({ invalid_type_error: "Unknown item." }).int().positive("Unknown item.");

export const NewForumSchema = z.object({ slug, ...fields });
export const NewBoardSchema = z.object({ forumId: id, slug, ...fields });
export const EditSchema = z.object({ id, ...fields });
export const MoveSchema = z.object({ id, direction: z.enum(["up", "down"], { message: "Choose up or down." }) });
export const ArchiveSchema = z.object({ id, archived: z.enum(["yes", "no"]) });

export const AssignModeratorSchema = z.object({
  boardId: id,
  username: z.string({ required_error: "Give a username." }).trim().min(1, "Give a username.").max(60),
  reason: z.string({ required_error: "Give a reason." }).trim().min(3, "Give a reason (at least 3 characters).").max(500, "Keep the reason under 500 characters."),
});
export const RemoveModeratorSchema = z.object({
  boardId: id,
  userId: id,
  reason: z.string({ required_error: "Give a reason." }).trim().min(3, "Give a reason (at least 3 characters).").max(500, "Keep the reason under 500 characters."),
});
