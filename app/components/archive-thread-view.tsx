import type { ThreadItem, ThreadTocEntry } from "~/archive/read-thread.server";
import { ArchiveMessageBody } from "./archive-message-body";
import { ArchiveTime } from "./archive-time";

/** Threads longer than this get a table of contents. */
export const TOC_THRESHOLD = 10;

// Written out so Tailwind sees every class; depth is capped at 8 on the server.
const INDENT = [
  "",
  "ml-3 sm:ml-6",
  "ml-6 sm:ml-12",
  "ml-9 sm:ml-18",
  "ml-12 sm:ml-24",
  "ml-15 sm:ml-30",
  "ml-18 sm:ml-36",
  "ml-21 sm:ml-42",
  "ml-24 sm:ml-48",
];

export function indentClass(depth: number): string {
  return INDENT[Math.max(0, Math.min(depth, INDENT.length - 1))]!;
}

/** One entry of a thread: a message, a "not received" gap or a "removed" marker. */
export function ArchiveThreadItem({ item }: { item: ThreadItem }) {
  const indent = indentClass(item.indent);
  if (item.kind === "placeholder") {
    return (
      <li id={`m-${item.publicId}`} className={`${indent} rounded-md border border-dashed border-slate-300 px-4 py-2 text-sm italic text-slate-500`}>
        Message not received: another message refers to it, but it never reached the archive.
      </li>
    );
  }
  if (item.kind === "removed") {
    return (
      <li id={`m-${item.publicId}`} className={`${indent} rounded-md border border-dashed border-amber-300 bg-amber-50/50 px-4 py-2 text-sm italic text-amber-900`}>
        Message removed. {item.explanation}
      </li>
    );
  }
  return (
    <li id={`m-${item.publicId}`} className={`${indent} card p-4 ${item.hidden ? "border-amber-300 bg-amber-50/40" : ""}`} aria-label={`Message from ${item.from}`}>
      <header className="flex flex-wrap items-baseline justify-between gap-2 text-sm">
        <span>
          <strong className="text-slate-900">{item.from}</strong>
          {item.fromAddress && item.fromAddress !== item.from ? <span className="ml-1 text-slate-500">&lt;{item.fromAddress}&gt;</span> : null}
          {item.inferredParent ? (
            <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600" title="This message named no parent; its place in the thread was guessed from its subject.">
              placed by subject
            </span>
          ) : null}
          {item.placedByModerator ? (
            <span className="ml-2 rounded bg-slate-100 px-1.5 py-0.5 text-xs text-slate-600" title="A moderator detached this message from another thread or re-attached it here.">
              placed in this thread by a moderator
            </span>
          ) : null}
        </span>
        <a href={item.url} className="text-slate-500">
          <ArchiveTime date={item.date} />
        </a>
      </header>
      <h3 className="mt-1 text-sm font-medium text-slate-700">
        <a href={item.url}>{item.subject}</a>
      </h3>
      {item.hidden ? <p className="mt-1 text-sm font-medium text-amber-900">{item.hidden} (only moderators see it)</p> : null}
      <div className="mt-3">
        <ArchiveMessageBody blocks={item.blocks} />
      </div>
      {item.attachmentCount ? (
        <p className="mt-2 text-xs text-slate-500">
          <a href={`${item.url}#attachments`}>{item.attachmentCount} attachment{item.attachmentCount === 1 ? "" : "s"}</a>
        </p>
      ) : null}
    </li>
  );
}

/** Threads longer than a screen get a table of contents. */
export function ArchiveThreadToc({ entries, page }: { entries: ThreadTocEntry[]; page: number }) {
  // Entries on another page of the thread link there.
  const href = (entry: ThreadTocEntry) => `${entry.page === page ? "" : `?page=${entry.page}`}#m-${entry.publicId}`;
  return (
    <details className="card mt-4 p-4 text-sm" open>
      <summary className="cursor-pointer font-semibold">Contents ({entries.length} entries)</summary>
      <ol className="mt-2 space-y-1">
        {entries.map((entry) => (
          <li key={entry.publicId} className={indentClass(Math.min(entry.indent, 8))}>
            {entry.kind === "message" ? (
              <a href={href(entry)}>
                {entry.subject === null ? entry.from : (
                  <>
                    {entry.subject} <span className="text-slate-500">· {entry.from}</span>
                  </>
                )}
              </a>
            ) : (
              <a href={href(entry)} className="italic text-slate-500">
                {entry.kind === "placeholder" ? "message not received" : "message removed"}
              </a>
            )}
          </li>
        ))}
      </ol>
    </details>
  );
}
