import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listAnnouncementLists } from "~/announcements/lists.server";

export const meta: MetaFunction = () => [{ title: "Announcement lists · Threadline" }];

export async function loader() {
  return { lists: await listAnnouncementLists() };
}

export default function AnnouncementListsPage() {
  const { lists } = useLoaderData<typeof loader>();
  return (
    <div className="mx-auto max-w-2xl">
      <h1 className="text-2xl font-semibold">Announcement lists</h1>
      <p className="mt-1 text-sm text-slate-600">
        Occasional email from Threadline itself. You get nothing unless you subscribe and confirm from the email we send, and every message has a one-click
        unsubscribe link.
      </p>
      {lists.length === 0 ? (
        <p className="mt-6 text-sm text-slate-600">There are no announcement lists yet.</p>
      ) : (
        <ul className="card mt-6 divide-y divide-slate-100">
          {lists.map((list) => (
            <li key={list.id} className="p-4">
              <h2 className="font-semibold">
                <a href={`/announcements/${list.slug}`}>{list.name}</a>
              </h2>
              {list.description ? <p className="mt-1 text-sm text-slate-600">{list.description}</p> : null}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
