// The data of /mod/boards, shaped for the page.
import { listForumsForManagement } from "./manage-boards.server";

export async function loadBoardManagement() {
  const forums = await listForumsForManagement();
  return forums.map((forum) => ({
    id: forum.id,
    slug: forum.slug,
    name: forum.name,
    description: forum.description,
    archived: Boolean(forum.archivedAt),
    boards: forum.boards.map((board) => ({
      id: board.id,
      slug: board.slug,
      name: board.name,
      description: board.description,
      archived: Boolean(board.archivedAt),
      hidden: Boolean(board.hiddenAt),
      topicCount: board.topicCount,
      moderators: board.moderators.map((m) => m.user),
    })),
  }));
}
