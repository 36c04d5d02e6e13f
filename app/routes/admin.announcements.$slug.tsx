import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { AnnouncementDraftSchema, AnnouncementListSchema } from "~/announcements/list-schema";
import { findAnnouncementList, updateAnnouncementList } from "~/announcements/lists.server";
import { createAnnouncementDraft, listAnnouncements } from "~/announcements/send.server";
import { AnnouncementDraftForm, AnnouncementListForm } from "~/components/announcement-forms";
import { Time } from "~/components/time";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { failure, parseForm } from "~/utils/forms";
import { forbidden, notFound } from "~/utils/http";
import { canManageAnnouncements } from "~/utils/permissions";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.list.name ?? "List"} · Announcements · Admin · Threadline` }, { name: "robots", content: "noindex" }];

async function load(request: Request, context: LoaderFunctionArgs["context"], slug: string | undefined) {
  const user = requireUser(request, context);
  if (!canManageAnnouncements(user)) forbidden();
  const list = await findAnnouncementList(slug ?? "");
  if (!list) notFound("There is no announcement list here.");
  return { user, list };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { list } = await load(request, context, params.slug);
  const [announcements, subscribers] = await Promise.all([
    listAnnouncements(list.id),
    db.announcementSubscription.count({ where: { listId: list.id, status: "active" } }),
  ]);
  return {
    list,
    subscribers,
    announcements: announcements.map((a) => ({ ...a, createdAt: a.createdAt.toISOString(), sendStartedAt: a.sendStartedAt?.toISOString() ?? null })),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, list } = await load(request, context, params.slug);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "edit-list") {
    const parsed = parseForm(AnnouncementListSchema, formData);
    if (!parsed.ok) return data({ ...parsed, intent }, { status: 400 });
    const result = await updateAnnouncementList(user.id, list.id, parsed.data);
    if (!result.ok) return data({ ...failure(formData, result.fieldErrors), intent }, { status: 400 });
    throw redirect(`/admin/announcements/${result.slug}`);
  }
  if (intent === "new-announcement") {
    const parsed = parseForm(AnnouncementDraftSchema, formData);
    if (!parsed.ok) return data({ ...parsed, intent }, { status: 400 });
    const result = await createAnnouncementDraft(user.id, list.id, parsed.data);
    if (!result.ok) return data({ ...failure(formData, result.fieldErrors), intent }, { status: 400 });
    throw redirect(`/admin/announcements/a/${result.id}`);
  }
  return data({ ...failure(formData, {}, ["Unknown action."]), intent: "unknown" }, { status: 400 });
}

const STATUS_LABEL: Record<string, string> = { draft: "Draft", sending: "Sending", sent: "Sent" };

export default function AdminAnnouncementListPage() {
  const { list, subscribers, announcements } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const errorsFor = (intent: string) => (actionData && actionData.intent === intent ? actionData : undefined);
  const editErrors = errorsFor("edit-list");
  const draftErrors = errorsFor("new-announcement");
  return (
    <div className="mx-auto max-w-3xl space-y-8">
      <div>
        <p className="text-sm text-slate-600"><a href="/admin/announcements">Announcement lists</a> ›</p>
        <h1 className="text-2xl font-semibold">{list.name}</h1>
        <p className="mt-1 text-sm text-slate-600">
          {subscribers === 1 ? "1 confirmed subscriber" : `${subscribers} confirmed subscribers`} · public page <a href={`/announcements/${list.slug}`}>/announcements/{list.slug}</a>
        </p>
      </div>
      <section>
        <h2 className="mb-2 text-lg font-semibold">Announcements</h2>
        {announcements.length ? (
          <ul className="card divide-y divide-slate-100">
            {announcements.map((a) => (
              <li key={a.id} className="flex items-center justify-between gap-3 p-3 text-sm">
                <a href={`/admin/announcements/a/${a.id}`}>{a.subject}</a>
                <span className="text-slate-500">
                  {STATUS_LABEL[a.status] ?? a.status} · <Time date={a.sendStartedAt ?? a.createdAt} withTime />
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="text-sm text-slate-600">Nothing written yet.</p>
        )}
      </section>
      <section>
        <h2 className="mb-2 text-lg font-semibold">Write an announcement</h2>
        <AnnouncementDraftForm
          intent="new-announcement"
          submitLabel="Save draft and preview"
          values={draftErrors?.values}
          fieldErrors={draftErrors?.fieldErrors}
          formErrors={draftErrors?.formErrors}
          busy={busy}
        />
      </section>
      <section>
        <h2 className="mb-2 text-lg font-semibold">List settings</h2>
        <AnnouncementListForm
          intent="edit-list"
          submitLabel="Save list"
          values={editErrors?.values ?? { name: list.name, slug: list.slug, description: list.description }}
          fieldErrors={editErrors?.fieldErrors}
          formErrors={editErrors?.formErrors}
          busy={busy}
        />
      </section>
    </div>
  );
}
