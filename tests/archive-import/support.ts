// Helpers shared by the archive importer tests.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { readMbox, type MboxFormat } from "../../importer/mbox-reader.ts";
import { writeMbox } from "../../importer/mbox-writer.ts";
import { parseFromLineDate, parseMessage } from "../../importer/parse-message.ts";
import { threadInputOf, threadMessages, type ThreadInput, type ThreadNode } from "../../importer/threading.ts";
import { createList } from "~/archive/lists.server";
import type { FlatListFields } from "~/archive/list-schema";
import { ownershipPreamble } from "~/archive/ownership";
import { db } from "~/utils/db.server";

export const FIXTURES = path.resolve(import.meta.dirname, "../fixtures/mail");
export const REPO = path.resolve(import.meta.dirname, "../..");

export function fixture(relative: string): string {
  return path.join(FIXTURES, relative);
}

export const IMAGEMAGICK = fixture("mail-box-imagemagick-list/imagemagick-list-2000.mbox");
export const PONYMAIL_TESTS = fixture("apache-ponymail-small/incubator-ponymail/pass/tests.mbox");
export const PONYMAIL_ATTACHMENTS = fixture("apache-ponymail-small/incubator-ponymail/pass/attachments.mbox");
export const PONYMAIL_2019 = fixture("apache-ponymail-small/ponymail-foal/users_ponymail_apache_org_2019-09.mbox");
export const PONYMAIL_2022 = fixture("apache-ponymail-small/ponymail-foal/users_ponymail_apache_org_2022-01.mbox");

let counter = 0;

/** A hidden archived list made through lists.server.ts. */
export async function makeList(fields: FlatListFields = {}) {
  counter += 1;
  const slug = fields.slug ?? `list-${counter}-${Date.now().toString(36)}`;
  const result = await createList(null, {
    name: `List ${counter}`,
    hostName: "Example.org",
    hostUrl: "https://lists.example.org/",
    ...fields,
    slug,
  });
  if (!result.ok) throw new Error(`could not create list: ${JSON.stringify(result.fieldErrors)} ${result.formErrors.join(" ")}`);
  return result.list;
}

/** The raw messages of an mbox, as the importer sees them. */
export async function mboxMessages(file: string, format: MboxFormat = "auto") {
  const out: Array<{ raw: Buffer; offset: number; fromLine: string }> = [];
  for await (const entry of readMbox(file, { format })) {
    if (!entry.oversize) out.push({ raw: entry.raw, offset: entry.offset, fromLine: entry.fromLine });
  }
  return out;
}

export type ParentEntry = { parent: string | null; placeholder: boolean; inferred: boolean };

/** messageId -> parent for every row of a list. */
export async function parentMap(listId: number): Promise<Map<string, ParentEntry>> {
  const rows = await db.mailMessage.findMany({
    where: { listId },
    select: { messageId: true, parentMessageId: true, kind: true, inferredParent: true },
  });
  return new Map(rows.map((r) => [r.messageId, { parent: r.parentMessageId, placeholder: r.kind === "placeholder", inferred: r.inferredParent }]));
}

/** messageId -> parent from the batch JWZ implementation (importer/threading.ts) over the same mbox. */
export async function batchParentMap(file: string, options: { subjectFallback?: boolean } = {}): Promise<Map<string, ParentEntry>> {
  const inputs: ThreadInput[] = [];
  const seen = new Set<string>();
  for (const entry of await mboxMessages(file)) {
    const parsed = await parseMessage(entry.raw, { fallbackDate: parseFromLineDate(entry.fromLine) ?? undefined });
    if (!parsed.ok || parsed.message.noArchive || seen.has(parsed.message.messageId)) continue;
    seen.add(parsed.message.messageId);
    const m = parsed.message;
    inputs.push(threadInputOf(m));
  }
  const out = new Map<string, ParentEntry>();
  const walk = (node: ThreadNode, parent: string | null) => {
    out.set(node.messageId, { parent, placeholder: node.placeholder, inferred: !node.placeholder && node.inferred });
    for (const child of node.children) walk(child, node.messageId);
  };
  for (const root of threadMessages(inputs, { subjectFallback: options.subjectFallback ?? true })) walk(root, null);
  return out;
}

/** Threads of a list as sorted lists of "id<-parent" lines: comparable across lists. */
export async function threadShape(listId: number): Promise<string[][]> {
  const rows = await db.mailMessage.findMany({
    where: { listId },
    select: { messageId: true, parentMessageId: true, kind: true, threadId: true },
  });
  const byThread = new Map<number, string[]>();
  for (const r of rows) {
    const line = `${r.kind === "placeholder" ? "*" : ""}${r.messageId}<-${r.parentMessageId ?? ""}`;
    const lines = byThread.get(r.threadId ?? -1) ?? [];
    lines.push(line);
    byThread.set(r.threadId ?? -1, lines);
  }
  return [...byThread.values()].map((lines) => lines.sort()).sort((a, b) => (a[0]! < b[0]! ? -1 : 1));
}

/**
 * Checks what ingest promises about a list's rows and counters; returns the
 * violations (empty when all is well).
 */
