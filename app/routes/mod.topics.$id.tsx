import type { ActionFunctionArgs, AppLoadContext, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { FormErrors } from "~/components/field";
import { ReasonSchema } from "~/forums/compose-schema";
import { mergeTopics, splitTopic } from "~/forums/merge-split.server";
import { moveTopic, setTopicLocked, setTopicPinned } from "~/forums/moderate-topic.server";
import { getTopic, listBoardsForMove } from "~/forums/read.server";
import { canModerateBoard, moderationScope, scopeIncludes } from "~/forums/board-moderators.server";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { forbidden, notFound } from "~/utils/http";

export const meta: MetaFunction = () => [{ title: "Moderate topic · Threadline" }, { name: "robots", content: "noindex" }];

async function topicOr404(idParam: string | undefined) {
  const id = Number(idParam);
  const topic = Number.isSafeInteger(id) && id > 0 ? await getTopic(id) : null;
  if (!topic || topic.mergedIntoId) notFound("This topic does not exist.");
  return topic;
}

/** Site moderators, and board moderators of the topic's board (only). */
async function requireTopicModerator(request: Request, context: AppLoadContext, idParam: string | undefined) {
  const user = requireUser(request, context);
  const topic = await topicOr404(idParam);
  if (!(await canModerateBoard(user, topic.boardId))) forbidden();
  return { moderator: user, topic };
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const { moderator, topic } = await requireTopicModerator(request, context, params.id);
  const scope = await moderationScope(moderator);
  const [boards, posts] = await Promise.all([
    // A topic moves only between boards its moderator moderates.
    listBoardsForMove().then((all) => all.filter((b) => scopeIncludes(scope, b.id))),
    db.post.findMany({ where: { topicId: topic.id, number: { gt: 1 } }, orderBy: { number: "asc" }, take: 200, select: { number: true, raw: true, author: { select: { username: true } } } }),
  ]);
  return {
    topic: { id: topic.id, slug: topic.slug, title: topic.title, boardId: topic.boardId },
    boards: boards.map((b) => ({ id: b.id, label: `${b.forum.name} › ${b.name}` })),
    posts: posts.map((p) => ({ number: p.number, author: p.author.username, excerpt: p.raw.slice(0, 120) })),
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const { moderator, topic } = await requireTopicModerator(request, context, params.id);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const back = `/t/${topic.id}/${topic.slug}`;
  if (intent === "pin" || intent === "unpin") {
    await setTopicPinned(moderator, topic.id, intent === "pin");
    throw redirect(back);
  }
  const reason = ReasonSchema.safeParse({ reason: formData.get("reason") });
  if (!reason.success) return data({ error: reason.error.issues[0]!.message }, { status: 400 });
  switch (intent) {
    case "lock":
    case "unlock":
      await setTopicLocked(moderator, topic.id, intent === "lock", reason.data.reason);
      throw redirect(back);
    case "move": {
      const to = Number(formData.get("board"));
      if (Number.isSafeInteger(to) && to > 0 && !(await canModerateBoard(moderator, to))) forbidden("You can move topics only into boards you moderate.");
      const moved = await moveTopic(moderator, topic.id, Number(formData.get("board")), reason.data.reason);
      if (!moved) return data({ error: "Choose a board to move the topic to." }, { status: 400 });
      throw redirect(back);
    }
    case "merge": {
      const target = Number(String(formData.get("target") ?? "").replace(/^.*\/t\/(\d+).*$/, "$1"));
      const targetTopic = Number.isSafeInteger(target) && target > 0 ? await getTopic(target) : null;
      if (targetTopic && !(await canModerateBoard(moderator, targetTopic.boardId))) forbidden("You can merge only into topics of boards you moderate.");
      const result = await mergeTopics(moderator, topic.id, target, reason.data.reason);
      if (!result.ok) return data({ error: result.message }, { status: 400 });
      throw redirect(`/t/${target}`);
    }
    case "split": {
      const title = String(formData.get("title") ?? "").trim();
      if (title.length < 5) return data({ error: "Give the new topic a title of at least 5 characters." }, { status: 400 });
      const numbers = formData.getAll("posts").map(Number).filter(Number.isSafeInteger);
      const result = await splitTopic(moderator, topic.id, numbers, title, reason.data.reason);
      if (!result.ok) return data({ error: result.message }, { status: 400 });
      throw redirect(`/t/${result.topicId}/${result.slug}`);
    }
    default:
      return data({ error: "Unknown action." }, { status: 400 });
  }
}

export default function ModerateTopic() {
  const { topic, boards, posts } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Moderate “{topic.title}”</h1>
        <p className="text-sm text-slate-600">Every action is recorded in the moderation log with your reason. <a href={`/t/${topic.id}/${topic.slug}`}>Back to the topic</a></p>
      </div>
      <FormErrors errors={actionData?.error ? [actionData.error] : undefined} />
      <Form method="post" className="card space-y-3 p-5">
        <h2 className="font-semibold">Move to another board</h2>
        <input type="hidden" name="intent" value="move" />
        <label htmlFor="move-board" className="block text-sm font-medium">Board</label>
        <select id="move-board" name="board" className="input" defaultValue={topic.boardId}>
          {boards.map((b) => <option key={b.id} value={b.id}>{b.label}</option>)}
        </select>
        <label htmlFor="move-reason" className="block text-sm font-medium">Reason</label>
        <input id="move-reason" name="reason" className="input" required minLength={3} />
        <button type="submit" className="btn">Move topic</button>
      </Form>
      <Form method="post" className="card space-y-3 p-5">
        <h2 className="font-semibold">Merge into another topic</h2>
        <input type="hidden" name="intent" value="merge" />
        <label htmlFor="merge-target" className="block text-sm font-medium">Target topic (id or URL)</label>
        <input id="merge-target" name="target" className="input" required />
        <label htmlFor="merge-reason" className="block text-sm font-medium">Reason</label>
        <input id="merge-reason" name="reason" className="input" required minLength={3} />
        <button type="submit" className="btn">Merge topics</button>
      </Form>
      <Form method="post" className="card space-y-3 p-5">
        <h2 className="font-semibold">Split replies into a new topic</h2>
        <input type="hidden" name="intent" value="split" />
        <fieldset className="max-h-72 space-y-1 overflow-auto text-sm">
          <legend className="mb-1 font-medium">Replies to move</legend>
          {posts.map((p) => (
            <label key={p.number} className="flex gap-2">
              <input type="checkbox" name="posts" value={p.number} />
              <span>#{p.number} {p.author}: {p.excerpt}</span>
            </label>
          ))}
        </fieldset>
        <label htmlFor="split-title" className="block text-sm font-medium">New topic title</label>
        <input id="split-title" name="title" className="input" required minLength={5} />
        <label htmlFor="split-reason" className="block text-sm font-medium">Reason</label>
        <input id="split-reason" name="reason" className="input" required minLength={3} />
        <button type="submit" className="btn">Split into new topic</button>
      </Form>
    </div>
  );
}
