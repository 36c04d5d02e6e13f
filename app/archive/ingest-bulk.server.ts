// The fast path for storing many messages in one transaction. The rules are
// those of commitParsed and placeInThread (ingest.server.ts,
// ingest-threads.server.ts); what differs is how often the database is asked:
//
// - one query per batch finds which of the batch's Message-IDs (its own, the
//   aliases of synthetic ids, and the ones it references) are already rows,
//   one finds its tombstones, one the candidate threads for subject grouping;
// - threading runs against those rows in memory, with the rows and thread
//   counters this batch has written so far;
// - rows are written with multi-row inserts, and each touched thread's
//   counters once, when the batch is flushed (always before its transaction
//   commits, so a batch stays all or nothing).
//
// The common cases (a new message, a reply to a known message, missing
// ancestors becoming new placeholders, grouping by subject) are handled here.
// Everything else (a placeholder turned into its message, a References chain
// that re-parents existing roots, tombstoned mail, counters that need a
// recount) is rare: the writer flushes what it holds and hands that one
// message to the per-message path, then reads the rows it needs again.
import { normalizeSubject, subjectKey } from "../../importer/base-subject.ts";
import { planParent, type ThreadStore } from "../../importer/thread-incremental.ts";
import { threadInputOf } from "../../importer/thread-parent.ts";
import { BulkSql, dateOf, insertSql, int, intOrNull } from "./bulk-sql.server";
import { messagePublicId, threadPublicId } from "./ids";
import type { IngestProvenance, ParsedPrepared, PreparedMessage } from "./ingest-prepare.server";
import { SUBJECT_WINDOW_DAYS, type ArchiveListRef, type CachedNode, type ListDelta, type Tx } from "./ingest-threads.server";

const DAY_MS = 24 * 60 * 60 * 1000;
const WINDOW_MS = SUBJECT_WINDOW_DAYS * DAY_MS;
const MAX_WALK = 100_000;
const IN_CHUNK = 500;
/** Above this many candidate threads for a batch, subject grouping asks the database per message. */
const MAX_ANCHOR_CANDIDATES = 20_000;

// PostgreSQL refuses NUL in text columns; mail occasionally carries one.
export function clean(text: string): string {
  return text.includes("\u0000") ? text.replace(/\u0000/g, "") : text;
}

const NO_SOURCE = { sourceMailbox: null, sourceUidValidity: null, sourceUid: null, sourceFile: null, sourceOffset: null };

/** Provenance columns, every one of them given (multi-row inserts want the same columns in every row). */
export function provenanceColumns(provenance: IngestProvenance) {
  return { ...NO_SOURCE, ...sourceOf(provenance) };
}

function sourceOf(provenance: IngestProvenance) {
  switch (provenance.kind) {
    case "mbox":
      return { sourceKind: "mbox", sourceFile: provenance.file, sourceOffset: BigInt(provenance.offset) };
    case "imap":
      return { sourceKind: "imap", sourceMailbox: provenance.mailbox, sourceUidValidity: provenance.uidValidity, sourceUid: provenance.uid };
    default:
      return { sourceKind: "manual", sourceFile: provenance.label ?? null };
  }
}

/** A placeholder row with every column given, like a message row. */
function placeholderColumns(placeholder: { messageId: string; parentMessageId: string | null }) {
  return {
    kind: "placeholder",
    messageIdSynthetic: false,
    parentMessageId: placeholder.parentMessageId,
    claimsParent: false,
    inferredParent: false,
    inReplyTo: null,
    references: "[]",
    subject: "",
    normalizedSubject: "",
    fromName: "",
    fromAddress: null,
    date: null,
    dateFallback: false,
    textBody: "",
    htmlBody: null,
    size: 0,
    rawSha256: null,
    archivedAt: null,
    sourceKind: null,
    ...NO_SOURCE,
    fetchedAt: new Date(),
    hiddenAt: null,
    hiddenReason: null,
    hiddenById: null,
  };
}

