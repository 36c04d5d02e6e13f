import type { TextBlock } from "~/archive/quote-fold";
import { ArchiveMessageBody } from "./archive-message-body";
import { ArchiveTime } from "./archive-time";

export type MessageView = {
  publicId: string;
  url: string;
  messageId: string;
  messageIdSynthetic: boolean;
  subject: string;
  from: string;
  fromAddress: string | null;
  date: string | null;
  dateFallback: boolean;
  inferredParent: boolean;
  placedByModerator: boolean;
  hidden: { at: string; reason: string } | null;
  hasHtml: boolean;
  view: "text" | "html";
  blocks: TextBlock[];
  html: string | null;
  rawUrl: string;
  thread: { url: string; mboxUrl: string; subject: string; messageCount: number } | null;
  attachments: { position: number; filename: string; contentType: string; size: number; inline: boolean; url: string | null; skipped: string | null }[];
  parent: { url: string | null; subject: string | null; from: string | null; missing: boolean } | null;
  replies: { url: string; subject: string; from: string; date: string | null; inferredParent: boolean; placedByModerator: boolean }[];
};

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * One archived message with everything around it. Pure (no loader hooks), so
 * tests can render it with hostile data and check the output is inert.
 */
export function ArchiveMessageArticle({ message, list }: { message: MessageView; list: { name: string; url: string; listAddress: string | null } }) {
  const reply = list.listAddress
    ? `mailto:${list.listAddress}?${new URLSearchParams({
        subject: /^re:/i.test(message.subject) ? message.subject : `Re: ${message.subject}`,
        "In-Reply-To": `<${message.messageId}>`,
      }).toString().replace(/\+/g, "%20")}`
    : null;
  return (
    <article className="card mt-4 p-5" data-testid="archive-message">
      {message.hidden ? (
        <p role="status" className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
          <strong>Hidden by moderators</strong> ({message.hidden.reason || "no reason given"}). Visitors get a “removed” notice instead of this message.
        </p>
      ) : null}
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        <dt className="text-slate-500">From</dt>
        <dd>
          <strong>{message.from}</strong>
          {message.fromAddress && message.fromAddress !== message.from ? <span className="ml-1 text-slate-600">&lt;{message.fromAddress}&gt;</span> : null}
        </dd>
        <dt className="text-slate-500">Date</dt>
        <dd>
          <ArchiveTime date={message.date} />
          {message.dateFallback ? <span className="ml-2 text-xs text-slate-500">(the message had no usable date; this is when it was received)</span> : null}
        </dd>
        <dt className="text-slate-500">Subject</dt>
        <dd>{message.subject}</dd>
        <dt className="text-slate-500">List</dt>
        <dd><a href={list.url}>{list.name}</a></dd>
        <dt className="text-slate-500">Message-ID</dt>
        <dd className="break-all font-mono text-xs leading-5">
          {message.messageIdSynthetic ? <span className="text-slate-500">(none; assigned by the archive) </span> : null}
          <a href={`/mid/${encodeURIComponent(message.messageId)}`}>{message.messageId}</a>
        </dd>
      </dl>

      {message.parent || message.thread ? (
        <p className="mt-3 text-sm text-slate-600">
          {message.parent ? (
            message.parent.missing || !message.parent.url ? (
              <>In reply to a message that was not received. </>
            ) : (
              <>
                In reply to <a href={message.parent.url}>{message.parent.subject}</a> by {message.parent.from}
                {message.inferredParent ? <span className="ml-1 text-xs">(guessed from the subject)</span> : null}.{" "}
              </>
            )
          ) : null}
          {message.thread ? (
            <>
              Part of the thread <a href={`${message.thread.url}#m-${message.publicId}`}>{message.thread.subject}</a> ({message.thread.messageCount} message{message.thread.messageCount === 1 ? "" : "s"}).
            </>
          ) : null}
          {message.placedByModerator ? <span className="ml-1 text-xs">(placed in this thread by a moderator)</span> : null}
        </p>
      ) : null}

      {message.hasHtml ? (
        <nav aria-label="Message format" className="mt-4 flex gap-1 text-sm">
          {message.view === "text" ? (
            <span aria-current="true" className="rounded-md bg-slate-100 px-3 py-1 font-medium">Plain text</span>
          ) : (
            <a className="rounded-md px-3 py-1 hover:bg-slate-100" href={message.url}>Plain text</a>
          )}
          {message.view === "html" ? (
            <span aria-current="true" className="rounded-md bg-slate-100 px-3 py-1 font-medium">HTML</span>
          ) : (
            <a className="rounded-md px-3 py-1 hover:bg-slate-100" href={`${message.url}?view=html`} rel="nofollow">HTML</a>
          )}
        </nav>
      ) : null}

      <div className="mt-4 border-t border-slate-100 pt-4">
        {message.view === "html" && message.html !== null ? (
          // Sanitized by sanitizeMailHtml on import and again on the way out.
          <div className="prose-post text-slate-800" data-testid="message-html" dangerouslySetInnerHTML={{ __html: message.html }} />
        ) : (
          <ArchiveMessageBody blocks={message.blocks} />
        )}
      </div>

      {message.attachments.length ? (
        <section id="attachments" aria-labelledby="attachments-heading" className="mt-5 border-t border-slate-100 pt-4">
          <h2 id="attachments-heading" className="text-sm font-semibold">Attachments</h2>
          <ul className="mt-2 space-y-1 text-sm">
            {message.attachments.map((a) => (
              <li key={a.position} className="flex flex-wrap items-baseline gap-2">
                {a.url ? <a href={a.url} download>{a.filename}</a> : <span>{a.filename}</span>}
                <span className="text-xs text-slate-500">
                  {a.contentType}, {formatSize(a.size)}
                  {a.url ? "" : a.skipped ? ` (not stored: ${a.skipped})` : " (not stored)"}
                </span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {message.replies.length ? (
        <section aria-labelledby="replies-heading" className="mt-5 border-t border-slate-100 pt-4">
          <h2 id="replies-heading" className="text-sm font-semibold">Replies</h2>
          <ul className="mt-2 space-y-1 text-sm">
            {message.replies.map((r) => (
              <li key={r.url}>
                <a href={r.url}>{r.subject}</a> <span className="text-slate-500">by {r.from}, <ArchiveTime date={r.date} dateOnly /></span>
                {r.inferredParent ? <span className="ml-1 text-xs text-slate-500">(placed by subject)</span> : null}
                {r.placedByModerator ? <span className="ml-1 text-xs text-slate-500">(placed here by a moderator)</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <footer className="mt-5 flex flex-wrap gap-2 border-t border-slate-100 pt-4 text-sm">
        <a className="btn-secondary" href={message.rawUrl} rel="nofollow">Raw message</a>
        {message.thread ? <a className="btn-secondary" href={message.thread.mboxUrl} rel="nofollow">Download thread as mbox</a> : null}
        {reply ? <a className="btn-secondary" href={reply}>Reply by email</a> : null}
      </footer>
    </article>
  );
}
