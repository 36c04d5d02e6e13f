// What search knows about each piece of content: the mapping from database
// rows to SearchDocuments, and the one place that decides what is searchable.
//
// A row is searchable only while everyone may read it: a forum post that is
// not deleted or hidden, in a topic that is not hidden or merged away, on a
// board that is not hidden; an archived message (not a placeholder) that is
// not taken down, in a published list. Everything else is removed from the
// index. Addresses inside texts are masked here, once, so no snippet can show
// an address to an anonymous visitor; `from:` still matches the full address
// through fromKeys.
import { maskEmails } from "~/archive/mask";
import { foldMessageText } from "~/archive/quote-fold";
import type { Prisma } from "~/generated/prisma/client";
import { normalizeKey, tokenizeWords } from "./query.ts";
import type { SearchDocument } from "./types.ts";

type Reader = Pick<Prisma.TransactionClient, "post" | "mailMessage" | "chatMessage">;

/** Long bodies are cut: the start of a message is what identifies it. */
const MAX_BODY_CHARS = 20_000;

const POST_SELECT = {
  id: true,
  number: true,
  raw: true,
  createdAt: true,
  deletedAt: true,
  hiddenAt: true,
  heldAt: true,
  author: { select: { username: true } },
  topic: {
    select: {
      id: true,
      slug: true,
      title: true,
      hiddenAt: true,
      heldAt: true,
      mergedIntoId: true,
      board: { select: { slug: true, name: true, hiddenAt: true } },
    },
  },
} as const;

const MAIL_SELECT = {
  id: true,
  publicId: true,
  kind: true,
  subject: true,
  fromName: true,
  fromAddress: true,
  date: true,
  fetchedAt: true,
  textBody: true,
  hiddenAt: true,
  list: { select: { slug: true, name: true, hostName: true, visibility: true } },
} as const;

const CHAT_SELECT = {
  id: true,
  body: true,
  createdAt: true,
  deletedAt: true,
  author: { select: { username: true } },
  room: { select: { slug: true, name: true } },
} as const;

type PostRow = Prisma.PostGetPayload<{ select: typeof POST_SELECT }>;
type ChatRow = Prisma.ChatMessageGetPayload<{ select: typeof CHAT_SELECT }>;
type MailRow = Prisma.MailMessageGetPayload<{ select: typeof MAIL_SELECT }>;

function cut(text: string): string {
  return text.length > MAX_BODY_CHARS ? text.slice(0, MAX_BODY_CHARS) : text;
}

function unique(values: string[]): string[] {
  return [...new Set(values.filter((value) => value !== ""))];
}

/** Markdown quotes ("> …") are quoted text; everything else is the author's own. */
export function splitMarkdownQuotes(raw: string): { body: string; quoted: string } {
  const body: string[] = [];
  const quoted: string[] = [];
  for (const line of raw.replace(/\r\n?/g, "\n").split("\n")) {
    if (/^ {0,3}>/.test(line)) quoted.push(line.replace(/^ {0,3}(?:> ?)+/, ""));
    else body.push(line);
  }
  return { body: body.join("\n").trim(), quoted: quoted.join("\n").trim() };
}

/** New text and quoted text of a mail body; signatures stay, list footers go. */
export function splitMailText(text: string): { body: string; quoted: string } {
  const body: string[] = [];
  const quoted: string[] = [];
  for (const block of foldMessageText(text)) {
    if (block.kind === "quote") quoted.push(block.text.replace(/^ {0,2}(?:> ?)+/gm, ""));
    else if (block.kind !== "footer") body.push(block.text);
  }
  return { body: body.join("\n").trim(), quoted: quoted.join("\n").trim() };
}

/** The keys `from:` matches: the full address, its local part and domain, and each word of the name. */
export function fromKeysOf(name: string, address: string | null): string[] {
  // Each word of the name, and the whole name for from:"Jane Doe".
  const keys = [...tokenizeWords(name), normalizeKey(name)];
  if (address) {
    const lower = address.trim().toLowerCase();
    const at = lower.lastIndexOf("@");
    keys.push(lower);
    if (at > 0) keys.push(lower.slice(0, at), lower.slice(at + 1));
  }
  return unique(keys);
}

export function isPostSearchable(row: PostRow): boolean {
  return !row.deletedAt && !row.hiddenAt && !row.heldAt && !row.topic.heldAt && !row.topic.hiddenAt && row.topic.mergedIntoId === null && !row.topic.board.hiddenAt;
}

/** Chat rooms are public, archived ones too; a deleted or removed message leaves search. */
export function isChatSearchable(row: ChatRow): boolean {
  return !row.deletedAt;
}

export function isMailSearchable(row: MailRow): boolean {
  return row.kind === "message" && !row.hiddenAt && row.list.visibility === "public";
}

export function postDocument(row: PostRow): SearchDocument {
  const { body, quoted } = splitMarkdownQuotes(row.raw);
  const username = row.author.username;
  return {
    id: `post:${row.id}`,
    type: "post",
    title: maskEmails(row.topic.title),
    body: cut(maskEmails(body)),
    quoted: cut(maskEmails(quoted)),
    author: username,
    authorAddress: null,
    fromKeys: unique([username.toLowerCase(), ...tokenizeWords(username)]),
    titleKeys: unique(tokenizeWords(row.topic.title)),
    place: `board:${row.topic.board.slug}`,
    placeName: row.topic.board.name,
    hostName: null,
    url: `/t/${row.topic.id}/${row.topic.slug}/${row.number}`,
    date: row.createdAt.getTime(),
  };
}

