import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Fragment } from "react";
import { readOutboxMail } from "~/mail/outbox.server";
import { requireUser } from "~/utils/auth/guards.server";
import { forbidden, notFound } from "~/utils/http";
import { canReadOutbox } from "~/utils/permissions";

export const meta: MetaFunction = () => [{ title: "Outgoing message · Admin · Threadline" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const user = requireUser(request, context);
  if (!canReadOutbox(user)) forbidden();
  const id = Number(params.id);
  const mail = Number.isSafeInteger(id) && id > 0 ? await readOutboxMail(id) : null;
  if (!mail) notFound("No such message.");
  const headers = mail.headers ? (JSON.parse(mail.headers) as Record<string, string>) : {};
  return data(
    {
      mail: {
        id: mail.id,
        kind: mail.kind,
        to: mail.toAddress,
        subject: mail.subject,
        text: mail.text,
        status: mail.status,
        attempts: mail.attempts,
        lastError: mail.lastError,
        createdAt: mail.createdAt.toISOString(),
        sentAt: mail.sentAt?.toISOString() ?? null,
        notBefore: mail.notBefore?.toISOString() ?? null,
        messageId: mail.messageId,
        headers: Object.entries(headers),
      },
    },
    // The body may hold a one-time link.
    { headers: { "Cache-Control": "no-store" } },
  );
}

export default function OutboxMessage() {
  const { mail } = useLoaderData<typeof loader>();
  return (
    <div>
      <nav aria-label="Breadcrumb" className="text-sm text-slate-500"><a href="/admin/outbox">Outbox</a> › #{mail.id}</nav>
      <h1 className="mt-1 text-2xl font-semibold">{mail.subject}</h1>
      <dl className="card mt-4 grid grid-cols-[9rem_1fr] gap-y-2 p-6 text-sm">
        <dt className="text-slate-500">To</dt>
        <dd>{mail.to}</dd>
        <dt className="text-slate-500">Kind</dt>
        <dd>{mail.kind}</dd>
        <dt className="text-slate-500">Status</dt>
        <dd>{mail.status}</dd>
        <dt className="text-slate-500">Attempts</dt>
        <dd>{mail.attempts}</dd>
        <dt className="text-slate-500">Created</dt>
        <dd>{mail.createdAt}</dd>
        {mail.sentAt ? (<><dt className="text-slate-500">Delivered</dt><dd>{mail.sentAt}</dd></>) : null}
        {mail.notBefore ? (<><dt className="text-slate-500">Next attempt</dt><dd>{mail.notBefore}</dd></>) : null}
        {mail.lastError ? (<><dt className="text-slate-500">Last error</dt><dd className="text-red-700">{mail.lastError}</dd></>) : null}
        {mail.headers.map(([name, value]) => (
          <Fragment key={name}>
            <dt className="text-slate-500">{name}</dt>
            <dd>{value}</dd>
          </Fragment>
        ))}
      </dl>
      <h2 className="mt-6 text-lg font-semibold">Message</h2>
      <pre className="card mt-2 overflow-x-auto whitespace-pre-wrap p-6 text-sm" data-testid="mail-body">{mail.text}</pre>
    </div>
  );
}
