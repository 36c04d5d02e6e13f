import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { DecisionForm, ModStatus, type ModFeedback } from "~/components/mod-forms";
import { MemberHistoryView } from "~/components/mod-member-history";
import { AuthorActions } from "~/components/mod-queue-item";
import { Time } from "~/components/time";
import { handleModerationForm } from "~/moderation/actions.server";
import { memberHistory } from "~/moderation/history.server";
import { requireModerator } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { forbidden, notFound } from "~/utils/http";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.member.username ?? "Member"} · Moderation · Threadline` },
  { name: "robots", content: "noindex" },
];

async function findMember(username: string | undefined) {
  const member = username
    ? await db.user.findUnique({ where: { usernameKey: username.toLowerCase() }, select: { id: true, username: true, role: true, createdAt: true } })
    : null;
  if (!member) notFound("There is no member by that name.");
  return member;
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  const member = await findMember(params.username);
  const [history, reports, warnings] = await Promise.all([
    memberHistory(member.id, { posts: 20, actions: 50, notes: 100 }),
    db.report.findMany({
      where: { targetType: "post", targetId: { in: (await db.post.findMany({ where: { authorId: member.id }, select: { id: true }, take: 1000, orderBy: { id: "desc" } })).map((p) => p.id) } },
      orderBy: { id: "desc" },
      take: 50,
      select: { id: true, targetId: true, reason: true, state: true, createdAt: true },
    }),
    db.notification.findMany({ where: { userId: member.id, kind: "warning" }, orderBy: { id: "desc" }, take: 50, select: { id: true, text: true, createdAt: true, readAt: true } }),
  ]);
  return {
    member: { ...member, createdAt: member.createdAt.toISOString() },
    history,
    reports: reports.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
    warnings: warnings.map((w) => ({ id: w.id, text: w.text ?? "", createdAt: w.createdAt.toISOString(), read: w.readAt !== null })),
  };
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const moderator = requireModerator(request, context);
  const member = await findMember(params.username);
  const formData = await request.formData();
  // Forms on this page act on this member only.
  if (formData.get("userId") !== String(member.id) || formData.has("itemKey")) forbidden("That form does not belong to this member.");
  return handleModerationForm(moderator, formData);
}

export default function MemberModeration() {
  const { member, history, reports, warnings } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>() as ModFeedback;
  const who = { userId: String(member.id) };
  return (
    <div className="space-y-4">
      <p className="text-sm"><a href="/mod">Moderation</a> › <a href="/mod/queue">Review queue</a> ›</p>
      <h1 className="text-2xl font-semibold">{member.username}</h1>
      <ModStatus feedback={feedback} />
      <p className="text-sm text-slate-600">
        <span className="capitalize">{member.role}</span> since <Time date={member.createdAt} /> · <a href={`/u/${encodeURIComponent(member.username)}`}>Public profile</a>
      </p>

      <section className="card p-5" aria-labelledby="standing-heading">
        <h2 id="standing-heading" className="font-semibold">Standing</h2>
        <p className="mt-1 text-sm" data-testid="member-standing">
          {history.suspendedUntil ? <>Suspended until <Time date={history.suspendedUntil} withTime />. </> : null}
          {history.silencedUntil ? <>Silenced until <Time date={history.silencedUntil} withTime />. </> : null}
          {!history.suspendedUntil && !history.silencedUntil ? "In good standing: not silenced or suspended." : null}
        </p>
        <div className="mt-3 grid gap-3 md:grid-cols-2">
          {member.role === "member" ? (
            <AuthorActions userId={member.id} username={member.username} suggestionDays={history.suggestion.days} feedback={feedback} />
          ) : (
            <p className="text-sm text-slate-600">Moderators and admins are not sanctioned here.</p>
          )}
          {history.silencedUntil ? <DecisionForm intent="unsilence" hidden={who} button="Lift the silence" withRule={false} feedback={feedback} /> : null}
          {history.suspendedUntil ? <DecisionForm intent="unsuspend" hidden={who} button="Lift the suspension" withRule={false} feedback={feedback} /> : null}
        </div>
      </section>

      <section className="card p-5" aria-labelledby="history-heading">
        <h2 id="history-heading" className="font-semibold">History</h2>
        <div className="mt-2"><MemberHistoryView username={member.username} history={history} /></div>
      </section>

      <section className="card p-5" aria-labelledby="reports-heading">
        <h2 id="reports-heading" className="font-semibold">Reports against their posts</h2>
        {reports.length ? (
          <ul className="mt-2 list-disc pl-5 text-sm">
            {reports.map((r) => (
              <li key={r.id}><a href={`/p/${r.targetId}`}>Post {r.targetId}</a>: {r.reason} ({r.state}, <Time date={r.createdAt} />)</li>
            ))}
          </ul>
        ) : <p className="mt-2 text-sm text-slate-600">No reports.</p>}
      </section>

      <section className="card p-5" aria-labelledby="warnings-heading">
        <h2 id="warnings-heading" className="font-semibold">Warnings sent</h2>
        {warnings.length ? (
          <ul className="mt-2 list-disc pl-5 text-sm">
            {warnings.map((w) => <li key={w.id}>{w.text} (<Time date={w.createdAt} />{w.read ? ", read" : ", unread"})</li>)}
          </ul>
        ) : <p className="mt-2 text-sm text-slate-600">No warnings.</p>}
      </section>

      <section className="card p-5" aria-labelledby="notes-heading">
        <h2 id="notes-heading" className="font-semibold">Staff notes</h2>
        <p className="text-sm text-slate-600">Seen by moderators and admins only.</p>
        <NoteForm userId={member.id} feedback={feedback} />
      </section>
    </div>
  );
}

function NoteForm({ userId, feedback }: { userId: number; feedback: ModFeedback }) {
  const form = `note:user:${userId}`;
  const mine = feedback?.form === form ? feedback : undefined;
  const errors = mine && !mine.ok ? mine.fieldErrors.body : undefined;
  return (
    <Form method="post" className="mt-2 space-y-2">
      <input type="hidden" name="intent" value="note" />
      <input type="hidden" name="userId" value={userId} />
      <label htmlFor="note-body" className="block text-sm font-medium">New note</label>
      <textarea id="note-body" name="body" rows={3} className="input" required maxLength={2000} aria-invalid={errors ? true : undefined} aria-describedby={errors ? "note-body-errors" : undefined} />
      {errors ? <ul id="note-body-errors" className="text-sm text-red-700">{errors.map((e) => <li key={e}>{e}</li>)}</ul> : null}
      <button type="submit" className="btn-secondary">Add note</button>
    </Form>
  );
}
