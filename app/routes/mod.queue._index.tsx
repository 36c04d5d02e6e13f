import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { DecisionForm, ModStatus, type ModFeedback } from "~/components/mod-forms";
import { QueueItemCard } from "~/components/mod-queue-item";
import { siteOrigin } from "~/mail/links.server";
import { handleModerationForm } from "~/moderation/actions.server";
import { loadQueue, parseQueueFilters } from "~/moderation/queue.server";
import { ITEM_TYPES } from "~/moderation/rules";
import { requireAnyModeration } from "~/forums/board-moderators.server";
import { db } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Review queue · Moderation · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const { user, scope } = await requireAnyModeration(request, context);
  const filters = parseQueueFilters(new URL(request.url).searchParams);
  const siteModerator = scope === "all";
  const [{ items, total }, boards, lists] = await Promise.all([
    loadQueue(filters, user, scope),
    db.board.findMany({ where: siteModerator ? {} : { id: { in: scope } }, select: { slug: true, name: true }, orderBy: { name: "asc" } }),
    siteModerator ? db.mailingList.findMany({ select: { slug: true, name: true }, orderBy: { name: "asc" } }) : [],
  ]);
  return { items, total, filters, boards, lists, viewer: { id: user.id, siteModerator } };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { user, scope } = await requireAnyModeration(request, context);
  return handleModerationForm(user, await request.formData(), scope, { origin: siteOrigin(request) });
}

export default function ReviewQueue() {
  const { items, total, filters, boards, lists, viewer } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>() as ModFeedback;
  const bulkFailed = feedback && !feedback.ok && feedback.form === "bulk-hide" ? feedback : undefined;
  return (
    <div className="space-y-4">
      <p className="text-sm"><a href="/mod">Moderation</a> ›</p>
      <h1 className="text-2xl font-semibold">Review queue</h1>
      <p className="text-sm text-slate-600">
        {filters.state === "open" ? `${total} item${total === 1 ? "" : "s"} waiting for a decision.` : `${total} resolved item${total === 1 ? "" : "s"}.`} Every decision goes to the{" "}
        <a href="/mod/log">audit log</a>.
      </p>
      <ModStatus feedback={feedback} />

      <Form method="get" className="card grid gap-3 p-4 text-sm sm:grid-cols-5" aria-label="Filter the queue">
        <label className="block">
          <span className="text-slate-600">Type</span>
          <select name="type" defaultValue={filters.type ?? ""} className="input mt-1">
            <option value="">Everything</option>
            {ITEM_TYPES.map((t) => <option key={t.value} value={t.value}>{t.label}</option>)}
          </select>
        </label>
        <label className="block">
          <span className="text-slate-600">Board</span>
          <select name="board" defaultValue={filters.board ?? ""} className="input mt-1">
            <option value="">Any board</option>
            {boards.map((b) => <option key={b.slug} value={b.slug}>{b.name}</option>)}
          </select>
        </label>
        {viewer.siteModerator ? (
          <label className="block">
            <span className="text-slate-600">List</span>
            <select name="list" defaultValue={filters.list ?? ""} className="input mt-1">
              <option value="">Any list</option>
              {lists.map((l) => <option key={l.slug} value={l.slug}>{l.name}</option>)}
            </select>
          </label>
        ) : null}
        <label className="block">
          <span className="text-slate-600">State</span>
          <select name="state" defaultValue={filters.state} className="input mt-1">
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
          </select>
        </label>
        <label className="block">
          <span className="text-slate-600">Order</span>
          <select name="sort" defaultValue={filters.sort} className="input mt-1">
            <option value="newest">Newest first</option>
            <option value="most-reported">Most reported first</option>
          </select>
        </label>
        <div className="sm:col-span-5">
          <button type="submit" className="btn-secondary">Apply filters</button>
        </div>
      </Form>

      {filters.state === "open" && items.some((i) => i.type === "post") ? (
        <section aria-label="Bulk action" className="card p-4">
          <h2 className="font-semibold">Hide the selected posts</h2>
          {bulkFailed?.fieldErrors.items ? <p role="alert" className="text-sm text-red-700">{(bulkFailed.fieldErrors.items ?? []).join(" ")}</p> : null}
          <BulkForm feedback={feedback} />
        </section>
      ) : null}

      {items.length === 0 ? <p className="text-slate-600">Nothing here. {filters.state === "open" ? "The queue is clear." : ""}</p> : null}
      <ol className="space-y-4" aria-label="Queue items">
        {items.map((item) => <QueueItemCard key={item.key} item={item} feedback={feedback} viewer={viewer} />)}
      </ol>
    </div>
  );
}

/** The bulk bar: queue items join it through their checkboxes' form attribute. */
function BulkForm({ feedback }: { feedback: ModFeedback }) {
  return (
    <div className="mt-2">
      <DecisionForm intent="bulk-hide" hidden={{}} button="Hide selected posts" danger feedback={feedback} reasonLabel="Reason (shown on each hidden post)" formId="bulk-form" />
    </div>
  );
}
