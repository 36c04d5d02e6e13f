import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { retryImportFailure } from "~/archive/ingest.server";
import { listImportFailures, recentImportRuns, resolveImportFailure } from "~/archive/ingest-runs.server";
import { publishList, setListActive, showList, unpublishList } from "~/archive/lists.server";
import { listTombstones } from "~/archive/takedown.server";
import { ArchiveTime } from "~/components/archive-time";
import { FormErrors } from "~/components/field";
import { requireModerator } from "~/utils/auth/guards.server";
import { db } from "~/utils/db.server";
import { notFound } from "~/utils/http";
import { syncImapList } from "../../importer/imap-sync.ts";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [
  { title: `${loaded?.list.name ?? "List"} · Moderation · Threadline` },
  { name: "robots", content: "noindex" },
];

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

async function overviewOr404(slug: string | undefined) {
  const overview = await showList(slug ?? "");
  if (!overview) notFound("There is no archived list with this slug.");
  return overview;
}

export async function loader({ params, request, context }: LoaderFunctionArgs) {
  requireModerator(request, context);
  const { list, settings, passwordEnvSet, openFailures } = await overviewOr404(params.slug);
  const [runs, failures, tombstones] = await Promise.all([
    recentImportRuns(list.id, 20),
    listImportFailures(list.id, { take: 50 }),
    listTombstones(list.id, 100),
  ]);
  return {
    list: {
      slug: list.slug,
      name: list.name,
      description: list.description,
      visibility: list.visibility,
      publishedAt: iso(list.publishedAt),
      active: list.active,
      sourceType: list.sourceType,
      messageCount: list.messageCount,
      threadCount: list.threadCount,
      lastMessageAt: iso(list.lastMessageAt),
      lastSyncedAt: iso(list.lastSyncedAt),
      lastUid: list.lastUid === null ? null : list.lastUid.toString(),
      createdAt: iso(list.createdAt),
    },
    settings: Object.fromEntries(Object.entries(settings).map(([key, value]) => [key, value === null || value === undefined ? "" : String(value)])),
    passwordEnvSet,
    openFailures,
    runs: runs.map((run) => ({ ...run, startedAt: iso(run.startedAt)!, finishedAt: iso(run.finishedAt) })),
    failures: failures.map((failure) => ({
      id: failure.id,
      reason: failure.reason,
      size: failure.size,
      hasRaw: failure.rawSha256 !== null,
      source: failure.source,
      createdAt: iso(failure.createdAt)!,
    })),
    tombstones: tombstones.map((tombstone) => ({
      id: tombstone.id,
      messageId: tombstone.messageId,
      reason: tombstone.reason,
      createdAt: iso(tombstone.createdAt)!,
    })),
  };
}

type SyncSummary =
  | { status: "succeeded"; fetched: number; created: number; duplicates: number; failed: number; skipped: number; resynced: boolean }
  | { status: "locked"; lockedBy: string | null; lockedUntil: string | null }
  | { status: "aborted" | "failed"; error: string };

type ActionResult = { notice?: string; error?: string; sync?: SyncSummary };

async function failureOfList(listId: number, idValue: FormDataEntryValue | null) {
  const id = Number(idValue);
  if (!Number.isSafeInteger(id) || id <= 0) return null;
  return db.importFailure.findFirst({ where: { id, listId }, select: { id: true, resolvedAt: true } });
}

