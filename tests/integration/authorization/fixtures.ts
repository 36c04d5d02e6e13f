// What the authorization matrix acts on: one account per role, and content
// owned by a separate author on a board the board moderator does NOT moderate.
import { insertMessages, createTestRoom } from "../../support/chat-factories";
import { createArchiveList, createArchiveThread } from "../../support/archive-factories";
import { createTestUser } from "../../support/factories";
import { createTestBoard } from "../../support/forum-factories";
import { editPost } from "~/forums/edit-post.server";
import { setPostHidden } from "~/forums/moderate-post.server";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { postsBy, reportedPost, type User } from "../mod-support";

export const ROLES = ["anonymous", "member", "boardModerator", "moderator", "admin"] as const;
export type MatrixRole = (typeof ROLES)[number];

export async function createFixtures() {
  const admin = await createTestUser({ role: "admin" });
  const moderator = await createTestUser({ role: "moderator" });
  const member = await createTestUser();
  const boardModerator = await createTestUser();
  const author = await createTestUser();
  const board = await createTestBoard();
  const ownBoard = await createTestBoard();
  await db.boardModerator.create({ data: { boardId: ownBoard.id, userId: boardModerator.id } });

  const made = await postsBy(author, 2, board);
  const topic = await db.topic.findUniqueOrThrow({ where: { id: made.topicId }, select: { id: true, slug: true } });
  const postId = made.postIds[1]!;
  resetAllLimits();
  await editPost(author, postId, "edited once, so it has a history");
  const revision = await db.postRevision.findFirstOrThrow({ where: { postId }, orderBy: { version: "desc" } });
  const reported = await reportedPost(["spam"], board);
  const hiddenPost = await postsBy(author, 1, board);
  await setPostHidden(moderator, hiddenPost.postIds[0]!, true, "off topic");

  const room = await createTestRoom();
  const list = await createArchiveList();
  const { messages } = await createArchiveThread(list, [{ subject: "Archived", text: "hello" }]);
  const failure = await db.importFailure.findFirst({ select: { id: true } });
  const announcementList = await db.announcementList.create({ data: { slug: `matrix-${Date.now().toString(36)}`, name: "Matrix news" }, select: { id: true, slug: true } });
  const announcement = await db.announcement.create({
    data: { listId: announcementList.id, subject: "Matrix draft", markdown: "draft", html: "<p>draft</p>", createdById: admin.id },
    select: { id: true },
  });

  const users: Record<Exclude<MatrixRole, "anonymous">, User> = { member, boardModerator, moderator, admin };
  return {
    users,
    author,
    board,
    topic,
    postId,
    revisionId: revision.id,
    reportedPostId: reported.postId,
    hiddenPostId: hiddenPost.postIds[0]!,
    room,
    list,
    mailPublicId: messages[0]!.publicId,
    failureId: failure?.id ?? 999_999,
    announcementList,
    /** A draft on announcementList: nothing is ever sent in the matrix. */
    announcementId: announcement.id,
    /** A fresh chat message by the author, so each call acts on untouched content. */
    chatMessage: async () => (await insertMessages(room.id, [author.id], [new Date()]))[0]!,
  };
}

export type Fixtures = Awaited<ReturnType<typeof createFixtures>>;
