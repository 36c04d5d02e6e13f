import type { QueueItem } from "~/moderation/queue.server";
import { ruleLabel } from "~/moderation/rules";
import { DecisionForm, DurationFields, PlainAction, type ModFeedback } from "./mod-forms";
import { MemberHistoryView } from "./mod-member-history";
import { Time } from "./time";

const TAKEDOWN_CATEGORIES = [
  { value: "takedown", label: "Takedown request" },
  { value: "personal-data", label: "Personal data" },
  { value: "spam", label: "Spam" },
  { value: "other", label: "Other" },
];

const TYPE_LABEL: Record<QueueItem["type"], string> = {
  held: "Held for approval",
  post: "Reported post",
  chat: "Reported chat message",
  mail: "Reported archived message",
  appeal: "Appeal",
  import: "Import failure",
};

function StateLine({ item }: { item: QueueItem }) {
  const { current } = item;
  const text: Record<typeof current.state, string> = {
    visible: "Visible to everyone",
    held: `Held for approval${item.held?.reason ? ` (${item.held.reason})` : ""}${item.held?.afterEdit ? ", after an edit" : ""}: only the author and moderators see it`,
    hidden: `Hidden${current.hiddenReason ? `: ${current.hiddenReason}` : ""}`,
    deleted: "Deleted by its author",
    gone: "No longer exists",
  };
  return <p className="text-sm"><span className="font-medium">Now:</span> {text[current.state]}{current.edited ? " · edited since it was reported" : ""}</p>;
}

