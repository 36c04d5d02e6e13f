import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { parseCursor } from "~/chat/history.server";
import { PROMOTE_MAX_MESSAGES } from "~/chat/limits";
import { promoteMessages } from "~/chat/promote.server";
import { requireRoom } from "~/chat/room-page.server";
import { PromoteSchema } from "~/chat/schema";
import { loadViews } from "~/chat/view.server";
import { FormErrors } from "~/components/field";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { failure, parseForm } from "~/utils/forms";
import { canModerate } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Promote to a forum topic · Threadline" }, { name: "robots", content: "noindex" }];

const AROUND = 25;

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const room = await requireRoom(params.slug);
  const around = parseCursor(new URL(request.url).searchParams.get("around"));
  // The conversation around the chosen message: some before it, some after.
  const [before, after] = await Promise.all([
    loadViews({ roomId: room.id, ...(around ? { id: { lt: around } } : {}) }, { id: "desc" }, around ? AROUND : AROUND * 2),
    around ? loadViews({ roomId: room.id, id: { gte: around } }, { id: "asc" }, AROUND) : Promise.resolve([]),
  ]);
  const boards = await db.board.findMany({
    where: canModerate(user) ? {} : { hiddenAt: null },
    orderBy: [{ forumId: "asc" }, { position: "asc" }],
    select: { id: true, name: true, forum: { select: { name: true } } },
  });
  return {
    room: { slug: room.slug, name: room.name },
    messages: [...before.reverse(), ...after].filter((m) => !m.deleted),
    selected: around,
    boards: boards.map((b) => ({ id: b.id, label: `${b.forum.name} › ${b.name}` })),
    moderator: canModerate(user),
    userId: user.id,
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const room = await requireRoom(params.slug);
  const formData = await request.formData();
  const parsed = parseForm(PromoteSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const ids = formData.getAll("message").map(Number).filter((id) => Number.isSafeInteger(id) && id > 0);
  const result = await promoteMessages(user, room.id, ids, parsed.data);
  if (!result.ok) return data(failure(formData, {}, [result.message]), { status: result.status });
  throw redirect(`/t/${result.topicId}/${result.slug}`);
}

export default function PromoteChat() {
  const { room, messages, selected, boards, moderator, userId } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errors = actionData?.fieldErrors ?? {};
  return (
    <div className="mx-auto max-w-3xl">
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <a href="/chat">Chat</a> › <a href={`/chat/${room.slug}`}>{room.name}</a>
      </nav>
      <h1 className="mt-1 text-2xl font-semibold">Promote a conversation to a forum topic</h1>
      <p className="mt-1 text-sm text-slate-600">
        Select the messages (up to {PROMOTE_MAX_MESSAGES}). The topic quotes them with links back here, and each message shows
        where it went.{moderator ? "" : " You can promote conversations you took part in."}
      </p>
      <Form method="post" className="mt-4 space-y-4">
        <FormErrors errors={actionData?.formErrors} />
        <fieldset className="card max-h-[28rem] space-y-1 overflow-y-auto p-3">
          <legend className="sr-only">Messages</legend>
          {messages.length === 0 ? <p className="text-sm text-slate-600">There are no messages to promote.</p> : null}
          {messages.map((message) => (
            <label key={message.id} className={`flex items-start gap-2 rounded px-2 py-1 text-sm hover:bg-slate-50 ${message.promoted ? "opacity-60" : ""}`}>
              <input type="checkbox" name="message" value={message.id} className="mt-1" defaultChecked={message.id === selected} disabled={Boolean(message.promoted)} aria-label={`Message ${message.id} by ${message.author.username}`} />
              <span className="min-w-0">
                <strong className={message.author.id === userId ? "text-brand-700" : undefined}>{message.author.username}</strong>{" "}
                <span className="text-xs text-slate-400">{message.createdAt.slice(0, 16).replace("T", " ")} UTC</span>
                <span className="prose-chat block text-slate-800" dangerouslySetInnerHTML={{ __html: message.html ?? "" }} />
                {message.promoted ? <span className="text-xs">Already promoted to {message.promoted.title}</span> : null}
              </span>
            </label>
          ))}
        </fieldset>
        <div className="card space-y-3 p-4">
          <div className="space-y-1">
            <label htmlFor="promote-board" className="block text-sm font-medium">Board</label>
            <select id="promote-board" name="boardId" className="input" required defaultValue={actionData?.values.boardId ?? ""} aria-invalid={errors.boardId ? true : undefined}>
              <option value="" disabled>Choose a board…</option>
              {boards.map((board) => <option key={board.id} value={board.id}>{board.label}</option>)}
            </select>
            {errors.boardId ? <p className="text-sm text-red-700">{errors.boardId.join(" ")}</p> : null}
          </div>
          <div className="space-y-1">
            <label htmlFor="promote-title" className="block text-sm font-medium">Topic title</label>
            <input id="promote-title" name="title" className="input" required minLength={5} maxLength={150} defaultValue={actionData?.values.title} aria-invalid={errors.title ? true : undefined} />
            {errors.title ? <p className="text-sm text-red-700">{errors.title.join(" ")}</p> : null}
          </div>
          <button type="submit" className="btn">Create the topic</button>
        </div>
      </Form>
    </div>
  );
}
