// The settings of an archived mailing list, as moderators enter them (web
// form or `npm run list`). Shared by lists.server.ts, the moderation console
// and the CLI, so every entry point applies the same rules and reports errors
// under the same field names.
//
// Field errors are keyed by FLAT names (the MailingList column names), so a
// form can put each message next to its input: slug, name, description,
// hostName, hostUrl, infoUrl, contact, ownershipNotice, listAddress,
// sourceType, imapHost, imapPort, imapTls, imapUser, imapPasswordEnv,
// imapMailbox.
import { z } from "zod";

export const SLUG_PATTERN = /^[a-z0-9-]{2,50}$/;
/** An environment variable NAME: the password itself never reaches the database. */
export const PASSWORD_ENV_PATTERN = /^[A-Z_][A-Z0-9_]*$/;

/** "" and whitespace-only strings count as "not given". */
const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

function optional<T extends z.ZodTypeAny>(schema: T) {
  return z.preprocess(blankToUndefined, schema.optional());
}

const webUrl = (label: string, requiredMessage = `Give ${label.replace(/^The /, "the ")}.`) =>
  z
    .string({ required_error: requiredMessage })
    .trim()
    .min(1, requiredMessage)
    .max(500, `${label} is too long (at most 500 characters).`)
    .refine((value) => {
      try {
        const url = new URL(value);
        return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
      } catch {
        return false;
      }
    }, `${label} must be a full http:// or https:// address.`);

const EMAIL = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;]+$/;

const emailAddress = (label: string) =>
  z.string().trim().max(254, `${label} is too long.`).regex(EMAIL, `${label} must be an email address such as list@example.org.`);

const HOSTNAME = /^(?=.{1,253}$)(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$|^\[?[0-9A-Fa-f:.]+\]?$/;

const ImapSourceSchema = z.object({
  type: z.literal("imap"),
  host: z
    .string({ required_error: "Give the IMAP server's host name." })
    .trim()
    .min(1, "Give the IMAP server's host name.")
    .regex(HOSTNAME, "The IMAP host must be a host name such as imap.example.org or an IP address."),
  port: z.preprocess(
    blankToUndefined,
    z.coerce
      .number({ invalid_type_error: "The IMAP port must be a number." })
      .int("The IMAP port must be a whole number.")
      .min(1, "The IMAP port must be between 1 and 65535.")
      .max(65535, "The IMAP port must be between 1 and 65535.")
      .optional(),
  ),
  tls: z.boolean().default(true),
  user: z
    .string({ required_error: "Give the IMAP user name." })
    .trim()
    .min(1, "Give the IMAP user name.")
    .max(200, "The IMAP user name is too long."),
  passwordEnv: z
    .string({ required_error: "Give the NAME of the environment variable that holds the IMAP password." })
    .trim()
    .min(1, "Give the NAME of the environment variable that holds the IMAP password.")
    .max(100, "The environment variable name is too long.")
    .regex(
      PASSWORD_ENV_PATTERN,
      "Give the NAME of an environment variable (capitals, digits and _, such as LIST_PYTHON_DEV_PASSWORD), never the password itself.",
    ),
  mailbox: z.preprocess(blankToUndefined, z.string().trim().max(200, "The mailbox name is too long.").default("INBOX")),
});

const SourceSchema = z
  .discriminatedUnion("type", [ImapSourceSchema, z.object({ type: z.literal("mbox") }), z.object({ type: z.literal("none") })], {
    errorMap: (issue, ctx) =>
      issue.code === "invalid_union_discriminator" ? { message: 'The source must be "imap", "mbox" or "none".' } : { message: ctx.defaultError },
  })
  .default({ type: "none" })
  .transform((source) => (source.type === "imap" ? { ...source, port: source.port ?? (source.tls ? 993 : 143) } : source));

export const ListSettingsSchema = z.object({
  slug: z
    .string({ required_error: "Give the list a slug." })
    .trim()
    .regex(SLUG_PATTERN, "The slug is 2 to 50 characters: lower-case letters, digits and hyphens (it appears in every archive URL)."),
  name: z.string({ required_error: "Give the list a name." }).trim().min(1, "Give the list a name.").max(120, "The name is too long (at most 120 characters)."),
  description: z.preprocess((v) => v ?? "", z.string().trim().max(2000, "The description is too long (at most 2,000 characters).")),
  hostName: z
    .string({ required_error: "Name the site that hosts the list." })
    .trim()
    .min(1, "Name the site that hosts the list.")
    .max(120, "The host name is too long (at most 120 characters)."),
  hostUrl: webUrl("The host URL", "Give the address of the site that hosts the list."),
  infoUrl: optional(webUrl("The list-info URL")),
  contact: optional(
    z
      .string()
      .trim()
      .max(500, "The contact is too long.")
      .refine((value) => {
        if (EMAIL.test(value.replace(/^mailto:/i, ""))) return true;
        try {
          const url = new URL(value);
          return url.protocol === "http:" || url.protocol === "https:";
        } catch {
          return false;
        }
      }, "The contact must be an email address or an http(s) address."),
  ),
  ownershipNotice: z.preprocess((v) => v ?? "", z.string().trim().max(2000, "The ownership notice is too long (at most 2,000 characters).")),
  listAddress: optional(emailAddress("The list address")),
  source: SourceSchema,
});

export type ListSettingsInput = z.input<typeof ListSettingsSchema>;
export type ListSettings = z.output<typeof ListSettingsSchema>;
export type ListSource = ListSettings["source"];

export type FieldErrors = Record<string, string[] | undefined>;

const SOURCE_FIELD: Record<string, string> = {
  type: "sourceType",
  host: "imapHost",
  port: "imapPort",
  tls: "imapTls",
  user: "imapUser",
  passwordEnv: "imapPasswordEnv",
  mailbox: "imapMailbox",
};

/** Zod issues as field errors under the flat field names (see the header comment). */
export function listFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const [first, second] = issue.path;
    let key = typeof first === "string" ? first : "form";
    if (key === "source") key = typeof second === "string" ? (SOURCE_FIELD[second] ?? "sourceType") : "sourceType";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** Human labels for the flat field names (CLI output, form legends). */
export const LIST_FIELD_LABELS: Record<string, string> = {
  slug: "Slug",
  name: "Name",
  description: "Description",
  hostName: "Host name",
  hostUrl: "Host URL",
  infoUrl: "List-info URL",
  contact: "Contact",
  ownershipNotice: "Ownership notice",
  listAddress: "List address",
  sourceType: "Source",
  imapHost: "IMAP host",
  imapPort: "IMAP port",
  imapTls: "IMAP TLS",
  imapUser: "IMAP user",
  imapPasswordEnv: "IMAP password variable",
  imapMailbox: "IMAP mailbox",
  form: "List",
};

/** The flat shape of a form submission or of the CLI flags. */
export type FlatListFields = Partial<Record<
  | "slug" | "name" | "description" | "hostName" | "hostUrl" | "infoUrl" | "contact" | "ownershipNotice" | "listAddress"
  | "sourceType" | "imapHost" | "imapPort" | "imapUser" | "imapPasswordEnv" | "imapMailbox",
  string | null | undefined
>> & { imapTls?: boolean | string | null };

function tlsValue(value: boolean | string | null | undefined): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === null || value === undefined || value === "") return undefined;
  return !/^(false|no|off|0)$/i.test(value);
}

