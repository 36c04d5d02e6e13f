import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { Time } from "~/components/time";
import { getTopic, listTopicPosts, pageNumber, POSTS_PER_PAGE } from "~/forums/read.server";
import { notFound } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.topic.title} · Threadline` }] : []);

export async function loader({ params, request }: LoaderFunctionArgs) {
  const id = Number(params.id);
  const topic = Number.isSafeInteger(id) && id > 0 ? await getTopic(id) : null;
  if (!topic) notFound("This topic does not exist or is no longer available.");
  const url = new URL(request.url);
  // A renamed topic keeps working: old slugs redirect to the current one.
  if (params.slug !== topic.slug) throw redirect(`/t/${topic.id}/${topic.slug}${url.search}`, 301);
  const lastPage = Math.max(1, Math.ceil(topic.postCount / POSTS_PER_PAGE));
  const page = pageNumber(url.searchParams.get("page"), lastPage);
  const posts = await listTopicPosts(topic.id, page);
  return { topic, page, lastPage, posts: posts.map((p) => ({ ...p, createdAt: p.createdAt.toISOString() })) };
}

export default function TopicPage() {
  const { topic, page, lastPage, posts } = useLoaderData<typeof loader>();
  return (
    <article>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500">
        <a href="/forums">Forums</a> › {topic.board.forum.name} › <a href={`/b/${topic.board.slug}`}>{topic.board.name}</a>
      </nav>
      <h1 className="mt-1 text-2xl font-semibold">{topic.title}</h1>
      {topic.locked ? <p className="mt-2 text-sm text-slate-600">This topic is locked: no new replies.</p> : null}
      <ol className="mt-6 space-y-4">
        {posts.map((post) => (
          <li key={post.id} id={`post-${post.number}`} className="card p-5">
            <header className="flex items-baseline justify-between text-sm text-slate-500">
              <span>
                <a href={`/u/${post.author.username}`} className="font-semibold">{post.author.username}</a>
                {post.author.role !== "member" ? <span className="ml-2 capitalize">{post.author.role}</span> : null}
              </span>
              <a href={`/t/${topic.id}/${topic.slug}/${post.number}`} className="text-slate-500">
                #{post.number} · <Time date={post.createdAt} withTime />
              </a>
            </header>
            {/* Stored HTML was escaped or sanitized when the post was written. */}
            <div className="prose-post mt-2 text-slate-800" dangerouslySetInnerHTML={{ __html: post.cooked }} />
          </li>
        ))}
      </ol>
      <Pagination page={page} lastPage={lastPage} basePath={`/t/${topic.id}/${topic.slug}`} />
    </article>
  );
}
