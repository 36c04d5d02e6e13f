import { z } from "zod";
import { BODY_MAX, REASON_MAX, TITLE_MAX, TITLE_MIN } from "./limits";

const body = z
  .string({ required_error: "Write something first." })
  .trim()
  .min(1, "Write something first.")
  .max(BODY_MAX, `This post is too long: at most ${BODY_MAX.toLocaleString("en")} characters.`);

const title = z
  .string({ required_error: "Give your topic a title." })
  .trim()
  .min(TITLE_MIN, `Titles have at least ${TITLE_MIN} characters.`)
  .max(TITLE_MAX, `Titles have at most ${TITLE_MAX} characters.`);

/** Fields every composer sends besides its text. */
const safeguards = {
  submissionId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional(),
  acknowledgePublic: z.literal("yes").optional(),
  confirmPersonalData: z.string().max(64).optional(),
};

export const NewTopicSchema = z.object({ title, body, ...safeguards });
export const ReplySchema = z.object({ body, replyTo: z.coerce.number().int().positive().optional(), ...safeguards });
export const EditPostSchema = z.object({ body, confirmPersonalData: safeguards.confirmPersonalData });
export const ReasonSchema = z.object({
  reason: z.string({ required_error: "Give a reason." }).trim().min(3, "Give a reason (at least 3 characters).").max(REASON_MAX, `Keep the reason under ${REASON_MAX} characters.`),
});
