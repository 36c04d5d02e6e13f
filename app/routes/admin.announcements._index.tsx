import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AnnouncementListSchema } from "~/announcements/list-schema";
import { createAnnouncementList, listAnnouncementListsWithCounts } from "~/announcements/lists.server";
import { AnnouncementListForm } from "~/components/announcement-forms";
import { requireUser } from "~/utils/auth/guards.server";
import { failure, parseForm } from "~/utils/forms";
import { forbidden } from "~/utils/http";
import { canManageAnnouncements } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Announcement lists · Admin · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  if (!canManageAnnouncements(user)) forbidden();
  return { lists: await listAnnouncementListsWithCounts() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  if (!canManageAnnouncements(user)) forbidden();
  const formData = await request.formData();
  const parsed = parseForm(AnnouncementListSchema, formData);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const result = await createAnnouncementList(user.id, parsed.data);
  if (!result.ok) return data(failure(formData, result.fieldErrors), { status: 400 });
  throw redirect(`/admin/announcements/${result.slug}`);
}

export default function AdminAnnouncementListsPage() {
  const { lists } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Announcement lists</h1>
        <p className="mt-1 text-sm text-slate-600">
          Lists the portal sends to. People subscribe at <a href="/announcements">/announcements</a>, in their settings, or at sign-up (never by default),
          and only confirmed addresses receive announcements.
        </p>
      </div>
      {lists.length ? (
        <table className="w-full text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-2 pr-3">List</th>
              <th className="py-2 pr-3">Address</th>
              <th className="py-2 pr-3">Confirmed</th>
              <th className="py-2">Awaiting confirmation</th>
            </tr>
          </thead>
          <tbody>
            {lists.map((list) => (
              <tr key={list.id} className="border-t border-slate-200">
                <td className="py-2 pr-3"><a href={`/admin/announcements/${list.slug}`}>{list.name}</a></td>
                <td className="py-2 pr-3">/announcements/{list.slug}</td>
                <td className="py-2 pr-3">{list.active}</td>
                <td className="py-2">{list.pending}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="text-sm text-slate-600">No announcement lists yet.</p>
      )}
      <section>
        <h2 className="mb-2 text-lg font-semibold">New list</h2>
        <AnnouncementListForm
          intent="create"
          submitLabel="Create list"
          values={actionData?.values}
          fieldErrors={actionData?.fieldErrors}
          formErrors={actionData?.formErrors}
          busy={navigation.state === "submitting"}
        />
      </section>
    </div>
  );
}
