import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { DecisionForm, DurationFields, ModStatus, type ModFeedback } from "~/components/mod-forms";
import { Time } from "~/components/time";
import { handleMemberAdminForm } from "~/admin/members-actions.server";
import { searchMembers } from "~/admin/members.server";
import { requireAdmin } from "~/utils/auth/guards.server";
import { ROLES } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Members · Admin · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const admin = requireAdmin(request, context);
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, 100);
  // Emails are on this page: never cached.
  return data({ q, members: await searchMembers(q), viewerId: admin.id }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = requireAdmin(request, context);
  return handleMemberAdminForm(admin, await request.formData());
}

type Member = Awaited<ReturnType<typeof searchMembers>>[number];

export default function AdminUsers() {
  const { q, members, viewerId } = useLoaderData<typeof loader>();
  const feedback = useActionData<typeof action>() as ModFeedback;
  return (
    <div className="space-y-4">
      <p className="text-sm"><a href="/mod">Moderation</a> ›</p>
      <h1 className="text-2xl font-semibold">Members</h1>
      <p className="text-sm text-slate-600">
        Change roles, suspend members and sign them out everywhere. Every change needs a reason and goes to the <a href="/mod/log?family=user">audit log</a>.
      </p>
      <ModStatus feedback={feedback} />
      <Form method="get" className="flex flex-wrap items-end gap-2" role="search" aria-label="Find members">
        <label className="block text-sm">
          <span className="font-medium">Username or email contains</span>
          <input name="q" defaultValue={q} className="input mt-1 w-72" type="search" />
        </label>
        <button type="submit" className="btn-secondary">Search</button>
      </Form>
      {members.length === 0 ? <p className="text-slate-600">No member matches “{q}”.</p> : null}
      <ul className="space-y-3" aria-label="Members">
        {members.map((m) => <MemberCard key={m.id} member={m} self={m.id === viewerId} feedback={feedback} />)}
      </ul>
    </div>
  );
}

function MemberCard({ member: m, self, feedback }: { member: Member; self: boolean; feedback: ModFeedback }) {
  const who = { userId: String(m.id) };
  return (
    <li className="card p-4" aria-label={`Member ${m.username}`}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <p>
          <a href={`/mod/users/${m.username}`} className="font-semibold">{m.username}</a>{" "}
          <span className="text-sm text-slate-600">{m.email}</span>
        </p>
        <p className="text-sm capitalize text-slate-700">{m.role}</p>
      </div>
      <dl className="mt-1 flex flex-wrap gap-x-4 text-sm text-slate-600">
        <div><dt className="inline">Joined </dt><dd className="inline"><Time date={m.createdAt} /></dd></div>
        <div><dt className="inline">Last seen </dt><dd className="inline">{m.lastSeenAt ? <Time date={m.lastSeenAt} /> : "no open session"}</dd></div>
        <div><dt className="inline">Email </dt><dd className="inline">{m.verified ? "verified" : "not verified"}</dd></div>
        <div><dt className="inline">Sessions </dt><dd className="inline">{m.sessions}</dd></div>
        {m.suspendedUntil ? <div className="text-red-700"><dt className="inline">Suspended until </dt><dd className="inline"><Time date={m.suspendedUntil} withTime /></dd></div> : null}
        {m.silencedUntil ? <div className="text-amber-800"><dt className="inline">Silenced until </dt><dd className="inline"><Time date={m.silencedUntil} withTime /></dd></div> : null}
      </dl>
      {self ? <p className="mt-2 text-sm text-slate-500">This is you: another admin changes your role or account.</p> : (
        <details className="mt-2 text-sm" open={feedback?.form.endsWith(`:user:${m.id}`) || undefined}>
          <summary className="cursor-pointer font-medium">Manage {m.username}</summary>
          <div className="mt-2 grid gap-3 md:grid-cols-3">
            <DecisionForm intent="role" hidden={who} button="Change role" feedback={feedback} withRule={false}>
              <label htmlFor={`role-${m.id}`} className="block text-sm font-medium">New role</label>
              <select id={`role-${m.id}`} name="role" className="input" defaultValue={m.role}>
                {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
              </select>
            </DecisionForm>
            {m.suspendedUntil ? (
              <DecisionForm intent="unsuspend" hidden={who} button="Lift suspension" feedback={feedback} withRule={false} />
            ) : (
              <DecisionForm intent="suspend" hidden={who} button="Suspend" danger feedback={feedback} withRule={false}>
                <DurationFields idPrefix={`suspend-${m.id}`} />
              </DecisionForm>
            )}
            <DecisionForm intent="revoke-sessions" hidden={who} button="Sign out everywhere" feedback={feedback} withRule={false} />
          </div>
        </details>
      )}
    </li>
  );
}
