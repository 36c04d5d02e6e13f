import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Notifications · Threadline" }, { name: "robots", content: "noindex" }];

const KIND_TEXT: Record<string, string> = {
  reply: "replied to your post in",
  mention: "mentioned you in",
  watched: "posted in",
  "chat-mention": "mentioned you in the chat room",
};

/** Notices from moderators carry their own words instead of an activity line. */
const NOTICE_TITLE: Record<string, string> = {
  warning: "Warning from the moderators",
  appeal: "Decision on your appeal",
  "post-rejected": "Your post was not approved",
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const rows = await db.notification.findMany({ where: { userId: user.id }, orderBy: { createdAt: "desc" }, take: 100 });
  const [actors, topics, chatMessages] = await Promise.all([
    db.user.findMany({ where: { id: { in: rows.map((r) => r.actorId ?? 0) } }, select: { id: true, username: true } }),
    db.topic.findMany({ where: { id: { in: rows.map((r) => r.topicId ?? 0) } }, select: { id: true, slug: true, title: true } }),
    db.chatMessage.findMany({
      where: { id: { in: rows.map((r) => r.chatMessageId ?? 0) }, deletedAt: null },
      select: { id: true, room: { select: { slug: true, name: true } } },
    }),
  ]);
  const actorNames = new Map(actors.map((a) => [a.id, a.username]));
  const topicById = new Map(topics.map((t) => [t.id, t]));
  const chatById = new Map(chatMessages.map((m) => [m.id, m]));
  return {
    notifications: rows.map((row) => {
      if (row.kind === "chat-mention") {
        const message = row.chatMessageId ? chatById.get(row.chatMessageId) : undefined;
        return {
          id: row.id,
          text: KIND_TEXT["chat-mention"]!,
          actor: row.actorId ? actorNames.get(row.actorId) ?? "someone" : "someone",
          topicTitle: message ? message.room.name : "a message that is no longer available",
          href: message ? `/chat/${message.room.slug}/m/${message.id}` : null,
          createdAt: row.createdAt.toISOString(),
          unread: !row.readAt,
        };
      }
      const topic = row.topicId ? topicById.get(row.topicId) : undefined;
      return {
        id: row.id,
        text: KIND_TEXT[row.kind] ?? "posted in",
        notice: NOTICE_TITLE[row.kind] ? { title: NOTICE_TITLE[row.kind]!, text: row.text ?? "" } : null,
        actor: row.actorId ? actorNames.get(row.actorId) ?? "someone" : "someone",
        topicTitle: topic?.title ?? "a topic that is no longer available",
        href: topic ? `/t/${topic.id}/${topic.slug}/${row.postNumber ?? 1}` : null,
        createdAt: row.createdAt.toISOString(),
        unread: !row.readAt,
      };
    }),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  await db.notification.updateMany({ where: { userId: user.id, readAt: null }, data: { readAt: new Date() } });
  return { ok: true };
}

export default function Notifications() {
  const { notifications } = useLoaderData<typeof loader>();
  const unread = notifications.filter((n) => n.unread).length;
  return (
    <div className="mx-auto max-w-3xl">
      <div className="flex items-center justify-between">
        <h1 className="text-2xl font-semibold">Notifications</h1>
        {unread ? (
          <Form method="post">
            <button type="submit" className="btn-secondary">Mark all as read</button>
          </Form>
        ) : null}
      </div>
      {notifications.length === 0 ? <p className="mt-4 text-slate-600">Nothing yet. Replies to your posts, mentions, activity you watch and notices from moderators show up here.</p> : null}
      <ul className="card mt-4 divide-y divide-slate-100" aria-label="Notifications">
        {notifications.map((n) => (
          <li key={n.id} className={`flex flex-wrap items-baseline justify-between gap-2 px-4 py-3 ${n.unread ? "bg-brand-50" : ""}`}>
            <span>
              {n.unread ? <span className="sr-only">Unread: </span> : null}
              {n.notice ? (
                <>
                  <strong>{n.notice.title}:</strong> {n.notice.text}
                  {n.href ? <> (<a href={n.href}>{n.topicTitle}</a>)</> : null}
                </>
              ) : (
                <>
                  <strong>{n.actor}</strong> {n.text} {n.href ? <a href={n.href}>{n.topicTitle}</a> : n.topicTitle}
                </>
              )}
            </span>
            <span className="text-sm text-slate-500"><Time date={n.createdAt} withTime /></span>
          </li>
        ))}
      </ul>
    </div>
  );
}
