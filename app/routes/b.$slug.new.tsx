import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { recordHoneypotDrop } from "~/antispam/honeypot.server";
import { Composer } from "~/components/composer";
import { isHoneypotFilled } from "~/components/honeypot";
import { NewTopicSchema } from "~/forums/compose-schema";
import { prepareSubmission } from "~/forums/composer-action.server";
import { siteOrigin } from "~/mail/links.server";
import { createTopic, hasAcknowledgedPublicPosting } from "~/forums/posting.server";
import { getBoard } from "~/forums/read.server";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { forbidden, notFound } from "~/utils/http";
import { canCreateTopic, canSeeHiddenContent } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "New topic · Threadline" }, { name: "robots", content: "noindex" }];

async function boardFor(slug: string | undefined, user: { id: number; role: string }) {
  const board = await getBoard(slug ?? "");
  if (!board || (board.hiddenAt && !canSeeHiddenContent(user))) notFound("There is no board at this address.");
  if (!canCreateTopic(user)) forbidden();
  return board;
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const board = await boardFor(params.slug, user);
  const [acknowledged, draft] = await Promise.all([
    hasAcknowledgedPublicPosting(user.id),
    db.draft.findUnique({ where: { userId_key: { userId: user.id, key: `board:${board.id}` } }, select: { title: true, raw: true } }),
  ]);
  return { board: { id: board.id, slug: board.slug, name: board.name, closed: Boolean(board.hiddenAt) }, acknowledged, draft, submissionId: crypto.randomUUID() };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const board = await boardFor(params.slug, user);
  const formData = await request.formData();
  // A filled honeypot is a bot: it sees the usual success (back to the board) and nothing is stored.
  if (isHoneypotFilled(formData)) {
    recordHoneypotDrop("topic");
    throw redirect(`/b/${board.slug}`);
  }
  const prepared = await prepareSubmission(user.id, formData, NewTopicSchema, (d) => [
    { field: "title", text: d.title },
    { field: "body", text: d.body },
  ]);
  if (!prepared.ok) return data(prepared, { status: prepared.safeguard ? 200 : 400 });
  const result = await createTopic(user, board.id, prepared.data, { origin: siteOrigin(request) });
  if (!result.ok) {
    const errors = result.field ? { formErrors: [], fieldErrors: { [result.field]: [result.message] } } : { formErrors: [result.message], fieldErrors: {} };
    return data({ ok: false as const, ...errors, values: { title: prepared.data.title, body: prepared.data.body } }, {
      status: result.status,
      headers: result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : undefined,
    });
  }
  throw redirect(`/t/${result.topicId}/${result.slug}`);
}

export default function NewTopic() {
  const { board, acknowledged, draft, submissionId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-3xl">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <a href="/forums">Forums</a> › <a href={`/b/${board.slug}`}>{board.name}</a>
      </nav>
      <h1 className="mt-1 text-2xl font-semibold">New topic in {board.name}</h1>
      <div className="card mt-4 p-4">
        <Composer
          withTitle
          submitLabel="Create topic"
          submissionId={submissionId}
          needsAcknowledgement={!acknowledged}
          draftKey={`board:${board.id}`}
          defaultTitle={draft?.title}
          defaultBody={draft?.raw}
          state={actionData && "formErrors" in actionData ? actionData : undefined}
        />
      </div>
    </div>
  );
}
