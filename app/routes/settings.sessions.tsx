import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { SettingsNav } from "~/components/settings-nav";
import { Time } from "~/components/time";
import { requireUser } from "~/utils/auth/guards.server";
import { invalidateUserSessions, listUserSessions } from "~/utils/auth/session.server";
import { db } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Active sessions · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  const sessions = await listUserSessions(user.id);
  const currentId = context.auth!.session.id;
  return {
    sessions: sessions.map((session) => ({
      // Only a short prefix leaves the server: enough to revoke, useless to log in.
      ref: session.id.slice(0, 12),
      label: session.label,
      createdAt: session.createdAt.toISOString(),
      lastUsedAt: session.lastUsedAt.toISOString(),
      current: session.id === currentId,
    })),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = requireUser(request, context);
  const currentId = context.auth!.session.id;
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "revoke-others") {
    const count = await invalidateUserSessions(user.id, { except: currentId });
    return { message: count === 1 ? "1 other session was signed out." : `${count} other sessions were signed out.` };
  }
  if (intent === "revoke") {
    const ref = String(formData.get("session") ?? "");
    if (!/^[a-z2-7]{12}$/.test(ref) || currentId.startsWith(ref)) {
      return data({ message: "Choose one of your other sessions to sign out. To end this one, log out." }, { status: 400 });
    }
    const { count } = await db.session.deleteMany({ where: { userId: user.id, id: { startsWith: ref } } });
    return { message: count ? "The session was signed out." : "That session had already ended." };
  }
  return data({ message: "Unknown action." }, { status: 400 });
}

export default function SessionsPage() {
  const { sessions } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const others = sessions.filter((session) => !session.current).length;
  return (
    <div className="grid gap-8 md:grid-cols-[12rem_1fr]">
      <SettingsNav />
      <div>
        <h1 className="text-2xl font-semibold">Active sessions</h1>
        <p className="mt-1 text-sm text-slate-600">
          Every browser where you are logged in. Sign out any you do not recognise, then change your password.
        </p>
        {actionData?.message ? (
          <p role="status" className="mt-4 rounded-md border border-slate-200 bg-white p-3 text-sm">{actionData.message}</p>
        ) : null}
        <ul className="card mt-4 divide-y divide-slate-100" aria-label="Sessions">
          {sessions.map((session) => (
            <li key={session.ref} className="flex flex-wrap items-center justify-between gap-3 p-4">
              <div>
                <p className="font-medium">
                  {session.label}
                  {session.current ? (
                    <span className="ml-2 rounded-full bg-green-100 px-2 py-0.5 text-xs font-semibold text-green-800">This browser</span>
                  ) : null}
                </p>
                <p className="text-sm text-slate-500">
                  Signed in <Time date={session.createdAt} withTime /> · last active <Time date={session.lastUsedAt} withTime />
                </p>
              </div>
              {session.current ? null : (
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="session" value={session.ref} />
                  <button type="submit" className="btn-danger" aria-label={`Sign out ${session.label} session`}>
                    Sign out
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {others > 0 ? (
          <Form method="post" className="mt-4">
            <input type="hidden" name="intent" value="revoke-others" />
            <button type="submit" className="btn-secondary">Sign out of all other sessions</button>
          </Form>
        ) : null}
      </div>
    </div>
  );
}