/**
 * Flat fields (a form's FormData entries, CLI flags) to the nested input of
 * ListSettingsSchema. `sourceType` defaults to "imap" when any IMAP field is
 * given, else "none".
 */
export function listInputFromFlat(flat: FlatListFields): Record<string, unknown> {
  const imapGiven = [flat.imapHost, flat.imapUser, flat.imapPasswordEnv, flat.imapPort].some((v) => v !== undefined && v !== null && v !== "");
  const type = flat.sourceType || (imapGiven ? "imap" : "none");
  const source =
    type === "imap"
      ? {
          type,
          host: flat.imapHost ?? undefined,
          port: flat.imapPort ?? undefined,
          tls: tlsValue(flat.imapTls),
          user: flat.imapUser ?? undefined,
          passwordEnv: flat.imapPasswordEnv ?? undefined,
          mailbox: flat.imapMailbox ?? undefined,
        }
      : { type };
  return {
    slug: flat.slug ?? undefined,
    name: flat.name ?? undefined,
    description: flat.description ?? undefined,
    hostName: flat.hostName ?? undefined,
    hostUrl: flat.hostUrl ?? undefined,
    infoUrl: flat.infoUrl ?? undefined,
    contact: flat.contact ?? undefined,
    ownershipNotice: flat.ownershipNotice ?? undefined,
    listAddress: flat.listAddress ?? undefined,
    source,
  };
}

/** The flat fields of a stored list, to pre-fill an edit form. */
export function flatFieldsOfList(list: {
  slug: string; name: string; description: string; hostName: string; hostUrl: string; infoUrl: string | null; contact: string | null;
  ownershipNotice: string; listAddress: string | null; sourceType: string; imapHost: string | null; imapPort: number | null;
  imapTls: boolean; imapUser: string | null; imapPasswordEnv: string | null; imapMailbox: string | null;
}): FlatListFields {
  return {
    slug: list.slug,
    name: list.name,
    description: list.description,
    hostName: list.hostName,
    hostUrl: list.hostUrl,
    infoUrl: list.infoUrl ?? "",
    contact: list.contact ?? "",
    ownershipNotice: list.ownershipNotice,
    listAddress: list.listAddress ?? "",
    sourceType: list.sourceType,
    imapHost: list.imapHost ?? "",
    imapPort: list.imapPort === null ? "" : String(list.imapPort),
    imapTls: list.imapTls,
    imapUser: list.imapUser ?? "",
    imapPasswordEnv: list.imapPasswordEnv ?? "",
    imapMailbox: list.imapMailbox ?? "",
  };
}