export async function action({ params, request, context }: ActionFunctionArgs) {
  const moderator = requireModerator(request, context);
  const { list } = await overviewOr404(params.slug);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  const reply = (result: ActionResult, status = 200) => data<ActionResult>(result, { status });
  switch (intent) {
    case "publish":
    case "unpublish": {
      const result = intent === "publish" ? await publishList(moderator.id, list.slug) : await unpublishList(moderator.id, list.slug);
      if (!result.ok) return reply({ error: result.formErrors.join(" ") || "The list could not be changed." }, 400);
      return reply({ notice: intent === "publish" ? "The list is now public." : "The list is now hidden from readers." });
    }
    case "activate":
    case "deactivate": {
      const result = await setListActive(moderator.id, list.slug, intent === "activate");
      if (!result.ok) return reply({ error: result.formErrors.join(" ") || "The list could not be changed." }, 400);
      return reply({ notice: intent === "activate" ? "Scheduled syncing is on." : "Scheduled syncing is off." });
    }
    case "retry": {
      const failure = await failureOfList(list.id, formData.get("failureId"));
      if (!failure) return reply({ error: "There is no such import failure for this list." }, 404);
      const outcome = await retryImportFailure(moderator.id, failure.id);
      switch (outcome.status) {
        case "not-found":
          return reply({ error: "There is no such import failure for this list." }, 404);
        case "no-bytes":
          return reply({ error: "This message's bytes were never read, so it cannot be retried. Mark it resolved once dealt with." }, 400);
        case "failed":
          return reply({ error: `The message still cannot be archived: ${outcome.reason}` }, 400);
        case "created":
          return reply({ notice: `Failure #${failure.id} retried: the message is now archived.` });
        case "tombstoned":
          return reply({ notice: `Failure #${failure.id} retried: the message is archived, hidden by an earlier takedown.` });
        case "duplicate":
          return reply({ notice: `Failure #${failure.id} retried: the message was already archived.` });
        default:
          return reply({ notice: `Failure #${failure.id} retried (${outcome.status}).` });
      }
    }
    case "resolve": {
      const failure = await failureOfList(list.id, formData.get("failureId"));
      if (!failure) return reply({ error: "There is no such import failure for this list." }, 404);
      await resolveImportFailure(moderator.id, failure.id, "marked resolved in the moderation console");
      return reply({ notice: `Failure #${failure.id} is marked resolved.` });
    }
    case "sync": {
      if (list.sourceType !== "imap") return reply({ error: "Only lists with an IMAP source can be synced from here." }, 400);
      return reply({ sync: await syncNow(list.id) });
    }
    default:
      return reply({ error: "Unknown action." }, 400);
  }
}

/** One bounded IMAP sync for a waiting moderator: the result, never a thrown error. */
async function syncNow(listId: number): Promise<SyncSummary> {
  try {
    const result = await syncImapList(
      { id: listId },
      { connectTimeoutMs: 20_000, commandTimeoutMs: 60_000, maxReconnects: 2, backoffBaseMs: 500, backoffMaxMs: 5_000 },
    );
    switch (result.status) {
      case "succeeded":
        return { status: "succeeded", ...result.counters, resynced: result.resynced };
      case "locked":
        return { status: "locked", lockedBy: result.lockedBy, lockedUntil: iso(result.lockedUntil) };
      case "aborted":
        return { status: "aborted", error: "The sync stopped before finishing; the next sync resumes after the last stored message." };
      case "failed":
        return { status: "failed", error: result.error };
    }
  } catch (error) {
    return { status: "failed", error: error instanceof Error ? error.message : String(error) };
  }
}

function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

function SyncResult({ sync }: { sync: SyncSummary }) {
  if (sync.status === "succeeded") {
    return (
      <div role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-900" data-testid="sync-result">
        Sync finished: {sync.fetched} fetched, {sync.created} new, {sync.duplicates} duplicates, {sync.failed} failed, {sync.skipped} skipped.
        {sync.resynced ? " The mailbox's UIDVALIDITY changed, so it was read again from the start." : ""}
      </div>
    );
  }
  const message =
    sync.status === "locked"
      ? `Another sync of this list is running${sync.lockedBy ? ` (${sync.lockedBy})` : ""}; try again when it has finished.`
      : `Sync failed: ${sync.error}`;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800" data-testid="sync-result">
      {message}
    </div>
  );
}

function IntentButton({ intent, label, className = "btn-secondary", extra }: { intent: string; label: string; className?: string; extra?: Record<string, string> }) {
  return (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value={intent} />
      {extra ? Object.entries(extra).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />) : null}
      <button type="submit" className={className}>
        {label}
      </button>
    </Form>
  );
}

