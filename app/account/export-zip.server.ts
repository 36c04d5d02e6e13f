// A member's data export as a zip, streamed: rows are read a page at a time
// and compressed as the browser downloads, so a member with a hundred
// thousand posts costs the server one page of memory, not the whole archive.
import { strToU8, Zip, ZipDeflate } from "fflate";
import { db } from "~/utils/db.server";
import { accountRecord } from "./account-record.server";

const PAGE = 200;

const yamlString = (value: string) => JSON.stringify(value);

type Post = {
  id: number;
  number: number;
  raw: string;
  createdAt: Date;
  editedAt: Date | null;
  deletedAt: Date | null;
  hiddenAt: Date | null;
  replyToNumber: number | null;
  topic: { id: number; slug: string; title: string; board: { name: string } };
};

/** One post as Markdown with YAML front matter. */
export function postMarkdown(post: Post, origin: string): string {
  const lines = [
    "---",
    `topic: ${yamlString(post.topic.title)}`,
    `board: ${yamlString(post.topic.board.name)}`,
    `date: ${post.createdAt.toISOString()}`,
    `permalink: ${yamlString(`${origin}/t/${post.topic.id}/${post.topic.slug}/${post.number}`)}`,
    `post: ${post.number}`,
  ];
  if (post.replyToNumber) lines.push(`reply_to: ${post.replyToNumber}`);
  if (post.editedAt) lines.push(`edited: ${post.editedAt.toISOString()}`);
  if (post.deletedAt) lines.push("status: deleted by you");
  else if (post.hiddenAt) lines.push("status: hidden by moderators");
  lines.push("---", "", post.raw, "");
  return lines.join("\n");
}

export function postFileName(post: Pick<Post, "createdAt" | "number" | "topic">): string {
  return `posts/${post.createdAt.toISOString().slice(0, 10)}-topic-${post.topic.id}-post-${post.number}.md`;
}

function addFile(zip: Zip, name: string, text: string) {
  const file = new ZipDeflate(name, { level: 6 });
  zip.add(file);
  file.push(strToU8(text), true);
}

/** Writes the archive's entries, yielding after each page so the stream can hand out what is ready. */
async function* writeEntries(zip: Zip, userId: number, origin: string): AsyncGenerator<void> {
  const record = await accountRecord(userId, origin);
  addFile(zip, "account.json", `${JSON.stringify(record, null, 2)}\n`);
  addFile(
    zip,
    "README.txt",
    [
      `Your data from ${origin}, exported ${record.exportedAt}.`,
      "",
      "account.json  your profile, email address, settings, sessions (without their keys), bookmarks,",
      "              drafts, watched topics and boards, notifications, reports and appeals you filed,",
      "              chat mutes applied to you, moderation actions you took, your announcement list",
      "              subscriptions, and your answers to privacy-policy changes and the versions you have seen",
      "posts/        every forum post you wrote, one Markdown file each, with its topic, board, date and permalink",
      "chat/         every chat message you sent, one JSON file per room",
      "",
    ].join("\n"),
  );
  yield;

  for (let cursor = 0; ; ) {
    const posts = await db.post.findMany({
      where: { authorId: userId, id: { gt: cursor } },
      orderBy: { id: "asc" },
      take: PAGE,
      select: {
        id: true, number: true, raw: true, createdAt: true, editedAt: true, deletedAt: true, hiddenAt: true, replyToNumber: true,
        topic: { select: { id: true, slug: true, title: true, board: { select: { name: true } } } },
      },
    });
    if (posts.length === 0) break;
    cursor = posts[posts.length - 1]!.id;
    for (const post of posts) addFile(zip, postFileName(post), postMarkdown(post, origin));
    yield;
  }

  // One JSON array per room, written as its messages are read.
  let roomFile: ZipDeflate | null = null;
  let first = true;
  const rooms = await db.chatRoom.findMany({ where: { messages: { some: { authorId: userId } } }, orderBy: { id: "asc" }, select: { id: true, slug: true, name: true } });
  for (const room of rooms) {
    roomFile = new ZipDeflate(`chat/${room.slug}.json`, { level: 6 });
    zip.add(roomFile);
    roomFile.push(strToU8(`{\n  "room": ${JSON.stringify(room.name)},\n  "url": ${JSON.stringify(`${origin}/chat/${room.slug}`)},\n  "messages": [\n`));
    first = true;
    for (let cursor = 0; ; ) {
      const messages = await db.chatMessage.findMany({
        where: { roomId: room.id, authorId: userId, id: { gt: cursor } },
        orderBy: { id: "asc" },
        take: PAGE,
        select: { id: true, body: true, createdAt: true, editedAt: true, deletedAt: true, deletedById: true, replyToId: true },
      });
      if (messages.length === 0) break;
      cursor = messages[messages.length - 1]!.id;
      const text = messages
        .map((message) =>
          JSON.stringify({
            id: message.id,
            permalink: `${origin}/chat/${room.slug}/m/${message.id}`,
            sentAt: message.createdAt.toISOString(),
            editedAt: message.editedAt?.toISOString() ?? null,
            deleted: message.deletedAt ? (message.deletedById === userId ? "by you" : "by moderators") : null,
            replyTo: message.replyToId,
            text: message.body,
          }),
        )
        .map((line) => `    ${line}`)
        .join(",\n");
      roomFile.push(strToU8(`${first ? "" : ",\n"}${text}`));
      first = false;
      yield;
    }
    roomFile.push(strToU8("\n  ]\n}\n"), true);
  }
}

/** The zip as a byte stream; an error while reading ends the stream with that error. */
export function exportZipStream(userId: number, origin: string): ReadableStream<Uint8Array> {
  const ready: Uint8Array[] = [];
  let finished = false;
  let failure: Error | null = null;
  const zip = new Zip((error, chunk, final) => {
    if (error) failure = error;
    else ready.push(chunk);
    if (final) finished = true;
  });
  const entries = writeEntries(zip, userId, origin);
  let ended = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (ready.length === 0 && !finished && !failure) {
          if (ended) break;
          const step = await entries.next();
          if (step.done) {
            ended = true;
            zip.end();
          }
        }
      } catch (error) {
        controller.error(error);
        return;
      }
      if (failure) {
        controller.error(failure);
        return;
      }
      while (ready.length > 0) controller.enqueue(ready.shift()!);
      if (finished) controller.close();
    },
    async cancel() {
      await entries.return(undefined);
    },
  });
}

/** "threadline-data-<username>-<date>.zip": only letters, digits, - and _, safe in a header. */
export function exportFileName(username: string, now = new Date()): string {
  return `threadline-data-${username.replace(/[^A-Za-z0-9_-]/g, "_")}-${now.toISOString().slice(0, 10)}.zip`;
}
