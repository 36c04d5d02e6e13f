import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { recordHoneypotDrop } from "~/antispam/honeypot.server";
import { Composer } from "~/components/composer";
import { isHoneypotFilled } from "~/components/honeypot";
import { Pagination } from "~/components/pagination";
import { PostCard } from "~/components/post-card";
import { TopicModerationBar } from "~/components/topic-moderation-bar";
import { WatchButton } from "~/components/watch-button";
import { prepareSubmission } from "~/forums/composer-action.server";
import { siteOrigin } from "~/mail/links.server";
import { ReplySchema } from "~/forums/compose-schema";
import { createReply } from "~/forums/posting.server";
import { setWatch } from "~/forums/reading.server";
import { loadTopicPage, resolveTopic } from "~/forums/topic-page.server";
import { requireUser } from "~/utils/auth/guards.server";
import { canModerateBoard } from "~/forums/board-moderators.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => {
  if (!data) return [];
  const canonical = `/t/${data.topic.id}/${data.topic.slug}${data.page > 1 ? `?page=${data.page}` : ""}`;
  const first = data.posts[0]?.cooked?.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim().slice(0, 160) ?? "";
  return [
    { title: `${data.topic.title}${data.page > 1 ? ` (page ${data.page})` : ""} · ${data.topic.board.name} · Threadline` },
    { name: "description", content: first || data.topic.title },
    { tagName: "link", rel: "canonical", href: canonical },
    { tagName: "link", rel: "alternate", type: "application/atom+xml", href: `/t/${data.topic.id}/feed.atom`, title: data.topic.title },
  ];
};

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const topic = await resolveTopic(params.id, params.slug, url, context);
  // The "jump to post" form.
  const jump = Number(url.searchParams.get("post"));
  if (Number.isSafeInteger(jump) && jump > 0) throw redirect(`/t/${topic.id}/${topic.slug}/${jump}`);
  return loadTopicPage(topic, url, context);
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const url = new URL(request.url);
  const topic = await resolveTopic(params.id, params.slug, url, context);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "watch" || intent === "unwatch") {
    await setWatch(user.id, "topic", topic.id, intent === "watch");
    return { ok: true as const, watched: intent === "watch" };
  }
  // A filled honeypot is a bot: it sees the usual success (the topic again) and nothing is stored.
  if (isHoneypotFilled(formData)) {
    recordHoneypotDrop("reply");
    throw redirect(`/t/${topic.id}/${topic.slug}`);
  }
  const prepared = await prepareSubmission(user.id, formData, ReplySchema, (d) => [{ field: "body", text: d.body }]);
  if (!prepared.ok) return data(prepared, { status: prepared.safeguard ? 200 : 400 });
  const result = await createReply(user, topic.id, prepared.data, { canBypassLock: await canModerateBoard(user, topic.boardId), origin: siteOrigin(request) });
  if (!result.ok) {
    const errors = result.field ? { formErrors: [], fieldErrors: { [result.field]: [result.message] } } : { formErrors: [result.message], fieldErrors: {} };
    return data({ ok: false as const, ...errors, values: { body: prepared.data.body } }, {
      status: result.status,
      headers: result.retryAfterSeconds ? { "Retry-After": String(result.retryAfterSeconds) } : undefined,
    });
  }
  throw redirect(`/t/${result.topicId}/${result.slug}/${result.number}`);
}

export default function TopicPage() {
  const { topic, page, lastPage, posts, viewer } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  useLiveReplies(topic.id);
  const composerState = actionData && "formErrors" in actionData ? actionData : undefined;
  return (
    <article>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <a href="/forums">Forums</a> › {topic.board.forum.name} › <a href={`/b/${topic.board.slug}`}>{topic.board.name}</a>
      </nav>
      <div className="mt-1 flex flex-wrap items-start justify-between gap-3">
        <h1 className="text-2xl font-semibold">{topic.title}</h1>
        <div className="flex items-center gap-2">
          <a className="btn-secondary" href={`/t/${topic.id}/feed.atom`}>Atom feed</a>
          {viewer ? <WatchButton watching={viewer.watching} /> : null}
        </div>
      </div>
      {topic.pinned ? <p className="mt-1 text-sm text-amber-800">Pinned by moderators.</p> : null}
      {topic.locked ? (
        <p role="status" className="mt-3 rounded-md border border-slate-300 bg-slate-100 p-3 text-sm">
          <strong>This topic is locked.</strong> {topic.lockedReason ? `Reason: ${topic.lockedReason}. ` : ""}It takes no new replies.
        </p>
      ) : null}
      {topic.archived ? (
        <p role="status" className="mt-3 rounded-md border border-slate-300 bg-slate-100 p-3 text-sm">
          <strong>This board is archived.</strong> Its topics stay readable; it takes no new replies.
        </p>
      ) : null}
      {topic.moderates ? <TopicModerationBar topic={topic} /> : null}
      <ol className="mt-6 space-y-4">
        {posts.map((post) => (
          <PostCard key={post.id} post={post} topic={topic} loggedIn={Boolean(viewer)} canModerate={topic.moderates} />
        ))}
      </ol>
      <div className="flex flex-wrap items-end justify-between gap-3">
        <Pagination page={page} lastPage={lastPage} basePath={`/t/${topic.id}/${topic.slug}`} />
        <form method="get" className="mt-6 flex items-center gap-2 text-sm">
          <label htmlFor="jump-to-post">Jump to post</label>
          <input id="jump-to-post" name="post" type="number" min={1} className="input w-24 py-1" />
          <button type="submit" className="btn-secondary">Go</button>
        </form>
      </div>
      <section aria-labelledby="reply-heading" className="mt-8">
        <h2 id="reply-heading" className="text-lg font-semibold">Reply</h2>
        {!viewer ? (
          <p className="mt-2 text-sm text-slate-600">
            <a href={`/login?redirectTo=${encodeURIComponent(`/t/${topic.id}/${topic.slug}`)}`}>Log in</a> or <a href="/signup">sign up</a> to reply.
          </p>
        ) : viewer.canReply ? (
          <div className="card mt-2 p-4" id="reply">
            <Composer
              submitLabel="Post reply"
              submissionId={viewer.submissionId}
              needsAcknowledgement={viewer.needsAcknowledgement}
              draftKey={`topic:${topic.id}`}
              defaultBody={viewer.draft}
              replyTo={viewer.replyTo}
              state={composerState}
            />
          </div>
        ) : (
          <p className="mt-2 text-sm text-slate-600">This topic does not take new replies.</p>
        )}
      </section>
    </article>
  );
}

/** New replies appear without reloading: the page revalidates when the server announces one. */
function useLiveReplies(topicId: number) {
  const { revalidate } = useRevalidator();
  useEffect(() => {
    const source = new EventSource(`/t/${topicId}/events.stream`);
    const refresh = () => revalidate();
    source.addEventListener("post", refresh);
    source.addEventListener("edit", refresh);
    return () => source.close();
  }, [topicId, revalidate]);
}
