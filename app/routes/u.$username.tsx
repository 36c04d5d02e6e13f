import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Time } from "~/components/time";
import { db } from "~/utils/db.server";
import { notFound } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => (data ? [{ title: `${data.profile.username} · Threadline` }] : []);

export async function loader({ params }: LoaderFunctionArgs) {
  const profile = await db.user.findUnique({
    where: { usernameKey: (params.username ?? "").toLowerCase() },
    // Public fields only: never the email address.
    select: { username: true, role: true, createdAt: true, _count: { select: { posts: true, topics: true } } },
  });
  if (!profile) notFound("There is no member with that name.");
  return { profile: { ...profile, createdAt: profile.createdAt.toISOString() } };
}

export default function ProfilePage() {
  const { profile } = useLoaderData<typeof loader>();
  return (
    <div className="card flex items-center gap-6 p-6">
      <span aria-hidden className="flex h-16 w-16 items-center justify-center rounded-full bg-brand-100 text-2xl font-bold text-brand-900">
        {profile.username.slice(0, 1).toUpperCase()}
      </span>
      <div>
        <h1 className="text-2xl font-semibold">{profile.username}</h1>
        <dl className="mt-1 flex flex-wrap gap-x-6 gap-y-1 text-sm text-slate-600">
          <div><dt className="inline">Role: </dt><dd className="inline capitalize">{profile.role}</dd></div>
          <div><dt className="inline">Joined: </dt><dd className="inline"><Time date={profile.createdAt} /></dd></div>
          <div><dt className="inline">Topics: </dt><dd className="inline">{profile._count.topics}</dd></div>
          <div><dt className="inline">Posts: </dt><dd className="inline">{profile._count.posts}</dd></div>
        </dl>
      </div>
    </div>
  );
}
