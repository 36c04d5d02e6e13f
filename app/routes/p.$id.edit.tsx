import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Composer } from "~/components/composer";
import { EditPostSchema } from "~/forums/compose-schema";
import { prepareSubmission } from "~/forums/composer-action.server";
import { editPost } from "~/forums/edit-post.server";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { forbidden, notFound } from "~/utils/http";
import { canModerateBoard } from "~/forums/board-moderators.server";
import { canEditPost } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Edit post · Threadline" }, { name: "robots", content: "noindex" }];

async function loadEditable(idParam: string | undefined, user: { id: number; role: string }) {
  const id = Number(idParam);
  const post = Number.isSafeInteger(id) && id > 0
    ? await db.post.findUnique({
        where: { id },
        select: { id: true, number: true, raw: true, authorId: true, deletedAt: true, hiddenAt: true, topic: { select: { id: true, slug: true, title: true, locked: true, boardId: true } } },
      })
    : null;
  if (!post) notFound("This post does not exist.");
  const state = { authorId: post.authorId, deleted: !!post.deletedAt, hidden: !!post.hiddenAt };
  // Authors edit their own posts; moderators of the post's board edit any.
  if (!canEditPost(user, state, { locked: post.topic.locked }) && !(await canModerateBoard(user, post.topic.boardId))) forbidden("You cannot edit this post.");
  const { boardId: _boardId, ...topic } = post.topic;
  return { ...post, topic };
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const post = await loadEditable(params.id, user);
  return { post: { id: post.id, number: post.number, raw: post.raw, topic: post.topic } };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const post = await loadEditable(params.id, user);
  const formData = await request.formData();
  const prepared = await prepareSubmission(user.id, formData, EditPostSchema, (d) => [{ field: "body", text: d.body }]);
  if (!prepared.ok) return data(prepared, { status: prepared.safeguard ? 200 : 400 });
  const result = await editPost(user, post.id, prepared.data.body);
  if (!result.ok) {
    const errors = result.field ? { formErrors: [], fieldErrors: { [result.field]: [result.message] } } : { formErrors: [result.message], fieldErrors: {} };
    return data({ ok: false as const, ...errors, values: { body: prepared.data.body } }, { status: result.status });
  }
  throw redirect(`/t/${result.topicId}/${result.slug}/${result.number}`);
}

export default function EditPost() {
  const { post } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-2xl font-semibold">Edit post #{post.number}</h1>
      <p className="text-sm text-slate-600">
        in <a href={`/t/${post.topic.id}/${post.topic.slug}/${post.number}`}>{post.topic.title}</a>. Earlier versions stay visible in the post's history.
      </p>
      <div className="card mt-4 p-4">
        <Composer submitLabel="Save changes" needsAcknowledgement={false} defaultBody={post.raw} state={actionData && "formErrors" in actionData ? actionData : undefined} />
      </div>
    </div>
  );
}