/** The MailMessage columns of a stored message (both paths write exactly these). */
export function messageColumns(
  prepared: ParsedPrepared,
  placement: { parentMessageId: string | null; claimsParent: boolean; inferredParent: boolean },
  tombstone: { reason: string; createdById: number | null } | null,
) {
  const m = prepared.message;
  const provenance = prepared.item.provenance;
  return {
    kind: "message",
    messageIdSynthetic: m.messageIdSynthetic,
    parentMessageId: placement.parentMessageId,
    claimsParent: placement.claimsParent,
    inferredParent: placement.inferredParent,
    inReplyTo: m.inReplyTo,
    references: JSON.stringify(m.references),
    subject: clean(m.subject),
    normalizedSubject: clean(m.normalizedSubject),
    fromName: clean(m.fromName),
    fromAddress: m.fromAddress,
    date: m.date,
    dateFallback: m.dateFallback,
    textBody: clean(m.text),
    htmlBody: prepared.htmlBody === null ? null : clean(prepared.htmlBody),
    size: m.size,
    rawSha256: m.sha256,
    archivedAt: m.archivedAt,
    ...provenanceColumns(provenance),
    fetchedAt: new Date(),
    hiddenAt: tombstone ? new Date() : null,
    hiddenReason: tombstone?.reason ?? null,
    hiddenById: tombstone?.createdById ?? null,
  };
}

type ThreadState = {
  /** Null until the thread is inserted at the next flush. */
  id: number | null;
  /** Tie-break among equal lastAt, like the id: threads made in this batch come after all stored ones. */
  order: number;
  publicId: string;
  subject: string;
  key: string;
  messageCount: number;
  missingCount: number;
  firstAt: Date;
  lastAt: Date;
  dirty: boolean;
  /** The root row: its Message-ID when it is this thread's root (null: it is not), and whether it is a visible message. Undefined until read. */
  root?: { messageId: string | null; visible: boolean };
};

type Node = {
  kind: "message" | "placeholder";
  parentMessageId: string | null;
  claimsParent: boolean;
  /** A stored thread id, or the state of a thread this batch touched. */
  thread: number | ThreadState | null;
  publicId: string;
};

type PendingRow = {
  messageId: string;
  thread: ThreadState;
  data: Record<string, unknown>;
  message: ParsedPrepared | null;
};

/** Every MailMessage column the importer writes, in the order of its INSERT. */
const MESSAGE_COLUMNS = [
  "listId", "publicId", "messageId", "threadId", "kind", "messageIdSynthetic", "parentMessageId", "claimsParent", "inferredParent",
  "inReplyTo", "references", "subject", "normalizedSubject", "fromName", "fromAddress", "date", "dateFallback", "textBody", "htmlBody",
  "size", "rawSha256", "archivedAt", "sourceKind", "sourceMailbox", "sourceUidValidity", "sourceUid", "sourceFile", "sourceOffset",
  "fetchedAt", "hiddenAt", "hiddenById", "hiddenReason",
] as const;

const INSERT_MESSAGE = insertSql("MailMessage", MESSAGE_COLUMNS, "id");
const INSERT_THREAD = insertSql("MailThread", ["listId", "publicId", "subject", "messageCount", "missingCount", "firstAt", "lastAt"], "id");
const INSERT_RAW = insertSql("MailRaw", ["messageRowId", "gz"]);
const INSERT_ATTACHMENT = insertSql("MailAttachment", ["messageRowId", "position", "filename", "contentType", "size", "sha256", "inline", "contentId", "skipped"]);
const INSERT_SEARCH_ENTRY = insertSql("SearchOutbox", ["kind", "targetId", "createdAt"]);
const UPDATE_THREAD = `UPDATE "MailThread" SET "messageCount" = ?, "missingCount" = ?, "firstAt" = ?, "lastAt" = ?, "subject" = ? WHERE "id" = ?`;

const THREAD_COLUMNS = { id: true, publicId: true, messageCount: true, missingCount: true, firstAt: true, lastAt: true, subject: true } as const;

export type BulkResult =
  | { status: "created"; messageId: string; publicId: string; threadPublicId: string }
  | { status: "duplicate"; messageId: string; publicId: string };

export class BulkWriter {
  private nodes = new Map<string, Node | undefined>();
  private threads = new Map<number, ThreadState>();
  private fresh: ThreadState[] = [];
  private byKey = new Map<string, Set<ThreadState>>();
  private takenThreadIds = new Set<string>();
  private tombstoneIds = new Set<string>();
  private tombstoneShas = new Set<string>();
  private pending: PendingRow[] = [];
  private anchorsLoaded = false;
  private anchorsInDb = false;
  private prefetchedUpTo = 0;
  private prefetchStep: number;
  private freshOrder = Number.MAX_SAFE_INTEGER / 2;

