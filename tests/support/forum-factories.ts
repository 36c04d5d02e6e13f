import { db } from "~/utils/db.server";

let counter = 0;

/** A forum with one board, created directly (the admin screens come later). */
export async function createTestBoard(options: { hidden?: boolean } = {}) {
  counter += 1;
  const suffix = `${Date.now().toString(36)}${counter}`;
  const forum = await db.forum.create({ data: { slug: `forum-${suffix}`, name: `Forum ${suffix}` } });
  return db.board.create({
    data: { forumId: forum.id, slug: `board-${suffix}`, name: `Board ${suffix}`, hiddenAt: options.hidden ? new Date() : null },
  });
}
