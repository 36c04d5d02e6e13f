// lists.server.ts (create, edit, publish, show) and `npm run list`, run for
// real as a child process against this file's private database.
import { describe, expect, it } from "vitest";
import { createList, editList, publishList, showList, unpublishList } from "~/archive/lists.server";
import { ListSettingsSchema, listInputFromFlat } from "~/archive/list-schema";
import { db } from "~/utils/db.server";
import { runTsx } from "./support";

const base = { name: "Python-Dev", hostName: "Python.org", hostUrl: "https://mail.python.org/" };

describe("lists.server.ts", () => {
  it("creates a hidden list, validates every field, and audits", async () => {
    const created = await createList(7, {
      ...base,
      slug: "python-dev",
      description: "Python core development",
      infoUrl: "https://mail.python.org/mailman3/lists/python-dev.python.org/",
      contact: "postmaster@python.org",
      listAddress: "python-dev@python.org",
      sourceType: "imap",
      imapHost: "imap.example.org",
      imapUser: "archiver",
      imapPasswordEnv: "PYTHON_DEV_IMAP_PASSWORD",
    });
    expect(created.ok).toBe(true);
    if (!created.ok) return;
    expect(created.list).toMatchObject({
      slug: "python-dev",
      visibility: "hidden",
      publishedAt: null,
      sourceType: "imap",
      imapPort: 993,
      imapTls: true,
      imapMailbox: "INBOX",
      imapPasswordEnv: "PYTHON_DEV_IMAP_PASSWORD",
    });
    expect(await db.auditEntry.findFirst({ where: { action: "list.create", targetId: String(created.list.id) } })).toMatchObject({ actorId: 7, targetType: "list" });

    const again = await createList(7, { ...base, slug: "python-dev" });
    expect(again).toMatchObject({ ok: false, fieldErrors: { slug: ["A list with this slug already exists."] } });

    const bad = await createList(7, {
      slug: "No Spaces!",
      name: "",
      hostName: "x",
      hostUrl: "javascript:alert(1)",
      infoUrl: "ftp://example.org",
      contact: "not a contact",
      listAddress: "nope",
      sourceType: "imap",
      imapHost: "bad host name",
      imapPort: "70000",
      imapUser: "",
      imapPasswordEnv: "hunter2",
    });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(Object.keys(bad.fieldErrors).sort()).toEqual(
      ["contact", "hostUrl", "imapHost", "imapPasswordEnv", "imapPort", "imapUser", "infoUrl", "listAddress", "name", "slug"].sort(),
    );
    expect(bad.fieldErrors.imapPasswordEnv?.[0]).toMatch(/NAME of an environment variable.*never the password/);
    expect(await db.mailingList.count()).toBe(1);
  });

  it("accepts the nested schema shape too, with mbox and none sources", () => {
    const nested = ListSettingsSchema.safeParse({ slug: "ab", ...base, source: { type: "mbox" } });
    expect(nested.success && nested.data.source).toEqual({ type: "mbox" });
    const flat = ListSettingsSchema.parse(listInputFromFlat({ slug: "ab", ...base }));
    expect(flat.source).toEqual({ type: "none" });
    const imap = ListSettingsSchema.parse(listInputFromFlat({ slug: "ab", ...base, imapHost: "127.0.0.1", imapUser: "u", imapPasswordEnv: "P", imapTls: false }));
    expect(imap.source).toEqual({ type: "imap", host: "127.0.0.1", port: 143, tls: false, user: "u", passwordEnv: "P", mailbox: "INBOX" });
  });

  it("edits, refuses a new slug, resets the sync state when the mailbox moves, publishes and unpublishes", async () => {
    const created = await createList(1, { ...base, slug: "edit-me", imapHost: "imap.example.org", imapUser: "a", imapPasswordEnv: "EDIT_ME_PW" });
    if (!created.ok) throw new Error("setup");
    await db.mailingList.update({ where: { id: created.list.id }, data: { uidValidity: 5n, lastUid: 99n } });

    expect(await editList(1, "edit-me", { slug: "renamed" })).toMatchObject({ ok: false, fieldErrors: { slug: [expect.stringContaining("cannot change")] } });
    const described = await editList(1, "edit-me", { description: "Now with a description", infoUrl: "" });
    expect(described).toMatchObject({ ok: true, list: { description: "Now with a description", infoUrl: null, uidValidity: 5n, lastUid: 99n } });
    const moved = await editList(2, "edit-me", { imapMailbox: "Archive/python-dev" });
    expect(moved).toMatchObject({ ok: true, list: { imapMailbox: "Archive/python-dev", uidValidity: null, lastUid: null } });
    const audit = await db.auditEntry.findFirst({ where: { action: "list.edit", actorId: 2 }, orderBy: { id: "desc" } });
    expect(JSON.parse(audit!.details)).toMatchObject({ changed: ["imapMailbox"], resetSync: true });
    expect(await editList(1, "edit-me", { hostUrl: "not a url" })).toMatchObject({ ok: false, fieldErrors: { hostUrl: [expect.any(String)] } });
    expect(await editList(1, "missing-list", { name: "x" })).toMatchObject({ ok: false, notFound: true });

    const published = await publishList(3, "edit-me");
    expect(published).toMatchObject({ ok: true, list: { visibility: "public" } });
    expect(published.ok && published.list.publishedAt).toBeInstanceOf(Date);
    expect(await unpublishList(3, "edit-me")).toMatchObject({ ok: true, list: { visibility: "hidden" } });
    const actions = (await db.auditEntry.findMany({ where: { targetId: String(created.list.id) }, orderBy: { id: "asc" } })).map((a) => a.action);
    expect(actions).toEqual(["list.create", "list.edit", "list.edit", "list.publish", "list.unpublish"]);

    process.env.EDIT_ME_PW = "secret";
    expect(await showList("edit-me")).toMatchObject({ passwordEnvSet: true, openFailures: 0, lastRun: null });
    delete process.env.EDIT_ME_PW;
    expect(await showList("edit-me")).toMatchObject({ passwordEnvSet: false });
  });
});

