// The moderators' list curation pages (/mod/lists…): loaders and actions
// called the way Remix calls them, against this file's private database.
import { beforeAll, describe, expect, it } from "vitest";
import { recordImportFailure } from "~/archive/ingest-runs.server";
import { loader as indexLoader } from "~/routes/mod.lists._index";
import { action as detailAction, loader as detailLoader } from "~/routes/mod.lists.$slug._index";
import { action as editAction, loader as editLoader } from "~/routes/mod.lists.$slug.edit";
import { loader as rawLoader } from "~/routes/mod.lists.$slug.failures.$id.raw";
import { action as newAction, loader as newLoader } from "~/routes/mod.lists.new";
import { db } from "~/utils/db.server";
import { createTestUser } from "../support/factories";
import { call, type User } from "./mod-support";

let member: User;
let moderator: User;

beforeAll(async () => {
  member = await createTestUser();
  moderator = await createTestUser({ role: "moderator" });
});


const validList = (slug: string) => ({
  slug,
  name: `List ${slug}`,
  description: "A list created from the moderation console.",
  hostName: "Example Lists",
  hostUrl: "https://lists.example.net/",
  infoUrl: "",
  contact: "listmaster@lists.example.net",
  ownershipNotice: "",
  listAddress: `${slug}@lists.example.net`,
  sourceType: "none",
  imapHost: "",
  imapPort: "",
  imapTls: ["false", "true"],
  imapUser: "",
  imapPasswordEnv: "",
  imapMailbox: "",
});

async function auditActions(listId: number) {
  return (await db.auditEntry.findMany({ where: { targetType: "list", targetId: String(listId) }, orderBy: { id: "asc" } })).map((e) => [e.action, e.actorId]);
}

describe("access", () => {
  it("sends anonymous visitors to log in and refuses members with 403, on every loader and action", async () => {
    const list = await db.mailingList.create({ data: { slug: "access-check", name: "Access", hostName: "H", hostUrl: "https://h.example/" } });
    const failure = await recordImportFailure(db, { listId: list.id, reason: "unparseable", raw: Buffer.from("Subject: x\n\nbody"), source: "test" });
    const routes: [unknown, string, Record<string, string>, boolean][] = [
      [indexLoader, "/mod/lists", {}, false],
      [newLoader, "/mod/lists/new", {}, false],
      [newAction, "/mod/lists/new", {}, true],
      [detailLoader, "/mod/lists/access-check", { slug: "access-check" }, false],
      [detailAction, "/mod/lists/access-check", { slug: "access-check" }, true],
      [editLoader, "/mod/lists/access-check/edit", { slug: "access-check" }, false],
      [editAction, "/mod/lists/access-check/edit", { slug: "access-check" }, true],
      [rawLoader, `/mod/lists/access-check/failures/${failure.id}/raw`, { slug: "access-check", id: String(failure.id) }, false],
    ];
    for (const [handler, url, params, isAction] of routes) {
      const form = isAction ? { ...validList("never-created"), intent: "publish" } : undefined;
      const anonymous = await call(handler, url, params, null, form);
      expect(anonymous.status, url).toBe(302);
      expect(anonymous.response!.headers.get("Location")).toBe(`/login?${new URLSearchParams({ redirectTo: url })}`);
      expect((await call(handler, url, params, member, form)).status, url).toBe(403);
    }
    expect(await db.mailingList.findUnique({ where: { slug: "never-created" } })).toBeNull();
    expect((await db.mailingList.findUniqueOrThrow({ where: { id: list.id } })).visibility).toBe("hidden");
  });
});

