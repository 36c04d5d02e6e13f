// Imports mail into an archived list:
//
//   npm run import -- mbox <file> --list <slug> [--format mboxo|mboxrd|auto]
//   npm run import -- imap <list-slug>
//   npm run import -- imap --all
//
// mbox files may be gzip-compressed. Both commands can be run again safely:
// messages already archived are recognised by their Message-ID.
//
// Exit codes: 0 done (single messages that could not be archived are kept
// as import failures and do not change the exit code), 1 the import failed
// (unreadable file, unknown list, IMAP problem), 2 usage error.
import "dotenv/config";
import { parseArgs } from "node:util";
import { getListBySlug } from "~/archive/lists.server";
import { syncAllImapLists, syncImapList, type ImapSyncResult } from "./imap-sync.ts";
import { importMbox } from "./mbox-import.ts";
import type { MboxFormat } from "./mbox-reader.ts";
import { ProgressReporter } from "./progress.ts";
import { Refusal, runCommand, UsageError } from "../app/cli/run-command";

const USAGE = `Usage:
  npm run import -- mbox <file> --list <slug> [--format mboxo|mboxrd|auto]
      Imports an mbox file (plain or .gz) into the list. "auto" (the default)
      reads mboxo, which is what Mailman and most mail servers write, and
      mboxrd for Threadline's own downloads (they start with a "#" notice);
      use --format mboxrd for files written by other mboxrd tools.
  npm run import -- imap <list-slug>
      Fetches new messages from the list's IMAP mailbox.
  npm run import -- imap --all
      Does that for every active IMAP list.

Progress goes to standard error; the summary to standard output.
The database is the one the server uses (DATABASE_URL, or DATA_DIR/threadline.db).`;

/** A failed import, explained in one line (exit code 1). */
class Failure extends Refusal {
  constructor(message: string) {
    super([message]);
  }
}

type Command =
  | { command: "help" }
  | { command: "mbox"; file: string; list: string; format: MboxFormat }
  | { command: "imap"; list: string | null };

function parseCommand(argv: string[]): Command {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        list: { type: "string" },
        format: { type: "string" },
        all: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: "help" };
  const [command, ...rest] = positionals;
  if (!command) throw new UsageError("No command given.");
  if (command === "mbox") {
    if (rest.length !== 1) throw new UsageError(rest.length ? `Unexpected argument: ${rest.slice(1).join(" ")}` : "mbox needs a file.");
    if (!values.list) throw new UsageError("mbox needs --list <slug>.");
    if (values.all) throw new UsageError("--all only goes with imap.");
    const format = values.format ?? "auto";
    if (format !== "mboxo" && format !== "mboxrd" && format !== "auto") throw new UsageError(`Unknown format "${format}": use mboxo, mboxrd or auto.`);
    return { command: "mbox", file: rest[0]!, list: values.list, format };
  }
  if (command === "imap") {
    if (values.format || values.list) throw new UsageError("imap takes a list slug or --all, nothing else.");
    if (values.all && rest.length === 0) return { command: "imap", list: null };
    if (!values.all && rest.length === 1) return { command: "imap", list: rest[0]! };
    throw new UsageError("imap needs exactly one list slug, or --all.");
  }
  throw new UsageError(`Unknown command: ${command}`);
}

async function runMbox(file: string, slug: string, format: MboxFormat): Promise<void> {
  const list = await getListBySlug(slug);
  if (!list) throw new Failure(`There is no archived list "${slug}". Create it first: npm run list -- add ${slug} ...`);
  const reporter = new ProgressReporter();
  let result;
  try {
    result = await importMbox(list, file, {
      format,
      onProgress: (p) => reporter.update({ ...p.counters, messages: p.messages, bytesRead: p.bytesRead, totalBytes: p.totalBytes }),
    });
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : error instanceof Error ? error.message : String(error);
    throw new Failure(`Cannot read ${file}: ${reason}.`);
  } finally {
    reporter.done();
  }
  const c = result.counters;
  console.log(
    `Imported ${file} into ${slug}: ${c.fetched} messages read, ${c.created} new, ${c.duplicates} already archived, ` +
      `${c.skipped} skipped (X-No-Archive), ${c.failed} failed (import run ${result.runId}).`,
  );
  if (c.failed > 0) console.log(`Failed messages are kept as import failures; see: npm run list -- show ${slug}`);
  if (result.status === "failed") throw new Failure(`The import stopped: ${result.error}`);
}

function summarize(result: ImapSyncResult): string {
  switch (result.status) {
    case "succeeded": {
      const c = result.counters;
      const resync = result.resynced ? " (UIDVALIDITY changed: mailbox read again)" : "";
      return `${result.slug}: ${c.fetched} fetched, ${c.created} new, ${c.duplicates} already archived, ${c.skipped} skipped, ${c.failed} failed; last UID ${result.lastUid}${resync}.`;
    }
    case "locked":
      return `${result.slug}: skipped, another sync is running (${result.lockedBy ?? "unknown"}).`;
    case "aborted":
      return `${result.slug}: stopped before finishing.`;
    case "failed":
      return `${result.slug}: FAILED: ${result.error}`;
  }
}

async function runImap(slug: string | null): Promise<void> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const controller = new AbortController();
  process.once("SIGINT", () => controller.abort());
  process.once("SIGTERM", () => controller.abort());
  const results = slug === null ? await syncAllImapLists({ log, signal: controller.signal }) : [await syncImapList(slug, { log, signal: controller.signal })];
  if (slug === null && results.length === 0) console.log("There are no active IMAP lists.");
  for (const result of results) console.log(summarize(result));
  const failed = results.filter((r) => r.status === "failed" || r.status === "aborted");
  if (failed.length > 0) throw new Failure(failed.length === 1 ? "The sync failed." : `${failed.length} syncs failed.`);
}

process.exitCode = await runCommand(process.argv.slice(2), USAGE, parseCommand, async (command) => {
  if (command.command === "mbox") await runMbox(command.file, command.list, command.format);
  else await runImap(command.list);
});
