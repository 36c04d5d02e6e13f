// Archive rows written directly with Prisma (lists, threads, messages,
// placeholders, hidden messages, raw bytes, attachments on disk), so the
// archive's read side can be tested without the importer.
//
// Also a small CLI for the end-to-end tests, which seed their own list into
// the e2e server's database:
//   DATABASE_URL=file:… DATA_DIR=… npx tsx tests/support/archive-factories.ts e2e [slug]
// prints a JSON description of what it created.
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { messagePublicId, threadPublicId } from "~/archive/ids";
import { sanitizeMailHtml } from "~/content/sanitize.server";
import { db } from "~/utils/db.server";

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter += 1)}`;

export type ListOverrides = Partial<{
  slug: string; name: string; description: string; hostName: string; hostUrl: string; infoUrl: string | null;
  contact: string | null; ownershipNotice: string; listAddress: string | null; visibility: "public" | "hidden";
}>;

export async function createArchiveList(overrides: ListOverrides = {}) {
  const slug = overrides.slug ?? `list-${unique()}`;
  return db.mailingList.create({
    data: {
      slug,
      name: overrides.name ?? `List ${slug}`,
      description: overrides.description ?? "A list for testing the archive.",
      hostName: overrides.hostName ?? "Example Lists",
      hostUrl: overrides.hostUrl ?? "https://lists.example.net/",
      infoUrl: overrides.infoUrl === undefined ? `https://lists.example.net/mailman/listinfo/${slug}` : overrides.infoUrl,
      contact: overrides.contact === undefined ? "listmaster@lists.example.net" : overrides.contact,
      ownershipNotice: overrides.ownershipNotice ?? "",
      listAddress: overrides.listAddress === undefined ? `${slug}@lists.example.net` : overrides.listAddress,
      visibility: overrides.visibility ?? "public",
      publishedAt: overrides.visibility === "hidden" ? null : new Date(),
      sourceType: "none",
    },
  });
}

export type ListRecord = Awaited<ReturnType<typeof createArchiveList>>;

export type AttachmentSpec = {
  filename: string;
  contentType: string;
  content: Buffer | string;
  inline?: boolean;
  contentId?: string;
  /** Metadata only: the file was not stored (e.g. "too large"). */
  skipped?: string;
};

export type MessageSpec = {
  /** A handle for `parent` references within one createArchiveThread call. */
  key?: string;
  messageId?: string;
  /** Key or Message-ID of the parent. */
  parent?: string;
  inferredParent?: boolean;
  /** A message that was referenced but never received. */
  placeholder?: boolean;
  subject?: string;
  fromName?: string;
  fromAddress?: string | null;
  date?: Date;
  text?: string;
  /** Raw HTML from the mail; stored sanitized, as the importer does. */
  html?: string | null;
  /** hiddenReason, e.g. "takedown: asked by the author". */
  hidden?: string;
  attachments?: AttachmentSpec[];
  /** The raw bytes; built from the other fields when omitted; null keeps none. */
  raw?: Buffer | string | null;
  /** Extra header lines for the built raw message. */
  headers?: string[];
};

/** A plain RFC 5322 message from a spec (multipart when it has HTML or attachments). */
export function buildRawMessage(spec: MessageSpec & { messageId: string; references?: string[] }): Buffer {
  const from = spec.fromAddress ? (spec.fromName ? `"${spec.fromName}" <${spec.fromAddress}>` : spec.fromAddress) : spec.fromName ?? "unknown";
  const headers = [
    `From: ${from}`,
    `Subject: ${spec.subject ?? ""}`,
    `Date: ${(spec.date ?? new Date()).toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <${spec.messageId}>`,
    ...(spec.references?.length ? [`In-Reply-To: <${spec.references.at(-1)}>`, `References: ${spec.references.map((r) => `<${r}>`).join(" ")}`] : []),
    "MIME-Version: 1.0",
    ...(spec.headers ?? []),
  ];
  const text = spec.text ?? "";
  if (!spec.html && !spec.attachments?.length) {
    return Buffer.from(`${headers.join("\n")}\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${text}\n`, "utf8");
  }
  const boundary = `=_boundary_${createHash("sha1").update(spec.messageId).digest("hex").slice(0, 12)}`;
  const parts = [`Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${text}\n`];
  if (spec.html) parts.push(`Content-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n${spec.html}\n`);
  for (const a of spec.attachments ?? []) {
    const content = Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content, "utf8");
    const b64 = content.toString("base64").match(/.{1,76}/g)?.join("\n") ?? "";
    parts.push(
      `Content-Type: ${a.contentType}; name="${a.filename.replace(/"/g, "")}"\nContent-Transfer-Encoding: base64\n` +
        `Content-Disposition: ${a.inline ? "inline" : "attachment"}; filename="${a.filename.replace(/"/g, "")}"\n` +
        `${a.contentId ? `Content-ID: <${a.contentId}>\n` : ""}\n${b64}\n`,
    );
  }
  const body = parts.map((part) => `--${boundary}\n${part}`).join("") + `--${boundary}--\n`;
  return Buffer.from(`${headers.join("\n")}\nContent-Type: multipart/mixed; boundary="${boundary}"\n\nThis is a multi-part message in MIME format.\n\n${body}`, "utf8");
}