describe("creating and editing", () => {
  it("creates a hidden list and audits it", async () => {
    const created = await call(newAction, "/mod/lists/new", {}, moderator, validList("console-made"));
    expect(created.status).toBe(302);
    expect(created.response!.headers.get("Location")).toBe("/mod/lists/console-made");
    const list = await db.mailingList.findUniqueOrThrow({ where: { slug: "console-made" } });
    expect(list).toMatchObject({ visibility: "hidden", publishedAt: null, sourceType: "none", infoUrl: null, contact: "listmaster@lists.example.net" });
    expect(await auditActions(list.id)).toEqual([["list.create", moderator.id]]);

    const index = await call(indexLoader, "/mod/lists", {}, moderator);
    expect((index.data!.lists as { slug: string; visibility: string }[]).find((l) => l.slug === "console-made")).toMatchObject({ visibility: "hidden" });
  });

  it("answers bad input with 400 and field errors under the column names, and writes nothing", async () => {
    const lists = await db.mailingList.count();
    const audits = await db.auditEntry.count();
    const bad = await call(newAction, "/mod/lists/new", {}, moderator, {
      ...validList("Bad Slug!"),
      listAddress: "python-dev@python.org",
      hostUrl: "javascript:alert(1)",
      sourceType: "imap",
      imapHost: "imap.example.org",
      imapUser: "archiver",
      imapPasswordEnv: "hunter2",
    });
    expect(bad.status).toBe(400);
    const fieldErrors = bad.data!.fieldErrors as Record<string, string[]>;
    expect(Object.keys(fieldErrors).sort()).toEqual(["hostUrl", "imapPasswordEnv", "slug"]);
    expect(fieldErrors.imapPasswordEnv![0]).toMatch(/NAME of an environment variable/);
    // The form comes back as typed, except a refused password variable (it may be the password itself).
    expect(bad.data!.values).toMatchObject({ slug: "Bad Slug!", imapPasswordEnv: "", imapHost: "imap.example.org" });
    expect(await db.mailingList.count()).toBe(lists);
    expect(await db.auditEntry.count()).toBe(audits);

    const reserved = await call(newAction, "/mod/lists/new", {}, moderator, validList("new"));
    expect(reserved.status).toBe(400);
    expect(Object.keys(reserved.data!.fieldErrors as object)).toEqual(["slug"]);

    const duplicate = await call(newAction, "/mod/lists/new", {}, moderator, validList("console-made"));
    expect(duplicate.status).toBe(400);
    expect(duplicate.data!.fieldErrors).toEqual({ slug: ["A list with this slug already exists."] });
  });

  it("edits a list: pre-filled form, changes saved and audited, slug immutable, errors write nothing", async () => {
    const form = await call(editLoader, "/mod/lists/console-made/edit", { slug: "console-made" }, moderator);
    const values = form.data!.values as Record<string, string>;
    expect(values).toMatchObject({ slug: "console-made", name: "List console-made", sourceType: "none", infoUrl: "" });

    const { slug: _slug, ...withoutSlug } = validList("console-made");
    const saved = await call(editAction, "/mod/lists/console-made/edit", { slug: "console-made" }, moderator, {
      ...withoutSlug,
      name: "Renamed list",
      sourceType: "imap",
      imapHost: "imap.example.org",
      imapUser: "archiver",
      imapPasswordEnv: "CONSOLE_MADE_PASSWORD",
    });
    expect(saved.status).toBe(302);
    const list = await db.mailingList.findUniqueOrThrow({ where: { slug: "console-made" } });
    expect(list).toMatchObject({ name: "Renamed list", sourceType: "imap", imapHost: "imap.example.org", imapPort: 993, imapTls: true, imapPasswordEnv: "CONSOLE_MADE_PASSWORD" });
    expect((await auditActions(list.id)).map(([action]) => action)).toEqual(["list.create", "list.edit"]);

    const slugChange = await call(editAction, "/mod/lists/console-made/edit", { slug: "console-made" }, moderator, { slug: "other-slug", name: "x" });
    expect(slugChange.status).toBe(302); // the form never sends a slug in edit mode: a sent one is ignored
    expect(await db.mailingList.findUnique({ where: { slug: "other-slug" } })).toBeNull();

    const bad = await call(editAction, "/mod/lists/console-made/edit", { slug: "console-made" }, moderator, { name: "", imapPort: "99999" });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.data!.fieldErrors as object).sort()).toEqual(["imapPort", "name"]);
    expect((await db.mailingList.findUniqueOrThrow({ where: { slug: "console-made" } })).name).toBe("x");

    expect((await call(editLoader, "/mod/lists/nope/edit", { slug: "nope" }, moderator)).status).toBe(404);
  });
});

