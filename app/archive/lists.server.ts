// Archived mailing lists: create, edit, publish, unpublish, show.
//
// A new list is hidden until a moderator publishes it. Moderator-facing
// functions take the actor's user id (null for the command line) and leave an
// audit entry in the same transaction as the change.
//
// The slug cannot change once the list exists: message and thread permalinks
// are hashes of the slug and the Message-ID (app/archive/ids.ts), so a new
// slug would orphan every link and break duplicate detection on re-import.
import type { MailingList, Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { enqueueSearch } from "../../search/outbox.server.ts";
import {
  ListSettingsSchema,
  flatFieldsOfList,
  listFieldErrors,
  listInputFromFlat,
  type FieldErrors,
  type FlatListFields,
  type ListSettings,
  type ListSettingsInput,
} from "./list-schema";

export type { FieldErrors, FlatListFields, ListSettings, ListSettingsInput } from "./list-schema";

export type ListFailure = { ok: false; fieldErrors: FieldErrors; formErrors: string[]; notFound?: true };
export type ListResult = { ok: true; list: MailingList } | ListFailure;

function notFound(slug: string): ListFailure {
  return { ok: false, fieldErrors: {}, formErrors: [`There is no archived list with the slug "${slug}".`], notFound: true };
}

/** The MailingList columns a validated settings object maps to. */
function columnsOf(settings: ListSettings) {
  const source = settings.source;
  const imap = source.type === "imap" ? source : null;
  return {
    slug: settings.slug,
    name: settings.name,
    description: settings.description,
    hostName: settings.hostName,
    hostUrl: settings.hostUrl,
    infoUrl: settings.infoUrl ?? null,
    contact: settings.contact ?? null,
    ownershipNotice: settings.ownershipNotice,
    listAddress: settings.listAddress ?? null,
    sourceType: source.type,
    imapHost: imap?.host ?? null,
    imapPort: imap?.port ?? null,
    imapTls: imap?.tls ?? true,
    imapUser: imap?.user ?? null,
    imapPasswordEnv: imap?.passwordEnv ?? null,
    imapMailbox: imap?.mailbox ?? (imap ? "INBOX" : null),
  } satisfies Prisma.MailingListUncheckedCreateInput;
}

function parseSettings(input: unknown): { ok: true; settings: ListSettings } | ListFailure {
  const result = ListSettingsSchema.safeParse(input);
  if (result.success) return { ok: true, settings: result.data };
  return { ok: false, fieldErrors: listFieldErrors(result.error), formErrors: [] };
}

function isNested(input: FlatListFields | ListSettingsInput): input is ListSettingsInput {
  return typeof input === "object" && input !== null && "source" in input;
}

/** Validates the settings of a list (nested or flat) without saving anything. */
export function validateListSettings(input: FlatListFields | ListSettingsInput): { ok: true; settings: ListSettings } | ListFailure {
  return parseSettings(isNested(input) ? input : listInputFromFlat(input));
}

/** Creates a hidden list. Audit: list.create. */
export async function createList(actorId: number | null, input: FlatListFields | ListSettingsInput): Promise<ListResult> {
  const parsed = validateListSettings(input);
  if (!parsed.ok) return parsed;
  const columns = columnsOf(parsed.settings);
  if (await db.mailingList.findUnique({ where: { slug: columns.slug }, select: { id: true } })) {
    return { ok: false, fieldErrors: { slug: ["A list with this slug already exists."] }, formErrors: [] };
  }
  try {
    const list = await db.$transaction(async (tx) => {
      const created = await tx.mailingList.create({ data: { ...columns, visibility: "hidden" } });
      await recordAudit(
        { actorId, action: "list.create", targetType: "list", targetId: created.id, details: { slug: created.slug, source: created.sourceType } },
        tx,
      );
      return created;
    });
    return { ok: true, list };
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      return { ok: false, fieldErrors: { slug: ["A list with this slug already exists."] }, formErrors: [] };
    }
    throw error;
  }
}

const IMAP_LOCATION = ["imapHost", "imapPort", "imapUser", "imapMailbox", "sourceType"] as const;

/**
 * Changes some settings of a list: only the fields present in `changes` are
 * touched ("" clears an optional field). Moving the IMAP source to another
 * server, account or mailbox resets the sync state, so the next sync starts
 * at UID 1 (duplicates are recognised by Message-ID). Audit: list.edit.
 */