/** Writes an attachment where the importer's store puts it: DATA_DIR/attachments/aa/bb/sha256. */
export function storeAttachmentFile(content: Buffer): string {
  const sha256 = createHash("sha256").update(content).digest("hex");
  const dir = path.resolve(process.env.DATA_DIR || "./data", "attachments", sha256.slice(0, 2), sha256.slice(2, 4));
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, sha256), content);
  return sha256;
}

function baseSubject(subject: string): string {
  return subject.replace(/^(?:\s*(?:re|fwd?|aw)\s*:\s*)+/i, "").trim().toLowerCase();
}

/**
 * One thread, root first. `parent` names an earlier spec's key or a Message-ID;
 * placeholders take the place of messages that were referenced but never
 * received. Counters on the thread and the list are brought up to date.
 */
export async function createArchiveThread(list: ListRecord, specs: MessageSpec[]) {
  if (!specs.length) throw new Error("a thread needs at least one message");
  const ids = specs.map((spec) => spec.messageId ?? `${spec.key ?? "m"}.${unique()}@test.example`);
  const keyToId = new Map(specs.map((spec, i) => [spec.key ?? ids[i]!, ids[i]!]));
  const root = specs[0]!;
  const firstDate = root.date ?? new Date();
  const thread = await db.mailThread.create({
    data: {
      listId: list.id,
      publicId: threadPublicId(list.slug, ids[0]!),
      subject: root.subject ?? "",
      firstAt: firstDate,
      lastAt: firstDate,
    },
  });
  const rows: Awaited<ReturnType<typeof createArchiveMessage>>[] = [];
  const chain = new Map<string, string[]>();
  for (const [i, spec] of specs.entries()) {
    const messageId = ids[i]!;
    const parentId = spec.parent ? keyToId.get(spec.parent) ?? spec.parent : null;
    const references = parentId ? [...(chain.get(parentId) ?? []), parentId] : [];
    chain.set(messageId, references);
    rows.push(await createArchiveMessage(list, { ...spec, messageId, parent: parentId ?? undefined }, thread.id, spec.inferredParent ? [] : references));
  }
  await refreshArchiveCounts(list.id, [thread.id]);
  const byKey = new Map(specs.map((spec, i) => [spec.key ?? ids[i]!, rows[i]!]));
  return { thread: (await db.mailThread.findUniqueOrThrow({ where: { id: thread.id } })), messages: rows, byKey };
}

