// Archived lists from the server's shell:
//
//   npm run list -- add <slug> --name <name> --host-name <site> --host-url <url>
//        [--description <text>] [--info-url <url>] [--contact <address or url>]
//        [--ownership-notice <text>] [--list-address <address>] [--source imap|mbox|none]
//        [--imap-host <host> --imap-user <user> --imap-password-env <VAR>
//         [--imap-port <port>] [--imap-mailbox <name>] [--no-tls]]
//   npm run list -- edit <slug> [any of the options above; "" clears an optional one]
//   npm run list -- publish <slug>
//   npm run list -- unpublish <slug>
//   npm run list -- show [<slug>]
//
// The IMAP password is never given here: --imap-password-env names the
// environment variable the importer reads it from.
//
// Exit codes: 0 done, 1 refused (field errors, unknown list), 2 usage error.
import "dotenv/config";
import { parseArgs } from "node:util";
import type { FlatListFields } from "~/archive/list-schema";
import { Refusal, runCommand, UsageError } from "../app/cli/run-command";

const USAGE = `Usage:
  npm run list -- add <slug> --name <name> --host-name <site> --host-url <url> [options]
  npm run list -- edit <slug> [options]
  npm run list -- publish <slug>
  npm run list -- unpublish <slug>
  npm run list -- show [<slug>]

Options:
  --name <text>                The list's name, e.g. "python-dev".
  --description <text>         One or two sentences about the list.
  --host-name <text>           The site that hosts the list, e.g. "Python.org".
  --host-url <url>             Its address (http or https).
  --info-url <url>             The list's subscribe / info page at the host.
  --contact <address or url>   Where questions about the list's data go.
  --ownership-notice <text>    Replaces the default notice shown on every archive page.
  --list-address <address>     The list's posting address.
  --source imap|mbox|none      Where mail comes from (imap when an --imap-* option is given).
  --imap-host <host>           IMAP server.
  --imap-port <port>           Default 993 (143 with --no-tls).
  --imap-user <user>           IMAP account.
  --imap-password-env <NAME>   The environment variable holding the IMAP password
                               (its NAME, never the password itself).
  --imap-mailbox <name>        Default INBOX.
  --no-tls / --tls             Connect without / with TLS (default: TLS).

New lists are hidden until published. In edit, "" clears an optional field.`;


const FLAG_FIELDS = {
  name: "name",
  description: "description",
  "host-name": "hostName",
  "host-url": "hostUrl",
  "info-url": "infoUrl",
  contact: "contact",
  "ownership-notice": "ownershipNotice",
  "list-address": "listAddress",
  source: "sourceType",
  "imap-host": "imapHost",
  "imap-port": "imapPort",
  "imap-user": "imapUser",
  "imap-password-env": "imapPasswordEnv",
  "imap-mailbox": "imapMailbox",
} as const satisfies Record<string, keyof FlatListFields>;

type Parsed =
  | { command: "help" }
  | { command: "add" | "edit"; slug: string; fields: FlatListFields }
  | { command: "publish" | "unpublish"; slug: string }
  | { command: "show"; slug: string | null };

function parseCommand(argv: string[]): Parsed {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        ...Object.fromEntries(Object.keys(FLAG_FIELDS).map((flag) => [flag, { type: "string" as const }])),
        tls: { type: "boolean" },
        "no-tls": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  if (values.help) return { command: "help" };
  const [command, ...rest] = parsed.positionals;
  if (!command) throw new UsageError("No command given.");
  const fieldFlagsGiven = Object.keys(FLAG_FIELDS).filter((flag) => values[flag] !== undefined);
  const tlsGiven = values.tls !== undefined || values["no-tls"] !== undefined;
  if (values.tls && values["no-tls"]) throw new UsageError("Give --tls or --no-tls, not both.");
  switch (command) {
    case "add":
    case "edit": {
      if (rest.length !== 1) throw new UsageError(rest.length ? `Unexpected argument: ${rest.slice(1).join(" ")}` : `${command} needs a list slug.`);
      if (command === "add") {
        for (const flag of ["name", "host-name", "host-url"]) if (values[flag] === undefined) throw new UsageError(`add needs --${flag}.`);
      } else if (fieldFlagsGiven.length === 0 && !tlsGiven) {
        throw new UsageError("edit needs at least one option to change.");
      }
      const fields: FlatListFields = { slug: rest[0] };
      for (const flag of fieldFlagsGiven) (fields as Record<string, unknown>)[FLAG_FIELDS[flag as keyof typeof FLAG_FIELDS]] = values[flag];
      if (tlsGiven) fields.imapTls = values["no-tls"] ? false : true;
      return { command, slug: rest[0]!, fields };
    }
    case "publish":
    case "unpublish":
    case "show": {
      if (fieldFlagsGiven.length > 0 || tlsGiven) throw new UsageError(`${command} takes no options.`);
      if (command === "show") {
        if (rest.length > 1) throw new UsageError(`Unexpected argument: ${rest.slice(1).join(" ")}`);
        return { command, slug: rest[0] ?? null };
      }
      if (rest.length !== 1) throw new UsageError(rest.length ? `Unexpected argument: ${rest.slice(1).join(" ")}` : `${command} needs a list slug.`);
      return { command, slug: rest[0]! };
    }
    default:
      throw new UsageError(`Unknown command: ${command}`);
  }
}

