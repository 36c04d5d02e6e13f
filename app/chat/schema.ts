import { z } from "zod";
import { CHAT_MESSAGE_MAX, MUTE_MAX_MINUTES, ROOM_DESCRIPTION_MAX, ROOM_NAME_MAX, SLOW_MODE_MAX_SECONDS } from "./limits";

export const chatBody = z
  .string({ required_error: "Write a message first." })
  .trim()
  .min(1, "Write a message first.")
  .max(CHAT_MESSAGE_MAX, `This message is too long: at most ${CHAT_MESSAGE_MAX.toLocaleString("en")} characters. Split it up, or start a forum topic.`);

export const ChatMessageSchema = z.object({
  body: chatBody,
  replyTo: z.coerce.number().int().positive().optional(),
  submissionId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
  acknowledgePublic: z.literal("yes").optional(),
  confirmPersonalData: z.string().max(64).optional(),
});

export const EditChatMessageSchema = z.object({ body: chatBody, confirmPersonalData: z.string().max(64).optional() });

const reason = z.string({ required_error: "Give a reason." }).trim().min(3, "Give a reason (at least 3 characters).").max(500, "Keep the reason under 500 characters.");

export const ChatReasonSchema = z.object({ reason });

export const MuteSchema = z.object({
  minutes: z.coerce.number({ invalid_type_error: "Choose how long." }).int().min(1, "At least one minute.").max(MUTE_MAX_MINUTES, "At most 30 days."),
  reason,
});

const slug = z
  .string({ required_error: "Give the room an address." })
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "Use 1 to 40 lower-case letters, digits and hyphens.")
  .refine((value) => !RESERVED_SLUGS.has(value), "That address is reserved.");

/** Addresses under /chat/ that are pages, not rooms. */
export const RESERVED_SLUGS = new Set(["new"]);

const roomFields = {
  name: z.string({ required_error: "Give the room a name." }).trim().min(2, "Names have at least 2 characters.").max(ROOM_NAME_MAX, `Names have at most ${ROOM_NAME_MAX} characters.`),
  description: z.string().trim().max(ROOM_DESCRIPTION_MAX, `Keep the description under ${ROOM_DESCRIPTION_MAX} characters.`).default(""),
};

export const NewRoomSchema = z.object({ slug, ...roomFields });

export const RoomSettingsSchema = z.object({
  ...roomFields,
  slowModeSeconds: z.coerce.number({ invalid_type_error: "Give a number of seconds." }).int().min(0, "Zero turns slow mode off.").max(SLOW_MODE_MAX_SECONDS, "At most one hour."),
});

export const PromoteSchema = z.object({
  title: z.string({ required_error: "Give the topic a title." }).trim().min(5, "Titles have at least 5 characters.").max(150, "Titles have at most 150 characters."),
  boardId: z.coerce.number({ invalid_type_error: "Choose a board." }).int().positive("Choose a board."),
});