  constructor(
    private readonly tx: Tx,
    private readonly list: ArchiveListRef,
    private readonly batch: ParsedPrepared[],
    private readonly state: { delta: ListDelta; newestVisible: Date | null; hasTombstones: boolean },
  ) {
    this.prefetchStep = batch.length;
  }

  /** Reads the batch's tombstones; call once before the first message. */
  async start(): Promise<void> {
    if (!this.state.hasTombstones || this.batch.length === 0) return;
    const ids = [...new Set(this.batch.flatMap((p) => [p.message.messageId, ...p.message.messageIdAliases]))];
    const shas = [...new Set(this.batch.flatMap((p) => [p.message.sha256, ...p.message.sha256Aliases]))];
    for (let i = 0; i < Math.max(ids.length, shas.length); i += IN_CHUNK) {
      const rows = await this.tx.mailTombstone.findMany({
        where: { listId: this.list.id, OR: [{ messageId: { in: ids.slice(i, i + IN_CHUNK) } }, { rawSha256: { in: shas.slice(i, i + IN_CHUNK) } }] },
        select: { messageId: true, rawSha256: true },
      });
      for (const row of rows) {
        this.tombstoneIds.add(row.messageId);
        if (row.rawSha256) this.tombstoneShas.add(row.rawSha256);
      }
    }
  }

  /**
   * Stores the batch's message at `index` (messages must come in batch
   * order), or returns null when it needs the per-message path: the caller
   * then calls `flush()`, runs that path, and `invalidate()`.
   */
  async tryCommit(index: number): Promise<BulkResult | null> {
    const prepared = this.batch[index]!;
    const m = prepared.message;
    if (index >= this.prefetchedUpTo) await this.prefetch(index);
    return this.place(prepared, m);
  }

  private async place(prepared: ParsedPrepared, m: PreparedMessage): Promise<BulkResult | null> {
    const slug = this.list.slug;
    const existing = await this.node(m.messageId);
    if (existing && existing.kind === "message") return { status: "duplicate", messageId: m.messageId, publicId: existing.publicId };
    if (existing) return null; // a placeholder becomes the message: per-message path
    for (const alias of m.messageIdAliases) {
      const stored = await this.node(alias);
      if (stored?.kind === "message") return { status: "duplicate", messageId: alias, publicId: stored.publicId };
    }
    if (this.isTombstoned(m)) return null;

    const store: ThreadStore = { get: async (id) => toStored(await this.node(id)) };
    const plan = await planParent(threadInputOf(m), store);
    if (plan.reparent.length > 0) return null;
    let parentMessageId = plan.parentMessageId;
    let inferredParent = false;
    let target: ThreadState | null = null;
    let rootMessageId = m.messageId;
    if (parentMessageId === null && m.inReplyTo === null && m.references.length === 0) {
      const anchor = await this.subjectAnchor(m.normalizedSubject, m.date);
      if (anchor === undefined) return null;
      if (anchor !== null) {
        parentMessageId = anchor.messageId;
        inferredParent = true;
        target = anchor.thread;
      }
    }

    const created = new Map(plan.createPlaceholders.map((p) => [p.messageId, p]));
    if (target === null && parentMessageId !== null) {
      // Walk up to the first stored node with a thread (placeInThread's rule).
      const seen = new Set<string>();
      let cursor: string | null = parentMessageId;
      while (cursor !== null && !seen.has(cursor) && seen.size < MAX_WALK) {
        seen.add(cursor);
        const placeholder = created.get(cursor);
        const node = placeholder ? undefined : await this.node(cursor);
        if (!placeholder && !node) break;
        rootMessageId = cursor;
        if (node) {
          if (node.thread === null) return null;
          target = await this.threadOf(node.thread);
          if (target === null) return null;
          break;
        }
        cursor = placeholder!.parentMessageId;
      }
    }

    const time = m.date.getTime();
    const subject = clean(m.subject);
    if (target !== null) {
      const isRoot = target.publicId === threadPublicId(slug, m.messageId);
      if (!isRoot && (target.messageCount === 0 || time <= target.firstAt.getTime())) {
        const root = await this.rootOf(target);
        if (!root.visible) return null; // the subject needs a recount: per-message path
      }
      const before = target.messageCount;
      target.messageCount += 1;
      target.missingCount += plan.createPlaceholders.length;
      if (isRoot) this.setSubject(target, subject);
      if (before === 0 || time < target.firstAt.getTime()) target.firstAt = m.date;
      if (before === 0 || time > target.lastAt.getTime()) target.lastAt = m.date;
      target.dirty = true;
      addThreadChange(this.state.delta, before, before + 1);
    } else {
      const publicId = threadPublicId(slug, rootMessageId);
      if (this.takenThreadIds.has(publicId)) return null;
      target = {
        id: null,
        order: this.freshOrder++,
        publicId,
        subject,
        key: subjectKey(normalizeSubject(subject)),
        messageCount: 1,
        missingCount: plan.createPlaceholders.length,
        firstAt: m.date,
        lastAt: m.date,
        dirty: false,
        root: { messageId: rootMessageId, visible: rootMessageId === m.messageId },
      };
      this.takenThreadIds.add(publicId);
      this.fresh.push(target);
      this.index(target);
      addThreadChange(this.state.delta, 0, 1);
    }

    for (const p of plan.createPlaceholders) {
      const publicId = messagePublicId(slug, p.messageId);
      this.nodes.set(p.messageId, { kind: "placeholder", parentMessageId: p.parentMessageId, claimsParent: false, thread: target, publicId });
      this.pending.push({
        messageId: p.messageId,
        thread: target,
        message: null,
        data: { ...placeholderColumns(p), listId: this.list.id, messageId: p.messageId, publicId },
      });
    }
    const publicId = messagePublicId(slug, m.messageId);
    this.nodes.set(m.messageId, { kind: "message", parentMessageId, claimsParent: plan.claimsParent, thread: target, publicId });
    this.pending.push({
      messageId: m.messageId,
      thread: target,
      message: prepared,
      data: {
        ...messageColumns(prepared, { parentMessageId, claimsParent: plan.claimsParent, inferredParent }, null),
        listId: this.list.id,
        messageId: m.messageId,
        publicId,
      },
    });
    if (!this.state.newestVisible || m.date > this.state.newestVisible) this.state.newestVisible = m.date;
    return { status: "created", messageId: m.messageId, publicId, threadPublicId: target.publicId };
  }

