import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { ReasonSchema } from "~/forums/compose-schema";
import { deleteOwnPost } from "~/forums/edit-post.server";
import { setPostHidden } from "~/forums/moderate-post.server";
import { setBookmark } from "~/forums/reading.server";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { forbidden, notFound } from "~/utils/http";
import { canModerateBoard } from "~/forums/board-moderators.server";

async function findPost(idParam: string | undefined) {
  const id = Number(idParam);
  const post = Number.isSafeInteger(id) && id > 0
    ? await db.post.findUnique({ where: { id }, select: { id: true, number: true, topic: { select: { id: true, slug: true, boardId: true } } } })
    : null;
  if (!post) notFound("This post does not exist.");
  return post;
}

/** /p/<id> is a stable short link to a post. */
export async function loader({ params }: LoaderFunctionArgs) {
  const post = await findPost(params.id);
  throw redirect(`/t/${post.topic.id}/${post.topic.slug}/${post.number}`);
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const post = await findPost(params.id);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const back = `/t/${post.topic.id}/${post.topic.slug}/${post.number}`;
  switch (intent) {
    case "bookmark":
    case "unbookmark":
      await setBookmark(user.id, post.id, intent === "bookmark");
      throw redirect(back);
    case "delete": {
      const result = await deleteOwnPost(user, post.id);
      if (!result.ok) throw data(result.message, { status: result.status });
      throw redirect(back);
    }
    case "hide":
    case "unhide": {
      if (!(await canModerateBoard(user, post.topic.boardId))) forbidden();
      const parsed = ReasonSchema.safeParse({ reason: formData.get("reason") });
      if (!parsed.success) throw data(parsed.error.issues[0]!.message, { status: 400 });
      await setPostHidden(user, post.id, intent === "hide", parsed.data.reason);
      throw redirect(back);
    }
    default:
      throw data("Unknown action.", { status: 400 });
  }
}