export async function editList(actorId: number | null, slug: string, changes: FlatListFields): Promise<ListResult> {
  const current = await db.mailingList.findUnique({ where: { slug } });
  if (!current) return notFound(slug);
  if (changes.slug !== undefined && changes.slug !== null && changes.slug !== current.slug) {
    return {
      ok: false,
      fieldErrors: { slug: ["The slug cannot change once the list exists: every archive permalink is derived from it."] },
      formErrors: [],
    };
  }
  const merged: FlatListFields = { ...flatFieldsOfList(current) };
  for (const [key, value] of Object.entries(changes) as [keyof FlatListFields, FlatListFields[keyof FlatListFields]][]) {
    if (value !== undefined) (merged as Record<string, unknown>)[key] = value;
  }
  const imapFieldGiven = ["imapHost", "imapPort", "imapUser", "imapPasswordEnv", "imapMailbox", "imapTls"].some(
    (key) => (changes as Record<string, unknown>)[key] !== undefined,
  );
  if (changes.sourceType === undefined && imapFieldGiven) merged.sourceType = "imap";
  const parsed = parseSettings(listInputFromFlat(merged));
  if (!parsed.ok) return parsed;
  const columns = columnsOf(parsed.settings);
  const changed = (Object.keys(columns) as (keyof typeof columns)[]).filter((key) => columns[key] !== current[key]);
  if (changed.length === 0) return { ok: true, list: current };
  const resetSync = changed.some((key) => (IMAP_LOCATION as readonly string[]).includes(key));
  const list = await db.$transaction(async (tx) => {
    const updated = await tx.mailingList.update({
      where: { id: current.id },
      data: { ...columns, ...(resetSync ? { uidValidity: null, lastUid: null } : {}) },
    });
    // Field names only: values may include addresses.
    await recordAudit({ actorId, action: "list.edit", targetType: "list", targetId: current.id, details: { slug, changed, resetSync } }, tx);
    // Search results name the list and its host.
    if (changed.includes("name") || changed.includes("hostName")) await enqueueSearch(tx, { kind: "list", id: current.id });
    return updated;
  });
  return { ok: true, list };
}

async function setVisibility(actorId: number | null, slug: string, publish: boolean): Promise<ListResult> {
  const current = await db.mailingList.findUnique({ where: { slug } });
  if (!current) return notFound(slug);
  const visibility = publish ? "public" : "hidden";
  if (current.visibility === visibility) return { ok: true, list: current };
  const list = await db.$transaction(async (tx) => {
    const updated = await tx.mailingList.update({
      where: { id: current.id },
      data: publish ? { visibility, publishedAt: new Date() } : { visibility },
    });
    await recordAudit({ actorId, action: publish ? "list.publish" : "list.unpublish", targetType: "list", targetId: current.id, details: { slug } }, tx);
    // Every message of the list enters or leaves search with it.
    await enqueueSearch(tx, { kind: "list", id: current.id });
    return updated;
  });
  return { ok: true, list };
}

/** Makes a list public and sets publishedAt. Audit: list.publish. */
export function publishList(actorId: number | null, slug: string): Promise<ListResult> {
  return setVisibility(actorId, slug, true);
}

/** Hides a list again (its messages stay stored). Audit: list.unpublish. */
export function unpublishList(actorId: number | null, slug: string): Promise<ListResult> {
  return setVisibility(actorId, slug, false);
}

/** Turns scheduled IMAP syncing of a list on or off. Audit: list.activate / list.deactivate. */
export async function setListActive(actorId: number | null, slug: string, active: boolean): Promise<ListResult> {
  const current = await db.mailingList.findUnique({ where: { slug } });
  if (!current) return notFound(slug);
  if (current.active === active) return { ok: true, list: current };
  const list = await db.$transaction(async (tx) => {
    const updated = await tx.mailingList.update({ where: { id: current.id }, data: { active } });
    await recordAudit({ actorId, action: active ? "list.activate" : "list.deactivate", targetType: "list", targetId: current.id, details: { slug } }, tx);
    return updated;
  });
  return { ok: true, list };
}

export function getListBySlug(slug: string): Promise<MailingList | null> {
  return db.mailingList.findUnique({ where: { slug } });
}

/** Every list, hidden ones included (moderators), by name. */
export function listAllLists(): Promise<MailingList[]> {
  return db.mailingList.findMany({ orderBy: [{ name: "asc" }, { slug: "asc" }] });
}

/** What the moderation console and `npm run list -- show` display about a list. */
export type ListOverview = {
  list: MailingList;
  settings: FlatListFields;
  /** For IMAP lists: whether the password variable is set in THIS process's environment. */
  passwordEnvSet: boolean | null;
  lastRun: { id: number; kind: string; status: string; startedAt: Date; finishedAt: Date | null; created: number; failed: number; error: string | null } | null;
  openFailures: number;
};

export async function showList(slug: string): Promise<ListOverview | null> {
  const list = await db.mailingList.findUnique({ where: { slug } });
  if (!list) return null;
  const [lastRun, openFailures] = await Promise.all([
    db.importRun.findFirst({
      where: { listId: list.id },
      orderBy: { id: "desc" },
      select: { id: true, kind: true, status: true, startedAt: true, finishedAt: true, created: true, failed: true, error: true },
    }),
    db.importFailure.count({ where: { listId: list.id, resolvedAt: null } }),
  ]);
  return {
    list,
    settings: flatFieldsOfList(list),
    passwordEnvSet: list.sourceType === "imap" && list.imapPasswordEnv ? Boolean(process.env[list.imapPasswordEnv]) : null,
    lastRun,
    openFailures,
  };
}