describe("npm run list", { timeout: 60_000 }, () => {
  const cli = (...args: string[]) => runTsx("importer/list-cli.ts", args);

  it("adds, edits, publishes and shows a list", async () => {
    const added = await cli(
      "add", "cli-list", "--name", "CLI list", "--host-name", "Example.org", "--host-url", "https://example.org/",
      "--imap-host", "127.0.0.1", "--imap-port", "1143", "--imap-user", "archiver", "--imap-password-env", "CLI_LIST_PW", "--no-tls",
    );
    expect(added.stderr).toBe("");
    expect(added.code).toBe(0);
    expect(added.stdout).toContain("Created list 'cli-list' (hidden until published");
    expect(await db.mailingList.findUnique({ where: { slug: "cli-list" } })).toMatchObject({ sourceType: "imap", imapPort: 1143, imapTls: false, visibility: "hidden" });

    const edited = await cli("edit", "cli-list", "--description", "Edited from the shell", "--contact", "https://example.org/contact");
    expect(edited.code).toBe(0);
    expect(edited.stdout).toContain("Saved list 'cli-list'.");

    const published = await cli("publish", "cli-list");
    expect(published.code).toBe(0);
    expect(published.stdout).toContain("List 'cli-list' is public.");

    const shown = await cli("show", "cli-list");
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/^Visibility:\s+public \(published /m);
    expect(shown.stdout).toMatch(/^Description:\s+Edited from the shell$/m);
    expect(shown.stdout).toMatch(/^IMAP server:\s+127\.0\.0\.1:1143 \(no TLS\)$/m);
    expect(shown.stdout).toMatch(/^Password variable:\s+CLI_LIST_PW \(NOT SET in this environment\)$/m);

    const all = await cli("show");
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/^SLUG\s+VISIBILITY\s+SOURCE\s+MESSAGES\s+THREADS\s+LAST MESSAGE$/m);
    expect(all.stdout).toMatch(/^cli-list\s+public\s+imap\s+0\s+0\s+-$/m);
  });

  it("prints field errors one per line with exit code 1, and usage errors with exit code 2", async () => {
    const bad = await cli("add", "Bad Slug", "--name", "x", "--host-name", "x", "--host-url", "ftp://x", "--imap-password-env", "my password");
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe("");
    expect(bad.stderr.trim().split("\n")).toEqual([
      "Slug: The slug is 2 to 50 characters: lower-case letters, digits and hyphens (it appears in every archive URL).",
      "Host URL: The host URL must be a full http:// or https:// address.",
      "IMAP host: Give the IMAP server's host name.",
      "IMAP user: Give the IMAP user name.",
      "IMAP password variable: Give the NAME of an environment variable (capitals, digits and _, such as LIST_PYTHON_DEV_PASSWORD), never the password itself.",
    ]);

    const unknown = await cli("publish", "no-such-list");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('There is no archived list with the slug "no-such-list".');

    const missing = await cli("add", "some-list", "--name", "x");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("add needs --host-name.");
    expect(missing.stderr).toContain("Usage:");

    const badFlag = await cli("show", "--bogus");
    expect(badFlag.code).toBe(2);
    const noCommand = await cli();
    expect(noCommand.code).toBe(2);
    expect(noCommand.stderr).toContain("No command given.");
  });
});