export function mailDocument(row: MailRow): SearchDocument {
  const { body, quoted } = splitMailText(row.textBody);
  const name = row.fromName.trim();
  const author = name || (row.fromAddress ? row.fromAddress.split("@")[0] ?? "" : "") || "unknown sender";
  return {
    id: `mail:${row.id}`,
    type: "mail",
    title: maskEmails(row.subject) || "(no subject)",
    body: cut(maskEmails(body)),
    quoted: cut(maskEmails(quoted)),
    author: maskEmails(author),
    authorAddress: row.fromAddress,
    fromKeys: fromKeysOf(name, row.fromAddress),
    titleKeys: unique(tokenizeWords(row.subject)),
    place: `list:${row.list.slug}`,
    placeName: row.list.name,
    hostName: row.list.hostName,
    url: `/lists/${row.list.slug}/m/${row.publicId}`,
    date: (row.date ?? row.fetchedAt).getTime(),
  };
}

export function chatDocument(row: ChatRow): SearchDocument {
  const { body, quoted } = splitMarkdownQuotes(row.body);
  const username = row.author.username;
  return {
    id: `chat:${row.id}`,
    type: "chat",
    // A chat message has no title of its own: results name the room.
    title: `#${row.room.name}`,
    body: cut(maskEmails(body)),
    quoted: cut(maskEmails(quoted)),
    author: username,
    authorAddress: null,
    fromKeys: unique([username.toLowerCase(), ...tokenizeWords(username)]),
    titleKeys: [],
    place: `room:${row.room.slug}`,
    placeName: row.room.name,
    hostName: null,
    url: `/chat/${row.room.slug}/m/${row.id}`,
    date: row.createdAt.getTime(),
  };
}

export type DocumentBatch = { documents: SearchDocument[]; removeIds: string[] };

/** Loads posts by id: searchable ones become documents, the rest (and missing ids) are to be removed. */
export async function postDocuments(reader: Reader, ids: number[]): Promise<DocumentBatch> {
  const rows = await reader.post.findMany({ where: { id: { in: ids } }, select: POST_SELECT });
  return sortOut(ids, "post", rows, isPostSearchable, postDocument);
}

export async function mailDocuments(reader: Reader, ids: number[]): Promise<DocumentBatch> {
  const rows = await reader.mailMessage.findMany({ where: { id: { in: ids } }, select: MAIL_SELECT });
  return sortOut(ids, "mail", rows, isMailSearchable, mailDocument);
}

export async function chatDocuments(reader: Reader, ids: number[]): Promise<DocumentBatch> {
  const rows = await reader.chatMessage.findMany({ where: { id: { in: ids } }, select: CHAT_SELECT });
  return sortOut(ids, "chat", rows, isChatSearchable, chatDocument);
}

function sortOut<Row extends { id: number }>(
  ids: number[],
  prefix: string,
  rows: Row[],
  searchable: (row: Row) => boolean,
  toDocument: (row: Row) => SearchDocument,
): DocumentBatch {
  const found = new Map(rows.map((row) => [row.id, row]));
  const batch: DocumentBatch = { documents: [], removeIds: [] };
  for (const id of new Set(ids)) {
    const row = found.get(id);
    if (row && searchable(row)) batch.documents.push(toDocument(row));
    else batch.removeIds.push(`${prefix}:${id}`);
  }
  return batch;
}

/** Every searchable row, in id order and pages, for a full rebuild. */
export async function* allSearchableDocuments(reader: Reader, pageSize = 1000): AsyncGenerator<SearchDocument[]> {
  for (let cursor = 0; ; ) {
    const rows = await reader.post.findMany({
      where: { id: { gt: cursor }, deletedAt: null, hiddenAt: null, heldAt: null, topic: { hiddenAt: null, heldAt: null, mergedIntoId: null, board: { hiddenAt: null } } },
      orderBy: { id: "asc" },
      take: pageSize,
      select: POST_SELECT,
    });
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1]!.id;
    yield rows.map(postDocument);
  }
  for (let cursor = 0; ; ) {
    const rows = await reader.mailMessage.findMany({
      where: { id: { gt: cursor }, kind: "message", hiddenAt: null, list: { visibility: "public" } },
      orderBy: { id: "asc" },
      take: pageSize,
      select: MAIL_SELECT,
    });
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1]!.id;
    yield rows.map(mailDocument);
  }
  for (let cursor = 0; ; ) {
    const rows = await reader.chatMessage.findMany({
      where: { id: { gt: cursor }, deletedAt: null },
      orderBy: { id: "asc" },
      take: pageSize,
      select: CHAT_SELECT,
    });
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1]!.id;
    yield rows.map(chatDocument);
  }
}

/** How many rows a full rebuild will index (for its progress bar). */
export async function countSearchable(reader: Reader): Promise<number> {
  const posts = await reader.post.count({
    where: { deletedAt: null, hiddenAt: null, heldAt: null, topic: { hiddenAt: null, heldAt: null, mergedIntoId: null, board: { hiddenAt: null } } },
  });
  const mail = await reader.mailMessage.count({ where: { kind: "message", hiddenAt: null, list: { visibility: "public" } } });
  const chat = await reader.chatMessage.count({ where: { deletedAt: null } });
  return posts + mail + chat;
}