const SOURCE_LABELS: Record<string, string> = { none: "None", mbox: "mbox files", imap: "IMAP mailbox" };

export default function ManageList() {
  const { list, settings, passwordEnvSet, openFailures, runs, failures, tombstones } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const syncing = navigation.state === "submitting" && navigation.formData?.get("intent") === "sync";
  const details: [string, string][] = [
    ["Host", settings.hostUrl ? `${settings.hostName} (${settings.hostUrl})` : (settings.hostName ?? "")],
    ["List-info URL", settings.infoUrl ?? ""],
    ["Contact", settings.contact ?? ""],
    ["List address", settings.listAddress ?? ""],
    ["Ownership notice", settings.ownershipNotice || "The default notice naming the host."],
  ];
  if (list.sourceType === "imap") {
    details.push(
      ["IMAP server", `${settings.imapHost}:${settings.imapPort || (settings.imapTls === "false" ? "143" : "993")} (${settings.imapTls === "false" ? "no TLS" : "TLS"})`],
      ["IMAP user", settings.imapUser ?? ""],
      ["IMAP mailbox", settings.imapMailbox || "INBOX"],
      [
        "Password variable",
        `${settings.imapPasswordEnv} — ${passwordEnvSet ? "set on this server" : "NOT set on this server: syncing fails until it is"}`,
      ],
      ["Last UID stored", list.lastUid ?? "none yet"],
    );
  }
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <p className="text-sm text-slate-600">
            <a href="/mod">Moderation</a> › <a href="/mod/lists">Archived lists</a> ›
          </p>
          <h1 className="text-2xl font-semibold">{list.name}</h1>
          <p className="text-sm text-slate-600">
            <span className="font-mono">{list.slug}</span> ·{" "}
            <span data-testid="list-visibility">{list.visibility === "public" ? "Public" : "Hidden"}</span> · source: {SOURCE_LABELS[list.sourceType] ?? list.sourceType}
            {list.sourceType === "imap" ? ` · scheduled sync ${list.active ? "on" : "off"}` : ""}
          </p>
        </div>
        <div className="flex flex-wrap gap-2">
          <a href={`/mod/lists/${list.slug}/edit`} className="btn-secondary">Edit settings</a>
          <a href={`/lists/${list.slug}`} className="btn-secondary">View archive</a>
        </div>
      </div>

      {result?.notice ? (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-900">{result.notice}</p>
      ) : null}
      <FormErrors errors={result?.error ? [result.error] : undefined} />
      {result?.sync ? <SyncResult sync={result.sync} /> : null}

      <section className="card space-y-3 p-5" aria-labelledby="state-heading">
        <h2 id="state-heading" className="font-semibold">Visibility and syncing</h2>
        <p className="text-sm text-slate-600">
          {list.visibility === "public"
            ? "Readers can see this list at /lists."
            : "Only moderators can see this list. Publish it when its settings and first import look right."}
        </p>
        <div className="flex flex-wrap gap-2">
          {list.visibility === "public" ? (
            <IntentButton intent="unpublish" label="Unpublish" className="btn-danger" />
          ) : (
            <IntentButton intent="publish" label="Publish" className="btn" />
          )}
          {list.active ? <IntentButton intent="deactivate" label="Deactivate" /> : <IntentButton intent="activate" label="Activate" />}
          {list.sourceType === "imap" ? (
            <Form method="post" className="inline">
              <input type="hidden" name="intent" value="sync" />
              <button type="submit" className="btn-secondary" disabled={syncing}>
                {syncing ? "Syncing…" : "Sync now"}
              </button>
            </Form>
          ) : null}
        </div>
        <p className="text-xs text-slate-500">
          Deactivating stops scheduled IMAP syncs; the archive stays as it is. Last sync:{" "}
          {list.lastSyncedAt ? <ArchiveTime date={list.lastSyncedAt} /> : "never"}.
        </p>
      </section>

      <section className="card p-5" aria-labelledby="details-heading">
        <h2 id="details-heading" className="font-semibold">Details</h2>
        {list.description ? <p className="mt-1 text-sm text-slate-700">{list.description}</p> : null}
        <dl className="mt-3 grid grid-cols-1 gap-x-6 gap-y-2 text-sm sm:grid-cols-[12rem_1fr]">
          <dt className="font-medium text-slate-600">Messages / threads</dt>
          <dd>
            {list.messageCount.toLocaleString("en")} / {list.threadCount.toLocaleString("en")}
          </dd>
          {details.map(([term, value]) => (
            <div key={term} className="contents">
              <dt className="font-medium text-slate-600">{term}</dt>
              <dd className="break-words">{value || <span className="text-slate-400">not set</span>}</dd>
            </div>
          ))}
        </dl>
      </section>

      <section className="card p-5" aria-labelledby="runs-heading">
        <h2 id="runs-heading" className="font-semibold">Import history</h2>
        {runs.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No imports yet.</p>
        ) : (
          <div className="mt-2 overflow-x-auto">
            <table className="w-full text-left text-sm">
              <thead className="border-b border-slate-200 text-slate-600">
                <tr>
                  <th scope="col" className="p-2">Started</th>
                  <th scope="col" className="p-2">Kind</th>
                  <th scope="col" className="p-2">Status</th>
                  <th scope="col" className="p-2 text-right">Fetched</th>
                  <th scope="col" className="p-2 text-right">New</th>
                  <th scope="col" className="p-2 text-right">Duplicates</th>
                  <th scope="col" className="p-2 text-right">Failed</th>
                  <th scope="col" className="p-2">Error</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((run) => (
                  <tr key={run.id} className="border-b border-slate-100 last:border-0" data-testid="import-run">
                    <td className="p-2"><ArchiveTime date={run.startedAt} /></td>
                    <td className="p-2">{run.kind}</td>
                    <td className="p-2">{run.status}</td>
                    <td className="p-2 text-right">{run.fetched}</td>
                    <td className="p-2 text-right">{run.created}</td>
                    <td className="p-2 text-right">{run.duplicates}</td>
                    <td className="p-2 text-right">{run.failed}</td>
                    <td className="p-2 break-words text-red-800">{run.error ?? ""}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <section className="card p-5" aria-labelledby="failures-heading">
        <h2 id="failures-heading" className="font-semibold">Import failures ({openFailures} open)</h2>
        {failures.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">No open import failures.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100">
            {failures.map((failure) => (
              <li key={failure.id} className="flex flex-wrap items-start justify-between gap-3 py-3 text-sm" data-testid="import-failure">
                <div className="min-w-0 flex-1">
                  <p className="font-medium break-words">{failure.reason}</p>
                  <p className="text-slate-500">
                    #{failure.id} · {formatBytes(failure.size)} · <ArchiveTime date={failure.createdAt} />
                    {failure.source ? <> · <span className="break-all">{failure.source}</span></> : null}
                  </p>
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  {failure.hasRaw ? (
                    <>
                      <a href={`/mod/lists/${list.slug}/failures/${failure.id}/raw`} download>Download raw</a>
                      <IntentButton intent="retry" label="Retry" extra={{ failureId: String(failure.id) }} />
                    </>
                  ) : (
                    <span className="text-slate-500">raw bytes not kept</span>
                  )}
                  <IntentButton intent="resolve" label="Mark resolved" extra={{ failureId: String(failure.id) }} />
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section className="card p-5" aria-labelledby="tombstones-heading">
        <h2 id="tombstones-heading" className="font-semibold">Taken-down messages</h2>
        <p className="text-xs text-slate-500">These stay hidden when a resync or re-import brings them back. Unhide a message from its own page.</p>
        {tombstones.length === 0 ? (
          <p className="mt-2 text-sm text-slate-600">None.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-100 text-sm">
            {tombstones.map((tombstone) => (
              <li key={tombstone.id} className="py-2" data-testid="tombstone">
                <p className="font-mono break-all">{tombstone.messageId}</p>
                <p className="text-slate-600">
                  {tombstone.reason} · <ArchiveTime date={tombstone.createdAt} />
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