  /** A tombstone names the message, or (synthetic ids) an alias or the bytes in either line-ending form. */
  private isTombstoned(m: PreparedMessage): boolean {
    if (this.tombstoneIds.has(m.messageId) || this.tombstoneShas.has(m.sha256)) return true;
    return m.messageIdAliases.some((id) => this.tombstoneIds.has(id)) || m.sha256Aliases.some((sha) => this.tombstoneShas.has(sha));
  }

  /**
   * Writes what the batch holds: new threads, rows, raw bytes, attachments,
   * search entries, counters, with prepared statements on the transaction's
   * own connection (BulkSql): Prisma's per-value cost (every value serialized
   * for its query engine and converted back, raw bytes as base64) was most
   * of the import's main-thread time.
   */
  async flush(): Promise<void> {
    const sql = BulkSql.forOpenTransaction();
    for (const t of this.fresh) {
      t.id = sql.insertReturningId(INSERT_THREAD, [this.list.id, t.publicId, t.subject, t.messageCount, t.missingCount, t.firstAt, t.lastAt]);
      t.dirty = false;
      this.threads.set(t.id, t);
    }
    this.fresh = [];
    const pending = this.pending;
    this.pending = [];
    const now = new Date();
    for (const row of pending) {
      const data: Record<string, unknown> = { ...row.data, threadId: row.thread.id };
      const rowId = sql.insertReturningId(INSERT_MESSAGE, MESSAGE_COLUMNS.map((c) => data[c] ?? null));
      const prepared = row.message;
      if (!prepared) continue;
      sql.run(INSERT_RAW, [rowId, prepared.gz]);
      prepared.attachments.forEach((a, position) =>
        sql.run(INSERT_ATTACHMENT, [rowId, position, clean(a.filename), a.contentType.slice(0, 255), a.size, a.stored ? a.sha256 : null, a.inline, a.contentId, a.skipped]),
      );
      sql.run(INSERT_SEARCH_ENTRY, ["mail", rowId, now]);
    }
    for (const t of this.threads.values()) {
      if (!t.dirty) continue;
      sql.run(UPDATE_THREAD, [t.messageCount, t.missingCount, t.firstAt, t.lastAt, t.subject, t.id]);
      t.dirty = false;
    }
    await Promise.resolve();
  }

  /** Forgets every row and thread read so far (after the per-message path changed them). Call after flush(). */
  invalidate(nextIndex: number): void {
    this.nodes.clear();
    this.threads.clear();
    this.byKey.clear();
    this.takenThreadIds.clear();
    this.anchorsLoaded = false;
    this.prefetchedUpTo = nextIndex;
    // Read ahead little at first: several messages in a row may need the per-message path.
    this.prefetchStep = 16;
  }

