// Demo content for a fresh installation: three accounts, a few forums and
// boards, some topics. Idempotent: it seeds an empty database once and
// leaves a database that has any members or forums alone.
// Set SEED_DEMO=false for a real deployment.
import { registerUser } from "../app/utils/auth/accounts.server";
import { db, disconnectDb, ensureDbReady } from "../app/utils/db.server";
import { renderMarkdown } from "../app/content/markdown.server";
import { slugify } from "../app/forums/slug";
import { ensureInitialPolicy } from "../app/privacy/versions.server";
import { seedDemoArchive } from "./demo-archive";
import { DEMO_ACCOUNTS, DEMO_FORUMS, DEMO_ROOMS } from "./demo-content";
import { closeSearchEngine, searchEngine } from "../search/engine.server";
import { ensureSearchIndex } from "../search/rebuild.server";

async function main() {
  await ensureDbReady();
  // Every installation has a privacy policy, demo content or not.
  if (await ensureInitialPolicy()) console.log("Wrote version 1 of the privacy policy.");
  await seedDemoContent();
  await indexForSearch();
}

/** Builds the search index when it is empty; an unreachable engine only warns (search says so until it is back). */
async function indexForSearch() {
  try {
    const engine = await searchEngine();
    const result = await ensureSearchIndex(engine);
    if (result.rebuilt) console.log(`Built the search index: ${result.documents} documents.`);
  } catch (error) {
    console.warn(`The search index could not be built now (${error instanceof Error ? error.message : String(error)}); the server retries in the background.`);
  } finally {
    await closeSearchEngine();
  }
}

async function seedDemoContent() {
  if (process.env.SEED_DEMO === "false") {
    console.log("SEED_DEMO=false: no demo content.");
    return;
  }
  const [users, forums] = await Promise.all([db.user.count(), db.forum.count()]);
  if (users > 0 || forums > 0) {
    console.log("The database already has content; demo content was not added.");
    return;
  }
  const ids = new Map<string, number>();
  for (const account of DEMO_ACCOUNTS) {
    // Demo addresses are not real mailboxes: they count as verified and get no mail.
    const result = await registerUser({ ...account, emailVerified: true });
    if (!result.ok) throw new Error(`Could not create demo account ${account.username}: ${JSON.stringify(result.fieldErrors)}`);
    ids.set(account.username, result.user.id);
  }
  let clock = Date.now() - 30 * 24 * 60 * 60 * 1000;
  const tick = () => new Date((clock += 97 * 60 * 1000));

  for (const [forumIndex, forum] of DEMO_FORUMS.entries()) {
    const created = await db.forum.create({
      data: { slug: forum.slug, name: forum.name, description: forum.description, position: forumIndex },
    });
    for (const [boardIndex, board] of forum.boards.entries()) {
      const boardRow = await db.board.create({
        data: { forumId: created.id, slug: board.slug, name: board.name, description: board.description, position: boardIndex },
      });
      for (const topic of board.topics) {
        const posts = topic.posts.map((post) => ({ ...post, at: tick(), authorId: ids.get(post.author)! }));
        const last = posts[posts.length - 1]!;
        await db.topic.create({
          data: {
            boardId: boardRow.id,
            slug: slugify(topic.title),
            title: topic.title,
            authorId: posts[0]!.authorId,
            createdAt: posts[0]!.at,
            bumpedAt: last.at,
            lastPosterId: last.authorId,
            postCount: posts.length,
            lastPostNumber: posts.length,
            pinned: topic.pinned ?? false,
            posts: {
              create: posts.map((post, index) => ({
                number: index + 1,
                authorId: post.authorId,
                raw: post.body,
                cooked: renderMarkdown(post.body).html,
                createdAt: post.at,
              })),
            },
          },
        });
      }
      const postCount = board.topics.reduce((sum, topic) => sum + topic.posts.length, 0);
      await db.board.update({
        where: { id: boardRow.id },
        data: { topicCount: board.topics.length, postCount, lastPostedAt: board.topics.length ? new Date(clock) : null },
      });
    }
  }
  const messages = await seedDemoRooms(ids);
  const archive = await seedDemoArchive();
  // An announcement list to subscribe to (opt-in: nobody is on it).
  await db.announcementList.create({
    data: { slug: "threadline-news", name: "Threadline news", description: "New versions and features of this portal, a few times a year." },
  });
  console.log(
    `Seeded demo content: ${DEMO_ACCOUNTS.length} accounts, ${DEMO_FORUMS.length} forums, ${DEMO_ROOMS.length} chat rooms with ${messages} messages, ${archive}, 1 announcement list.`,
  );
}

async function seedDemoRooms(ids: Map<string, number>): Promise<number> {
  let count = 0;
  const start = Date.now() - 2 * 24 * 60 * 60 * 1000;
  for (const [position, room] of DEMO_ROOMS.entries()) {
    const created = await db.chatRoom.create({ data: { slug: room.slug, name: room.name, description: room.description, position } });
    let lastId = 0;
    let lastAt: Date | null = null;
    for (const message of room.messages) {
      const at = new Date(start + message.minutesAfter * 60_000);
      const row = await db.chatMessage.create({
        data: { roomId: created.id, authorId: ids.get(message.author)!, body: message.body, html: renderMarkdown(message.body, { subset: "chat" }).html, createdAt: at },
      });
      lastId = row.id;
      lastAt = at;
      count += 1;
    }
    await db.chatRoom.update({ where: { id: created.id }, data: { messageCount: room.messages.length, lastMessageAt: lastAt, lastMessageId: lastId } });
  }
  return count;
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => disconnectDb());