/** One queue item: evidence, current state, reports, the author's record, claim, and the decisions that fit it. */
export function QueueItemCard({ item, feedback, viewer }: { item: QueueItem; feedback: ModFeedback; viewer: { id: number; siteModerator: boolean } }) {
  const key = { itemKey: item.key };
  const heading = `${TYPE_LABEL[item.type]}: ${item.title}`;
  return (
    <li className="card space-y-3 p-5" aria-label={heading} data-item={item.key}>
      <header className="flex flex-wrap items-start justify-between gap-2">
        <div className="flex items-start gap-2">
          {item.type === "post" && !item.resolved ? (
            <input type="checkbox" name="items" value={item.key} form="bulk-form" aria-label={`Select ${item.title}`} className="mt-1.5" />
          ) : null}
          <div>
            <h2 className="font-semibold">
              {TYPE_LABEL[item.type]}: {item.href ? <a href={item.href}>{item.title}</a> : item.title}
            </h2>
            <p className="text-sm text-slate-600">
              {item.where ? `${item.where} · ` : ""}
              {item.reportCount ? `${item.reportCount} report${item.reportCount === 1 ? "" : "s"} · ` : ""}
              <Time date={item.at} withTime />
            </p>
          </div>
        </div>
        {!item.resolved ? <ClaimBox item={item} viewer={viewer} /> : null}
      </header>

      {item.snapshot ? (
        <section aria-label="Evidence snapshot" className="rounded-md bg-slate-50 p-3 text-sm">
          <h3 className="font-medium">{item.type === "held" ? "As written" : "As reported"}{item.snapshot.author ? ` (by ${item.snapshot.author})` : ""}{item.snapshot.at ? <>, <Time date={item.snapshot.at} withTime /></> : null}</h3>
          {item.snapshot.subject ? <p className="font-medium">{item.snapshot.subject}</p> : null}
          <pre className="mt-1 whitespace-pre-wrap break-words font-sans">{item.snapshot.text}</pre>
        </section>
      ) : null}

      {item.type !== "import" ? <StateLine item={item} /> : null}
      {item.current.edited && item.current.text !== null ? (
        <details className="text-sm">
          <summary className="cursor-pointer">Current text</summary>
          <pre className="mt-1 whitespace-pre-wrap break-words font-sans">{item.current.text}</pre>
        </details>
      ) : null}

      {item.reports.length ? (
        <section aria-label="Reports">
          <h3 className="text-sm font-medium">Reports</h3>
          <ul className="list-disc pl-5 text-sm">
            {item.reports.map((r) => (
              <li key={r.id}>
                <strong>{r.reporter}</strong>: {r.reason} <span className="text-slate-500">(<Time date={r.at} withTime />{r.state !== "open" ? `, ${r.state}` : ""}{r.rule ? `, rule: ${ruleLabel(r.rule) ?? r.rule}` : ""})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {item.appeal ? (
        <section aria-label="Appeal" className="rounded-md bg-amber-50 p-3 text-sm">
          <h3 className="font-medium">The author’s appeal</h3>
          <p className="whitespace-pre-wrap">{item.appeal.text}</p>
          <p className="mt-1 text-slate-600">Hidden{item.appeal.hiddenBy ? ` by ${item.appeal.hiddenBy}` : ""}{item.appeal.hideReason ? `: ${item.appeal.hideReason}` : ""}.</p>
          {item.appeal.hiddenByViewer && item.appeal.otherModeratorExists && item.appeal.state === "open" ? (
            <p role="note" className="mt-1 font-medium text-amber-900">You hid this; another moderator should decide.</p>
          ) : null}
          {item.appeal.state !== "open" ? <p className="mt-1">Decision: {item.appeal.state}{item.appeal.decisionReason ? ` — ${item.appeal.decisionReason}` : ""}</p> : null}
        </section>
      ) : null}

      {item.failure ? (
        <p className="text-sm">
          {item.failure.reason} · <a href={item.failure.href}>See the failures of {item.failure.listName || "this list"}</a>
        </p>
      ) : null}

      {item.author?.history ? <MemberHistoryView username={item.author.username} history={item.author.history} compact /> : null}

      {!item.resolved ? <Decisions item={item} feedback={feedback} /> : null}
      {item.resolved && item.type === "post" && item.current.state === "hidden" ? (
        <DecisionForm intent="restore" hidden={key} button="Restore post" feedback={feedback} />
      ) : null}
    </li>
  );
}

function ClaimBox({ item, viewer }: { item: QueueItem; viewer: { id: number } }) {
  if (item.type === "import") return null;
  const claim = item.claim;
  if (!claim) return <PlainAction intent="claim" hidden={{ itemKey: item.key }} button="Claim" />;
  if (claim.mine || claim.moderatorId === viewer.id) {
    return (
      <p className="text-sm text-slate-600">
        Claimed by you · <PlainAction intent="release" hidden={{ itemKey: item.key }} button="Release" />
      </p>
    );
  }
  return (
    <p className="text-sm text-amber-900">
      Claimed by {claim.username} · <PlainAction intent="takeover" hidden={{ itemKey: item.key }} button="Take over" />
    </p>
  );
}

function Decisions({ item, feedback }: { item: QueueItem; feedback: ModFeedback }) {
  const key = { itemKey: item.key };
  const author = item.author;
  return (
    <details className="text-sm" open={feedback?.form.endsWith(item.key) || undefined}>
      <summary className="cursor-pointer font-medium">Decide</summary>
      <div className="mt-2 grid gap-3 md:grid-cols-2">
        {item.type === "held" ? (
          <>
            <DecisionForm intent="approve" hidden={key} button="Approve and publish" feedback={feedback} reasonLabel="Note for the audit log (optional)" optionalReason withRule={false} />
            <DecisionForm intent="reject" hidden={key} button="Reject" danger feedback={feedback} reasonLabel="Reason (sent to the author)" />
          </>
        ) : null}
        {item.type === "post" || item.type === "mail" || item.type === "chat" ? <DecisionForm intent="dismiss" hidden={key} button="Dismiss reports" feedback={feedback} /> : null}
        {item.type === "chat" && item.current.state === "visible" ? (
          <DecisionForm intent="delete-chat" hidden={key} button="Delete message" danger feedback={feedback} reasonLabel="Reason (shown in the room)" />
        ) : null}
        {item.type === "post" && item.current.state !== "hidden" && item.current.state !== "gone" ? (
          <DecisionForm intent="hide" hidden={key} button="Hide post" danger feedback={feedback} reasonLabel="Reason (shown publicly)" />
        ) : null}
        {item.type === "post" && item.current.state === "hidden" ? <DecisionForm intent="restore" hidden={key} button="Restore post" feedback={feedback} /> : null}
        {item.type === "mail" && item.current.state === "visible" ? (
          <DecisionForm intent="takedown" hidden={key} button="Take down message" danger feedback={feedback} reasonLabel="Details (for moderators)">
            <label htmlFor={`takedown-${item.key.replace(":", "-")}-category`} className="block text-sm font-medium">Takedown category</label>
            <select id={`takedown-${item.key.replace(":", "-")}-category`} name="category" className="input" defaultValue="takedown">
              {TAKEDOWN_CATEGORIES.map((c) => <option key={c.value} value={c.value}>{c.label}</option>)}
            </select>
          </DecisionForm>
        ) : null}
        {item.type === "appeal" ? (
          <>
            <DecisionForm intent="appeal-restore" hidden={key} button="Accept appeal and restore" feedback={feedback} reasonLabel="Reason (sent to the author)" />
            <DecisionForm intent="appeal-uphold" hidden={key} button="Uphold the hiding" danger feedback={feedback} reasonLabel="Reason (sent to the author)" />
          </>
        ) : null}
        {author?.history && author.role === "member" && (item.type === "post" || item.type === "held") ? <AuthorActions userId={author.id} username={author.username} suggestionDays={author.history.suggestion.days} feedback={feedback} /> : null}
        {author?.history && author.role === "member" && item.type === "chat" ? <AuthorActions userId={author.id} username={author.username} suggestionDays={author.history.suggestion.days} feedback={feedback} withFlood={false} /> : null}
      </div>
    </details>
  );
}

/** Warn, silence, suspend or clear a flood: actions on the author rather than the post. */
export function AuthorActions({ userId, username, suggestionDays, feedback, withFlood = true }: { userId: number; username: string; suggestionDays: number | null; feedback: ModFeedback; withFlood?: boolean }) {
  const who = { userId: String(userId) };
  return (
    <>
      <DecisionForm intent="warn" hidden={who} button={`Warn ${username}`} feedback={feedback} reasonLabel="Warning text (sent privately to the member)" />
      <DecisionForm intent="silence" hidden={who} button={`Silence ${username}`} feedback={feedback}>
        <DurationFields idPrefix={`silence-${userId}`} defaultDays={suggestionDays} />
      </DecisionForm>
      <DecisionForm intent="suspend" hidden={who} button={`Suspend ${username}`} danger feedback={feedback}>
        <DurationFields idPrefix={`suspend-${userId}`} defaultDays={suggestionDays} />
      </DecisionForm>
      {withFlood ? (
        <DecisionForm intent="flood" hidden={who} button={`Hide recent posts and suspend ${username}`} danger feedback={feedback} reasonLabel="Reason (shown on each hidden post)">
          <label htmlFor={`flood-${userId}-hours`} className="block text-sm font-medium">Posts from the last … hours</label>
          <input id={`flood-${userId}-hours`} name="hours" type="number" min={1} max={168} defaultValue={24} className="input w-24" />
          <DurationFields idPrefix={`flood-${userId}`} defaultDays={7} />
        </DecisionForm>
      ) : null}
    </>
  );
}
