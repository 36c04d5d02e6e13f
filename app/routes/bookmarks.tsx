import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Bookmarks · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const bookmarks = await db.bookmark.findMany({ where: { userId: user.id }, orderBy: { createdAt: "desc" }, take: 200 });
  const posts = await db.post.findMany({
    where: { id: { in: bookmarks.map((b) => b.postId) }, deletedAt: null, hiddenAt: null, heldAt: null },
    select: { id: true, number: true, raw: true, author: { select: { username: true } }, topic: { select: { id: true, slug: true, title: true } } },
  });
  const byId = new Map(posts.map((p) => [p.id, p]));
  return {
    bookmarks: bookmarks.flatMap((b) => {
      const post = byId.get(b.postId);
      return post
        ? [{ id: post.id, href: `/t/${post.topic.id}/${post.topic.slug}/${post.number}`, title: post.topic.title, number: post.number, author: post.author.username, excerpt: post.raw.slice(0, 200), savedAt: b.createdAt.toISOString() }]
        : [];
    }),
  };
}

export default function Bookmarks() {
  const { bookmarks } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-3xl">
      <h1 className="text-2xl font-semibold">Bookmarks</h1>
      {bookmarks.length === 0 ? <p className="mt-4 text-slate-600">Posts you bookmark appear here.</p> : null}
      <ul className="mt-4 space-y-3">
        {bookmarks.map((b) => (
          <li key={b.id} className="card p-4">
            <a href={b.href} className="font-medium">{b.title} #{b.number}</a>
            <p className="text-sm text-slate-500">by {b.author} · saved <Time date={b.savedAt} /></p>
            <p className="mt-1 line-clamp-2 text-sm text-slate-700">{b.excerpt}</p>
          </li>
        ))}
      </ul>
    </div>
  );
}