  private async prefetch(from: number): Promise<void> {
    const to = Math.min(this.batch.length, from + this.prefetchStep);
    this.prefetchStep = Math.min(this.batch.length, this.prefetchStep * 4);
    this.prefetchedUpTo = to;
    const ids = new Set<string>();
    for (const p of this.batch.slice(from, to)) {
      const m = p.message;
      ids.add(m.messageId);
      for (const alias of m.messageIdAliases) ids.add(alias);
      if (m.inReplyTo) ids.add(m.inReplyTo);
      for (const ref of m.references) ids.add(ref);
    }
    const wanted = [...ids].filter((id) => !this.nodes.has(id));
    // Look-ups on the transaction's own connection, like the writes (flush): they run for every batch.
    const sql = BulkSql.forOpenTransaction();
    for (let i = 0; i < wanted.length; i += IN_CHUNK) {
      const chunk = wanted.slice(i, i + IN_CHUNK);
      const rows = sql.all<NodeRow>(SELECT_NODES, [this.list.id, JSON.stringify(chunk)]);
      for (const id of chunk) this.nodes.set(id, undefined);
      for (const row of rows) this.nodes.set(row.messageId, nodeOfRow(row));
      // A thread named after an id that has no row (should not happen) sends that message to the per-message path.
      const missing = chunk.filter((id) => this.nodes.get(id) === undefined).map((id) => threadPublicId(this.list.slug, id));
      if (missing.length > 0) {
        for (const t of sql.all<{ publicId: string }>(SELECT_TAKEN_THREADS, [JSON.stringify(missing)])) this.takenThreadIds.add(t.publicId);
      }
    }
  }

  private async node(messageId: string): Promise<Node | undefined> {
    if (this.nodes.has(messageId)) return this.nodes.get(messageId);
    const sql = BulkSql.forOpenTransaction();
    const [row] = sql.all<NodeRow>(SELECT_NODES, [this.list.id, JSON.stringify([messageId])]);
    const node = row ? nodeOfRow(row) : undefined;
    this.nodes.set(messageId, node);
    if (!node) {
      const publicId = threadPublicId(this.list.slug, messageId);
      if (sql.all(SELECT_TAKEN_THREADS, [JSON.stringify([publicId])]).length > 0) this.takenThreadIds.add(publicId);
    }
    return node;
  }

  private async threadOf(thread: number | ThreadState): Promise<ThreadState | null> {
    if (typeof thread !== "number") return thread;
    const known = this.threads.get(thread);
    if (known) return known;
    const [row] = BulkSql.forOpenTransaction().all<Record<string, unknown>>(SELECT_THREAD, [thread]);
    return row
      ? this.remember({
          id: int(row.id), publicId: String(row.publicId), messageCount: int(row.messageCount), missingCount: int(row.missingCount),
          firstAt: dateOf(row.firstAt), lastAt: dateOf(row.lastAt), subject: String(row.subject),
        })
      : null;
  }

  private remember(row: { id: number; publicId: string; messageCount: number; missingCount: number; firstAt: Date; lastAt: Date; subject: string }): ThreadState {
    const known = this.threads.get(row.id);
    if (known) return known;
    const t: ThreadState = { ...row, order: row.id, key: subjectKey(normalizeSubject(row.subject)), dirty: false };
    this.threads.set(row.id, t);
    this.index(t);
    return t;
  }

  private index(t: ThreadState): void {
    if (t.key === "") return;
    let set = this.byKey.get(t.key);
    if (!set) this.byKey.set(t.key, (set = new Set()));
    set.add(t);
  }

  private setSubject(t: ThreadState, subject: string): void {
    if (t.subject === subject) return;
    this.byKey.get(t.key)?.delete(t);
    t.subject = subject;
    t.key = subjectKey(normalizeSubject(subject));
    this.index(t);
  }

  private async rootOf(t: ThreadState): Promise<{ messageId: string | null; visible: boolean }> {
    if (t.root) return t.root;
    const row = await this.tx.mailMessage.findUnique({
      where: { publicId: t.publicId },
      select: { messageId: true, threadId: true, kind: true, hiddenAt: true },
    });
    const isRoot = row !== null && row.threadId === t.id;
    t.root = { messageId: isRoot ? row.messageId : null, visible: isRoot && row.kind === "message" && row.hiddenAt === null };
    return t.root;
  }