describe("the list's page", () => {
  it("publishes, unpublishes, deactivates and activates, each audited", async () => {
    const url = "/mod/lists/console-made";
    const params = { slug: "console-made" };
    for (const intent of ["publish", "unpublish", "publish", "deactivate", "activate"]) {
      const result = await call(detailAction, url, params, moderator, { intent });
      expect(result.status, intent).toBe(200);
      expect(result.data!.notice, intent).toBeTruthy();
    }
    const list = await db.mailingList.findUniqueOrThrow({ where: { slug: "console-made" } });
    expect(list).toMatchObject({ visibility: "public", active: true });
    expect(list.publishedAt).not.toBeNull();
    expect((await auditActions(list.id)).slice(-5)).toEqual([
      ["list.publish", moderator.id],
      ["list.unpublish", moderator.id],
      ["list.publish", moderator.id],
      ["list.deactivate", moderator.id],
      ["list.activate", moderator.id],
    ]);
    expect((await call(detailAction, url, params, moderator, { intent: "explode" })).status).toBe(400);
    expect((await call(detailLoader, "/mod/lists/nope", { slug: "nope" }, moderator)).status).toBe(404);
  });

  it("reports a sync whose password variable is not set, without a 500", async () => {
    delete process.env.CONSOLE_MADE_PASSWORD;
    const result = await call(detailAction, "/mod/lists/console-made", { slug: "console-made" }, moderator, { intent: "sync" });
    expect(result.status).toBe(200);
    expect(result.data!.sync).toMatchObject({ status: "failed" });
    expect((result.data!.sync as { error: string }).error).toMatch(/environment variable CONSOLE_MADE_PASSWORD, which is not set/);
    const page = await call(detailLoader, "/mod/lists/console-made", { slug: "console-made" }, moderator);
    expect(page.data!.passwordEnvSet).toBe(false);
    expect((page.data!.runs as { kind: string; status: string; error: string }[])[0]).toMatchObject({ kind: "imap", status: "failed" });

    const noImap = await db.mailingList.create({ data: { slug: "no-imap", name: "No IMAP", hostName: "H", hostUrl: "https://h.example/" } });
    expect((await call(detailAction, "/mod/lists/no-imap", { slug: noImap.slug }, moderator, { intent: "sync" })).status).toBe(400);
  });

  it("lists import failures, serves their raw bytes as a download, retries and resolves them", async () => {
    const list = await db.mailingList.findUniqueOrThrow({ where: { slug: "console-made" } });
    const raw = Buffer.from("From: <a@example.org>\r\nSubject: <script>alert(1)</script>\r\n\r\nnot really mail\r\n");
    const failure = await recordImportFailure(db, { listId: list.id, reason: "no Message-ID and no Date", raw, source: "imap:INBOX uid 7" });
    const noBytes = await recordImportFailure(db, { listId: list.id, reason: "message is larger than 25 MB", size: 30_000_000, source: "imap:INBOX uid 8" });

    const page = await call(detailLoader, "/mod/lists/console-made", { slug: "console-made" }, moderator);
    const failures = page.data!.failures as { id: number; reason: string; size: number; hasRaw: boolean }[];
    expect(failures.map((f) => [f.id, f.hasRaw])).toEqual([[noBytes.id, false], [failure.id, true]]);
    expect(failures[1]).toMatchObject({ reason: "no Message-ID and no Date", size: raw.length });

    const download = await call(rawLoader, `/mod/lists/console-made/failures/${failure.id}/raw`, { slug: "console-made", id: String(failure.id) }, moderator);
    expect(download.status).toBe(200);
    const headers = download.response!.headers;
    expect(headers.get("Content-Type")).toMatch(/^text\/plain/);
    expect(headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(headers.get("Content-Disposition")).toBe(`attachment; filename="console-made-failure-${failure.id}.eml.txt"`);
    expect(Buffer.from(await download.response!.arrayBuffer()).equals(raw)).toBe(true);

    // Another list's failure, an unknown id and a failure without bytes: 404.
    const other = await db.mailingList.findUniqueOrThrow({ where: { slug: "access-check" } });
    const foreign = await db.importFailure.findFirstOrThrow({ where: { listId: other.id } });
    expect((await call(rawLoader, "/", { slug: "console-made", id: String(foreign.id) }, moderator)).status).toBe(404);
    expect((await call(rawLoader, "/", { slug: "console-made", id: "999999" }, moderator)).status).toBe(404);
    expect((await call(rawLoader, "/", { slug: "console-made", id: String(noBytes.id) }, moderator)).status).toBe(404);
    expect((await call(detailAction, "/", { slug: "console-made" }, moderator, { intent: "retry", failureId: String(foreign.id) })).status).toBe(404);

    const retried = await call(detailAction, "/", { slug: "console-made" }, moderator, { intent: "retry", failureId: String(failure.id) });
    expect([200, 400]).toContain(retried.status);
    expect(await db.auditEntry.findFirst({ where: { action: "import.failure.retry", targetId: String(failure.id) } })).toMatchObject({ actorId: moderator.id });

    const resolved = await call(detailAction, "/", { slug: "console-made" }, moderator, { intent: "resolve", failureId: String(noBytes.id) });
    expect(resolved.status).toBe(200);
    expect((await db.importFailure.findUniqueOrThrow({ where: { id: noBytes.id } })).resolvedAt).not.toBeNull();
    expect(await db.auditEntry.findFirst({ where: { action: "import.failure.resolve", targetId: String(noBytes.id) } })).toMatchObject({ actorId: moderator.id });
  });
});