/** One message row (with raw bytes and attachments) in `threadId`. */
export async function createArchiveMessage(list: ListRecord, spec: MessageSpec & { messageId: string }, threadId: number | null, references: string[] = []) {
  const publicId = messagePublicId(list.slug, spec.messageId);
  if (spec.placeholder) {
    return db.mailMessage.create({
      data: {
        listId: list.id, publicId, messageId: spec.messageId, kind: "placeholder", threadId,
        parentMessageId: spec.parent ?? null, claimsParent: Boolean(spec.parent), references: JSON.stringify(references),
        subject: "", date: spec.date ?? null,
      },
    });
  }
  const subject = spec.subject ?? "A test message";
  const date = spec.date ?? new Date();
  const raw = spec.raw === null ? null : Buffer.isBuffer(spec.raw) ? spec.raw : spec.raw !== undefined ? Buffer.from(spec.raw, "utf8") : buildRawMessage({ ...spec, subject, date, references });
  const fromAddress = spec.fromAddress === undefined ? "someone@example.org" : spec.fromAddress;
  const created = await db.mailMessage.create({
    data: {
      listId: list.id,
      publicId,
      messageId: spec.messageId,
      kind: "message",
      threadId,
      parentMessageId: spec.parent ?? null,
      claimsParent: Boolean(spec.parent) && !spec.inferredParent,
      inferredParent: Boolean(spec.inferredParent),
      inReplyTo: spec.inferredParent ? null : references.at(-1) ?? null,
      references: JSON.stringify(references),
      subject,
      normalizedSubject: baseSubject(subject),
      fromName: spec.fromName ?? "",
      fromAddress,
      date,
      textBody: spec.text ?? "",
      htmlBody: spec.html ? sanitizeMailHtml(spec.html) : null,
      size: raw?.length ?? 0,
      rawSha256: raw ? createHash("sha256").update(raw).digest("hex") : null,
      sourceKind: "mbox",
      hiddenAt: spec.hidden ? new Date() : null,
      hiddenReason: spec.hidden ?? null,
      ...(raw ? { raw: { create: { gz: gzipSync(raw) } } } : {}),
    },
  });
  for (const [position, a] of (spec.attachments ?? []).entries()) {
    const content = Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content, "utf8");
    const sha256 = a.skipped ? null : storeAttachmentFile(content);
    await db.mailAttachment.create({
      data: {
        messageRowId: created.id, position, filename: a.filename, contentType: a.contentType, size: content.length, sha256,
        inline: Boolean(a.inline), contentId: a.contentId ?? null, skipped: a.skipped ?? null,
      },
    });
  }
  return created;
}

/** Thread (all, or those given) and list counters as the importer keeps them. */
export async function refreshArchiveCounts(listId: number, threadIds?: number[]) {
  const threads = threadIds ? threadIds.map((id) => ({ id })) : await db.mailThread.findMany({ where: { listId }, select: { id: true } });
  for (const { id } of threads) {
    const [messageCount, missingCount, range] = await Promise.all([
      db.mailMessage.count({ where: { threadId: id, kind: "message", hiddenAt: null } }),
      db.mailMessage.count({ where: { threadId: id, kind: "placeholder" } }),
      db.mailMessage.aggregate({ where: { threadId: id, kind: "message" }, _min: { date: true }, _max: { date: true } }),
    ]);
    await db.mailThread.update({
      where: { id },
      data: {
        messageCount, missingCount,
        ...(range._min.date ? { firstAt: range._min.date } : {}),
        ...(range._max.date ? { lastAt: range._max.date } : {}),
      },
    });
  }
  const [messageCount, threadCount, last] = await Promise.all([
    db.mailMessage.count({ where: { listId, kind: "message", hiddenAt: null } }),
    db.mailThread.count({ where: { listId, messageCount: { gt: 0 } } }),
    db.mailMessage.aggregate({ where: { listId, kind: "message", hiddenAt: null }, _max: { date: true } }),
  ]);
  return db.mailingList.update({ where: { id: listId }, data: { messageCount, threadCount, lastMessageAt: last._max.date } });
}

// ---------------------------------------------------------------------------
// The end-to-end data set.

/** Midday UTC on `day` of the month `monthsAgo` months before now (always in the past). */
export function daysIntoMonth(monthsAgo: number, day: number, hour = 12): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - monthsAgo, day, hour));
}