async function refusalFrom(result: { fieldErrors: Record<string, string[] | undefined>; formErrors: string[] }): Promise<Refusal> {
  const { LIST_FIELD_LABELS } = await import("~/archive/list-schema");
  const lines = [
    ...result.formErrors,
    ...Object.entries(result.fieldErrors).flatMap(([field, messages]) => (messages ?? []).map((message) => `${LIST_FIELD_LABELS[field] ?? field}: ${message}`)),
  ];
  return new Refusal(lines);
}

function date(value: Date | null): string {
  return value ? value.toISOString().replace(/\.\d{3}Z$/, "Z") : "never";
}

async function show(slug: string | null) {
  const lists = await import("~/archive/lists.server");
  if (slug === null) {
    const all = await lists.listAllLists();
    if (all.length === 0) {
      console.log("No archived lists yet. Add one with: npm run list -- add <slug> --name <name> --host-name <site> --host-url <url>");
      return;
    }
    const rows = [
      ["SLUG", "VISIBILITY", "SOURCE", "MESSAGES", "THREADS", "LAST MESSAGE"],
      ...all.map((l) => [l.slug, l.visibility, l.sourceType, String(l.messageCount), String(l.threadCount), l.lastMessageAt ? l.lastMessageAt.toISOString().slice(0, 10) : "-"]),
    ];
    const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
    for (const row of rows) console.log(row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
    console.log(`${all.length} list${all.length === 1 ? "" : "s"}.`);
    return;
  }
  const overview = await lists.showList(slug);
  if (!overview) throw new Refusal([`There is no archived list with the slug "${slug}".`]);
  const { list } = overview;
  const lines: [string, string][] = [
    ["Slug", list.slug],
    ["Name", list.name],
    ["Description", list.description || "-"],
    ["Visibility", list.visibility + (list.publishedAt ? ` (published ${date(list.publishedAt)})` : "")],
    ["Host", `${list.hostName} <${list.hostUrl}>`],
    ["List-info URL", list.infoUrl ?? "-"],
    ["Contact", list.contact ?? "-"],
    ["List address", list.listAddress ?? "-"],
    ["Ownership notice", list.ownershipNotice || "(default)"],
    ["Source", list.sourceType],
  ];
  if (list.sourceType === "imap") {
    lines.push(
      ["IMAP server", `${list.imapHost}:${list.imapPort} (${list.imapTls ? "TLS" : "no TLS"})`],
      ["IMAP user", list.imapUser ?? "-"],
      ["IMAP mailbox", list.imapMailbox ?? "INBOX"],
      ["Password variable", `${list.imapPasswordEnv} (${overview.passwordEnvSet ? "set" : "NOT SET"} in this environment)`],
      ["Sync state", list.uidValidity === null ? "never synced" : `UIDVALIDITY ${list.uidValidity}, last UID ${list.lastUid ?? 0}`],
      ["Last sync", date(list.lastSyncedAt)],
      ["Scheduled sync", list.active ? "on" : "off"],
    );
    if (list.syncLockOwner && list.syncLockedUntil && list.syncLockedUntil > new Date()) lines.push(["Sync lock", `${list.syncLockOwner} until ${date(list.syncLockedUntil)}`]);
  }
  lines.push(
    ["Messages", String(list.messageCount)],
    ["Threads", String(list.threadCount)],
    ["Last message", date(list.lastMessageAt)],
    [
      "Last import",
      overview.lastRun
        ? `#${overview.lastRun.id} ${overview.lastRun.kind} ${overview.lastRun.status}, ${overview.lastRun.created} new, ${overview.lastRun.failed} failed, started ${date(overview.lastRun.startedAt)}` +
          (overview.lastRun.error ? ` (${overview.lastRun.error})` : "")
        : "none",
    ],
    ["Open import failures", String(overview.openFailures)],
  );
  const width = Math.max(...lines.map(([label]) => label.length));
  for (const [label, value] of lines) console.log(`${`${label}:`.padEnd(width + 1)} ${value}`);
}

async function run(command: Exclude<Parsed, { command: "help" }>) {
  const lists = await import("~/archive/lists.server");
  switch (command.command) {
    case "add": {
      const result = await lists.createList(null, command.fields);
      if (!result.ok) throw await refusalFrom(result);
      console.log(`Created list '${result.list.slug}' (hidden until published: npm run list -- publish ${result.list.slug}).`);
      return;
    }
    case "edit": {
      const result = await lists.editList(null, command.slug, command.fields);
      if (!result.ok) throw await refusalFrom(result);
      console.log(`Saved list '${result.list.slug}'.`);
      return;
    }
    case "publish":
    case "unpublish": {
      const result = command.command === "publish" ? await lists.publishList(null, command.slug) : await lists.unpublishList(null, command.slug);
      if (!result.ok) throw await refusalFrom(result);
      console.log(command.command === "publish" ? `List '${command.slug}' is public.` : `List '${command.slug}' is hidden.`);
      return;
    }
    case "show":
      await show(command.slug);
      return;
  }
}

process.exitCode = await runCommand(process.argv.slice(2), USAGE, parseCommand, run);
