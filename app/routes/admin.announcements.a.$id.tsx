import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { AnnouncementDraftSchema } from "~/announcements/list-schema";
import { announcementProgress, readAnnouncement, sendAnnouncementTest, startAnnouncementSend, updateAnnouncementDraft } from "~/announcements/send.server";
import { AnnouncementDraftForm } from "~/components/announcement-forms";
import { maskAddress, siteOrigin } from "~/mail/links.server";
import { requireUser } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { failure, parseForm } from "~/utils/forms";
import { forbidden, notFound } from "~/utils/http";
import { canManageAnnouncements } from "~/utils/permissions";
import { consumeLimit } from "~/utils/rate-limit.server";

// One announcement: edit and preview the draft, mail a test to yourself,
// send it, then watch the progress (the page refreshes itself while sending).

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.announcement.subject ?? "Announcement"} · Admin · Threadline` }, { name: "robots", content: "noindex" }];

const TEST_LIMIT = { max: 5, windowMs: 10 * 60_000 };

async function load(request: Request, context: LoaderFunctionArgs["context"], idParam: string | undefined) {
  const user = requireUser(request, context);
  if (!canManageAnnouncements(user)) forbidden();
  const id = Number(idParam);
  const announcement = Number.isSafeInteger(id) && id > 0 ? await readAnnouncement(id) : null;
  if (!announcement) notFound("There is no such announcement.");
  return { user, announcement };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { user, announcement } = await load(request, context, params.id);
  const [progress, subscribers, account] = await Promise.all([
    announcementProgress(announcement.id),
    db.announcementSubscription.count({ where: { listId: announcement.list.id, status: "active" } }),
    db.user.findUniqueOrThrow({ where: { id: user.id }, select: { email: true } }),
  ]);
  return data(
    {
      announcement: { ...announcement, createdAt: announcement.createdAt.toISOString(), sendStartedAt: announcement.sendStartedAt?.toISOString() ?? null, queuedAllAt: announcement.queuedAllAt?.toISOString() ?? null },
      progress,
      subscribers,
      testAddress: maskAddress(account.email),
    },
    { headers: { "Cache-Control": "no-store" } },
  );
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { user, announcement } = await load(request, context, params.id);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "save") {
    const parsed = parseForm(AnnouncementDraftSchema, formData);
    if (!parsed.ok) return data({ ...parsed, intent }, { status: 400 });
    const result = await updateAnnouncementDraft(announcement.id, parsed.data);
    if (!result.ok) return data({ ...failure(formData, result.fieldErrors), intent }, { status: 400 });
    return { ok: true as const, intent, message: "Draft saved. The preview below shows it." };
  }
  if (intent === "test") {
    const limit = consumeLimit(`announce-test:${user.id}`, TEST_LIMIT);
    if (!limit.ok) return data({ ...failure(formData, {}, [`Several tests went out already. Please wait ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.`]), intent }, { status: 429 });
    const account = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { email: true } });
    await sendAnnouncementTest({ id: user.id, email: account.email }, announcement.id, siteOrigin(request));
    return { ok: true as const, intent, message: `A test is on its way to ${maskAddress(account.email)}.` };
  }
  if (intent === "send") {
    const started = await startAnnouncementSend(user.id, announcement.id, siteOrigin(request));
    if (!started) return data({ ...failure(formData, {}, ["This announcement is being sent already, or was sent."]), intent }, { status: 409 });
    return { ok: true as const, intent, message: "Sending started. Progress is shown below." };
  }
  return data({ ...failure(formData, {}, ["Unknown action."]), intent: "unknown" }, { status: 400 });
}

function Progress({ progress }: { progress: { total: number; delivered: number; waiting: number; failed: number; done: boolean } }) {
  const revalidator = useRevalidator();
  useEffect(() => {
    if (progress.done) return;
    const timer = setInterval(() => {
      if (revalidator.state === "idle") revalidator.revalidate();
    }, 2000);
    return () => clearInterval(timer);
  }, [progress.done, revalidator]);
  return (
    <section className="card space-y-2 p-4" aria-label="Sending progress">
      <p className="font-medium" role="status">
        {progress.done ? "Sent" : "Sending"}: {progress.delivered} / {progress.total} delivered
      </p>
      <progress className="w-full" max={Math.max(1, progress.total)} value={progress.delivered} aria-label="Delivered" />
      <p className="text-sm text-slate-600">
        {progress.waiting} waiting in the outbox (rate limits and retries apply) · {progress.failed} failed
        {progress.done ? null : <> · <a href="">Refresh</a></>}
      </p>
    </section>
  );
}

export default function AdminAnnouncementPage() {
  const { announcement, progress, subscribers, testAddress } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  const isDraft = announcement.status === "draft";
  const saveErrors = actionData && !("message" in actionData) && actionData.intent === "save" ? actionData : undefined;
  const otherErrors = actionData && !("message" in actionData) && actionData.intent !== "save" ? actionData.formErrors : undefined;
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <p className="text-sm text-slate-600">
          <a href="/admin/announcements">Announcement lists</a> › <a href={`/admin/announcements/${announcement.list.slug}`}>{announcement.list.name}</a> ›
        </p>
        <h1 className="text-2xl font-semibold">{announcement.subject}</h1>
      </div>
      {actionData && "message" in actionData ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-800">{actionData.message}</p>
      ) : null}
      {otherErrors?.length ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">{otherErrors.map((e) => <p key={e}>{e}</p>)}</div>
      ) : null}
      {isDraft ? (
        <section className="card flex flex-wrap items-center gap-3 p-4">
          <Form method="post">
            <input type="hidden" name="intent" value="test" />
            <button type="submit" className="btn-secondary" disabled={busy}>Send a test to me ({testAddress})</button>
          </Form>
          <Form method="post">
            <input type="hidden" name="intent" value="send" />
            <button type="submit" className="btn" disabled={busy || subscribers === 0}>
              Send to {subscribers === 1 ? "1 confirmed subscriber" : `${subscribers} confirmed subscribers`}
            </button>
          </Form>
        </section>
      ) : (
        <Progress progress={progress} />
      )}
      <section>
        <h2 className="mb-2 text-lg font-semibold">Preview</h2>
        <article className="card p-6" aria-label="Preview">
          <p className="text-sm text-slate-500">Subject: {announcement.subject}</p>
          <div className="prose-post mt-3" dangerouslySetInnerHTML={{ __html: announcement.html }} />
          <hr className="my-4 border-slate-200" />
          <p className="text-xs text-slate-500">
            You receive this because you subscribed to {announcement.list.name} and confirmed it. <span className="underline">Unsubscribe</span>
          </p>
        </article>
      </section>
      {isDraft ? (
        <section>
          <h2 className="mb-2 text-lg font-semibold">Edit</h2>
          <AnnouncementDraftForm
            key={announcement.markdown}
            intent="save"
            submitLabel="Save and preview"
            values={saveErrors?.values ?? { subject: announcement.subject, markdown: announcement.markdown }}
            fieldErrors={saveErrors?.fieldErrors}
            formErrors={saveErrors?.formErrors}
            busy={busy}
          />
        </section>
      ) : null}
    </div>
  );
}