  /**
   * findSubjectAnchor's rule over the threads in memory: the most recent
   * thread (lastAt, then id) with the same base subject and a visible message
   * within 31 days, whose root row is its root. Undefined: ask the database.
   */
  private async subjectAnchor(normalizedSubject: string, date: Date): Promise<{ messageId: string; thread: ThreadState } | null | undefined> {
    const key = subjectKey(normalizedSubject);
    if (key === "") return null;
    if (!this.anchorsLoaded && !this.anchorsInDb) await this.loadAnchorCandidates();
    if (this.anchorsInDb) return undefined;
    const time = date.getTime();
    const matches = [...(this.byKey.get(key) ?? [])]
      .filter((t) => t.messageCount > 0 && t.lastAt.getTime() >= time - WINDOW_MS && t.lastAt.getTime() <= time + WINDOW_MS)
      .sort((a, b) => b.lastAt.getTime() - a.lastAt.getTime() || b.order - a.order);
    for (const t of matches) {
      const root = await this.rootOf(t);
      if (root.messageId !== null) return { messageId: root.messageId, thread: t };
    }
    return null;
  }

  /** Every thread that subject grouping could pick for a message of this batch. */
  private async loadAnchorCandidates(): Promise<void> {
    this.anchorsLoaded = true;
    let min = Infinity;
    let max = -Infinity;
    for (const p of this.batch) {
      const m = p.message;
      if (m.inReplyTo !== null || m.references.length > 0) continue;
      min = Math.min(min, m.date.getTime());
      max = Math.max(max, m.date.getTime());
    }
    if (min > max) return;
    const rows = await this.tx.mailThread.findMany({
      where: { listId: this.list.id, messageCount: { gt: 0 }, lastAt: { gte: new Date(min - WINDOW_MS), lte: new Date(max + WINDOW_MS) } },
      select: THREAD_COLUMNS,
      take: MAX_ANCHOR_CANDIDATES + 1,
    });
    if (rows.length > MAX_ANCHOR_CANDIDATES) this.anchorsInDb = true;
    else for (const row of rows) this.remember(row);
  }
}

type NodeRow = { messageId: string; publicId: string; kind: string; parentMessageId: string | null; claimsParent: unknown; parentSetAt: unknown; threadId: unknown };

const SELECT_NODES = `SELECT "messageId", "publicId", "kind", "parentMessageId", "claimsParent", "parentSetAt", "threadId" FROM "MailMessage"
  WHERE "listId" = ? AND "messageId" IN (SELECT value FROM json_each(?))`;
const SELECT_TAKEN_THREADS = `SELECT "publicId" FROM "MailThread" WHERE "publicId" IN (SELECT value FROM json_each(?))`;
const SELECT_THREAD = `SELECT "id", "publicId", "messageCount", "missingCount", "firstAt", "lastAt", "subject" FROM "MailThread" WHERE "id" = ?`;

/** A node from a driver row (integers as BigInt, booleans as 0/1). */
function nodeOfRow(row: NodeRow): Node {
  return nodeOf({
    publicId: row.publicId,
    kind: row.kind,
    parentMessageId: row.parentMessageId,
    claimsParent: int(row.claimsParent) !== 0,
    parentSetAt: row.parentSetAt === null ? null : dateOf(row.parentSetAt),
    threadId: intOrNull(row.threadId),
  });
}

function nodeOf(row: { publicId: string; kind: string; parentMessageId: string | null; claimsParent: boolean; parentSetAt: Date | null; threadId: number | null }): Node {
  return {
    kind: row.kind === "placeholder" ? "placeholder" : "message",
    parentMessageId: row.parentMessageId,
    // A moderator's placement counts as a claimed parent (see createThreadStore).
    claimsParent: row.claimsParent || row.parentSetAt !== null,
    thread: row.threadId,
    publicId: row.publicId,
  };
}

function toStored(node: Node | undefined): CachedNode | undefined {
  if (!node) return undefined;
  return { kind: node.kind, parentMessageId: node.parentMessageId, claimsParent: node.claimsParent, threadId: typeof node.thread === "number" ? node.thread : null };
}

function addThreadChange(delta: ListDelta, before: number, after: number) {
  delta.messages += after - before;
  delta.threads += (after > 0 ? 1 : 0) - (before > 0 ? 1 : 0);
}