export async function archiveViolations(listId: number): Promise<string[]> {
  const problems: string[] = [];
  const list = await db.mailingList.findUniqueOrThrow({ where: { id: listId } });
  const rows = await db.mailMessage.findMany({
    where: { listId },
    orderBy: { id: "asc" }, // ties between equal dates go to the older row, as in refreshThread
    select: { messageId: true, publicId: true, parentMessageId: true, kind: true, threadId: true, hiddenAt: true, date: true, subject: true },
  });
  const byId = new Map(rows.map((r) => [r.messageId, r]));
  const childCount = new Map<string, number>();
  for (const r of rows) {
    if (r.threadId === null) problems.push(`${r.messageId} has no thread`);
    if (r.parentMessageId !== null) {
      const parent = byId.get(r.parentMessageId);
      if (!parent) problems.push(`${r.messageId}: parent ${r.parentMessageId} is missing`);
      else if (parent.threadId !== r.threadId) problems.push(`${r.messageId}: parent in another thread`);
      childCount.set(r.parentMessageId, (childCount.get(r.parentMessageId) ?? 0) + 1);
    }
  }
  for (const r of rows) if (r.kind === "placeholder" && !childCount.get(r.messageId)) problems.push(`placeholder ${r.messageId} has no children`);
  const threads = await db.mailThread.findMany({ where: { listId } });
  let visibleTotal = 0;
  let threadsWithMessages = 0;
  let newest: number | null = null;
  for (const t of threads) {
    const members = rows.filter((r) => r.threadId === t.id);
    const roots = members.filter((r) => r.parentMessageId === null);
    if (roots.length !== 1) problems.push(`thread ${t.publicId} has ${roots.length} roots`);
    else if (roots[0]!.publicId !== t.publicId) problems.push(`thread ${t.publicId} is not named after its root`);
    const visible = members.filter((r) => r.kind === "message" && r.hiddenAt === null);
    const missing = members.filter((r) => r.kind === "placeholder").length;
    if (t.messageCount !== visible.length) problems.push(`thread ${t.publicId}: messageCount ${t.messageCount}, expected ${visible.length}`);
    if (t.missingCount !== missing) problems.push(`thread ${t.publicId}: missingCount ${t.missingCount}, expected ${missing}`);
    if (visible.length > 0) {
      const times = visible.map((r) => r.date!.getTime());
      if (t.firstAt.getTime() !== Math.min(...times)) problems.push(`thread ${t.publicId}: firstAt`);
      if (t.lastAt.getTime() !== Math.max(...times)) problems.push(`thread ${t.publicId}: lastAt`);
      const root = roots[0];
      const expectedSubject =
        root && root.kind === "message" && root.hiddenAt === null
          ? root.subject
          : [...visible].sort((a, b) => a.date!.getTime() - b.date!.getTime())[0]!.subject;
      if (t.subject !== expectedSubject) problems.push(`thread ${t.publicId}: subject ${JSON.stringify(t.subject)}, expected ${JSON.stringify(expectedSubject)}`);
      threadsWithMessages += 1;
      newest = Math.max(newest ?? 0, ...times);
    }
    visibleTotal += visible.length;
  }
  if (threads.length !== new Set(rows.map((r) => r.threadId)).size) problems.push("threads without rows, or rows in unknown threads");
  if (list.messageCount !== visibleTotal) problems.push(`list messageCount ${list.messageCount}, expected ${visibleTotal}`);
  if (list.threadCount !== threadsWithMessages) problems.push(`list threadCount ${list.threadCount}, expected ${threadsWithMessages}`);
  if ((list.lastMessageAt?.getTime() ?? null) !== newest) problems.push(`list lastMessageAt ${list.lastMessageAt?.toISOString()}`);
  return problems;
}

/** Every stored message of a list as an mboxrd file with the ownership preamble, like a download. */
export async function exportListMbox(listId: number): Promise<Buffer> {
  const list = await db.mailingList.findUniqueOrThrow({ where: { id: listId } });
  const messages = await db.mailMessage.findMany({
    where: { listId, kind: "message" },
    orderBy: { id: "asc" },
    select: { fromAddress: true, date: true, raw: { select: { gz: true } } },
  });
  return writeMbox(
    messages.map((m) => ({ raw: gunzipSync(m.raw!.gz), sender: m.fromAddress, date: m.date })),
    ownershipPreamble(list),
  );
}

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** Runs `npx tsx <script> ...args` in the repository, with this test file's database. */
export function runTsx(script: string, args: string[], env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("npx", ["tsx", script, ...args], {
      cwd: REPO,
      env: { ...process.env, LOG_LEVEL: "silent", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function tempFile(name: string, content: Buffer | string): string {
  const dir = fs.mkdtempSync(path.join(process.env.DATA_DIR ?? "/tmp", "mbox-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, content);
  return file;
}

/** A small RFC 5322 message. */
export function eml(headers: Record<string, string | undefined>, body = "Hello.\n"): Buffer {
  const lines = Object.entries(headers)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `${name}: ${value}`);
  return Buffer.from(`${lines.join("\n")}\n\n${body}`, "utf8");
}
