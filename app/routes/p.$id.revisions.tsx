import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { ReasonSchema } from "~/forums/compose-schema";
import { redactRevision } from "~/forums/moderate-post.server";
import { canModerateBoard } from "~/forums/board-moderators.server";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { forbidden, notFound } from "~/utils/http";

export const meta: MetaFunction = () => [{ title: "Post history · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = Number(params.id);
  const post = Number.isSafeInteger(id) && id > 0
    ? await db.post.findUnique({
        where: { id },
        select: {
          id: true, number: true, hiddenAt: true, deletedAt: true, heldAt: true,
          topic: { select: { id: true, slug: true, title: true, hiddenAt: true, boardId: true } },
          revisions: { orderBy: { version: "desc" }, select: { id: true, version: true, cooked: true, createdAt: true, editorId: true, redactedAt: true, redactionReason: true } },
        },
      })
    : null;
  // The history of hidden, deleted or held posts is not public either.
  if (!post || post.hiddenAt || post.deletedAt || post.heldAt || post.topic.hiddenAt) notFound("This post's history is not available.");
  const editors = await db.user.findMany({ where: { id: { in: post.revisions.map((r) => r.editorId) } }, select: { id: true, username: true } });
  const names = new Map(editors.map((e) => [e.id, e.username]));
  const { boardId, ...topic } = post.topic;
  return {
    canRedact: await canModerateBoard(context.auth?.user, boardId),
    post: { id: post.id, number: post.number, topic },
    revisions: post.revisions.map((r) => ({
      id: r.id, version: r.version, cooked: r.redactedAt ? null : r.cooked, createdAt: r.createdAt.toISOString(),
      editor: names.get(r.editorId) ?? "unknown", redacted: Boolean(r.redactedAt), redactionReason: r.redactionReason,
    })),
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const moderator = requireUser(request, context);
  const target = await db.post.findUnique({ where: { id: Number(params.id) || 0 }, select: { topic: { select: { boardId: true } } } });
  if (!target) notFound("This post does not exist.");
  if (!(await canModerateBoard(moderator, target.topic.boardId))) forbidden();
  const formData = await request.formData();
  const parsed = ReasonSchema.safeParse({ reason: formData.get("reason") });
  if (!parsed.success) throw data(parsed.error.issues[0]!.message, { status: 400 });
  const revisionId = Number(formData.get("revision"));
  const revision = await db.postRevision.findFirst({ where: { id: revisionId, postId: Number(params.id) }, select: { id: true } });
  if (!revision) notFound("That revision does not exist.");
  await redactRevision(moderator, revision.id, parsed.data.reason);
  throw redirect(`/p/${params.id}/revisions`);
}

export default function Revisions() {
  const { post, revisions, canRedact } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-2xl font-semibold">History of post #{post.number}</h1>
      <p className="text-sm text-slate-600">
        in <a href={`/t/${post.topic.id}/${post.topic.slug}/${post.number}`}>{post.topic.title}</a>. Newest first.
      </p>
      <ol className="mt-4 space-y-4">
        {revisions.map((revision) => (
          <li key={revision.id} className="card p-4">
            <p className="text-sm text-slate-500">
              Version {revision.version} by {revision.editor} · <Time date={revision.createdAt} withTime />
            </p>
            {revision.redacted ? (
              <p className="mt-2 italic text-slate-500">This version was redacted by moderators{revision.redactionReason ? `: ${revision.redactionReason}` : ""}.</p>
            ) : (
              <div className="prose-post mt-2" dangerouslySetInnerHTML={{ __html: revision.cooked ?? "" }} />
            )}
            {canRedact && !revision.redacted ? (
              <Form method="post" className="mt-2 flex items-center gap-2 text-sm">
                <input type="hidden" name="revision" value={revision.id} />
                <label htmlFor={`redact-${revision.id}`} className="sr-only">Reason</label>
                <input id={`redact-${revision.id}`} name="reason" className="input w-56 py-1" placeholder="Reason for redacting" required minLength={3} />
                <button type="submit" className="btn-danger">Redact</button>
              </Form>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