export async function seedE2eArchive(slug = `e2e-list-${unique()}`) {
  const list = await createArchiveList({
    slug,
    name: "Python Tutor (demo)",
    description: "Questions and answers for people learning Python.",
    hostName: "Example Lists Org",
    hostUrl: "https://lists.example.org/",
    infoUrl: `https://lists.example.org/mailman/listinfo/${slug}`,
    contact: "listmaster@example.org",
    listAddress: `${slug}@lists.example.org`,
  });
  const footer = `_______________________________________________\n${list.name} mailing list\n${slug}@lists.example.org\nhttps://lists.example.org/mailman/listinfo/${slug}`;
  const main = await createArchiveThread(list, [
    {
      key: "root", fromName: "Jane Doe", fromAddress: "jane.doe@example.org", date: daysIntoMonth(1, 3, 9),
      subject: "Parsing dates with strptime",
      text: `Hello all,\n\nHow do I parse "2024-03-01 10:00" with datetime.strptime? Write to me at jane.doe@example.org if you prefer.\n\n-- \nJane Doe\nhttps://jane.example.org/\n${footer}`,
    },
    {
      key: "reply", parent: "root", fromName: "Bob Smith", fromAddress: "bob@example.com", date: daysIntoMonth(1, 3, 11),
      subject: "Re: Parsing dates with strptime",
      text: `On Monday, Jane Doe <jane.doe@example.org> wrote:\n> How do I parse "2024-03-01 10:00" with datetime.strptime?\n> Write to me at jane.doe@example.org if you prefer.\n> Thanks in advance\n> Jane\n\nUse datetime.strptime(s, "%Y-%m-%d %H:%M").\nFrom experience, it is the simplest way.\n\n${footer}`,
    },
    { key: "lost", parent: "reply", placeholder: true, date: daysIntoMonth(1, 4) },
    {
      key: "after-lost", parent: "lost", fromName: "Carol", fromAddress: "carol@example.net", date: daysIntoMonth(1, 5),
      subject: "Re: Parsing dates with strptime", text: "Replying to a message the archive never received.",
    },
    {
      key: "guessed", parent: "root", inferredParent: true, fromName: "Dave", fromAddress: "dave@example.net", date: daysIntoMonth(1, 6),
      subject: "Re: Parsing dates with strptime", text: "My mail client forgot the References header.",
    },
    {
      key: "removed", parent: "root", fromName: "Eve", fromAddress: "eve@example.net", date: daysIntoMonth(1, 7),
      subject: "Re: Parsing dates with strptime", text: "My phone number is 555-0100, call me.", hidden: "personal-data: phone number posted by mistake",
    },
    {
      key: "attach", parent: "reply", fromName: "Frank", fromAddress: "frank@example.net", date: daysIntoMonth(1, 8),
      subject: "Re: Parsing dates with strptime", text: "Here is a small script.", html: "<p>Here is a <strong>small</strong> script.</p>",
      attachments: [{ filename: "parse_dates.py", contentType: "text/x-python", content: 'from datetime import datetime\nprint(datetime.strptime("2024-03-01 10:00", "%Y-%m-%d %H:%M"))\n' }],
    },
  ]);
  const older = await createArchiveThread(list, [
    { key: "o1", fromName: "Grace", fromAddress: "grace@example.net", date: daysIntoMonth(2, 10), subject: "Welcome to the list", text: "Introduce yourselves!" },
    { key: "o2", parent: "o1", fromName: "Heidi", fromAddress: "heidi@example.net", date: daysIntoMonth(2, 11), subject: "Re: Welcome to the list", text: "Hi, I am Heidi." },
  ]);
  const raw = await db.mailRaw.findUniqueOrThrow({ where: { messageRowId: main.byKey.get("root")!.id } });
  const { gunzipSync } = await import("node:zlib");
  const pick = (m: { publicId: string; messageId: string }) => ({ publicId: m.publicId, messageId: m.messageId });
  return {
    slug: list.slug,
    name: list.name,
    hostName: list.hostName,
    thread: main.thread.publicId,
    olderThread: older.thread.publicId,
    month: `${daysIntoMonth(1, 3).getUTCFullYear()}/${String(daysIntoMonth(1, 3).getUTCMonth() + 1).padStart(2, "0")}`,
    root: pick(main.byKey.get("root")!),
    reply: pick(main.byKey.get("reply")!),
    removed: pick(main.byKey.get("removed")!),
    attach: pick(main.byKey.get("attach")!),
    rootRawBase64: gunzipSync(raw.gz).toString("base64"),
  };
}

const invokedDirectly = process.argv[1] ? import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href : false;
if (invokedDirectly && process.argv[2] === "e2e") {
  seedE2eArchive(process.argv[3])
    .then((result) => {
      process.stdout.write(`${JSON.stringify(result)}\n`);
      return db.$disconnect();
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
