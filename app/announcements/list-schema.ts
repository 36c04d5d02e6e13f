// The announcement-list form, shared by the admin pages (server and client).
import { z } from "zod";

/** Slugs that are pages of their own under /announcements. */
export const RESERVED_LIST_SLUGS = ["confirm", "unsubscribe"];

export const AnnouncementListSchema = z.object({
  slug: z
    .string({ required_error: "Enter a short name for the address." })
    .trim()
    .min(2, "At least 2 characters.")
    .max(40, "At most 40 characters.")
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Lower-case letters, digits and single hyphens, e.g. threadline-news.")
    .refine((slug) => !RESERVED_LIST_SLUGS.includes(slug), "That name is reserved. Please choose another."),
  name: z.string({ required_error: "Enter a name." }).trim().min(2, "At least 2 characters.").max(80, "At most 80 characters."),
  description: z.string().trim().max(500, "At most 500 characters.").default(""),
});

export type AnnouncementListInput = z.infer<typeof AnnouncementListSchema>;

export const AnnouncementDraftSchema = z.object({
  subject: z
    .string({ required_error: "Enter a subject." })
    .trim()
    .min(3, "At least 3 characters.")
    .max(150, "At most 150 characters.")
    .refine((subject) => !/[\r\n]/.test(subject), "One line only."),
  markdown: z.string({ required_error: "Write the announcement." }).trim().min(1, "Write the announcement.").max(50_000, "At most 50,000 characters."),
});

export type AnnouncementDraftInput = z.infer<typeof AnnouncementDraftSchema>;

/** How long a welcome email's confirmation link works; unconfirmed subscriptions are purged after it. */
export const CONFIRM_DAYS = 7;
