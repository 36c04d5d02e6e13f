import { Form } from "@remix-run/react";
import { isDeletedMemberName } from "~/account/deleted-member";
import { Time } from "./time";
import { useOptionalUser } from "~/root";

type PostView = {
  id: number;
  number: number;
  author: { username: string; role: string };
  createdAt: string;
  editedAt: string | null;
  editCount: number;
  replyToNumber: number | null;
  deleted: boolean;
  hidden: boolean;
  hiddenReason: string | null;
  awaitingApproval?: boolean;
  cooked: string | null;
  bookmarked: boolean;
  can: { edit: boolean; delete: boolean; report: boolean };
};

/** `canModerate`: the viewer moderates this post's board (the loader asks canModerateBoard). */
export function PostCard({ post, topic, loggedIn, canModerate }: { post: PostView; topic: { id: number; slug: string }; loggedIn: boolean; canModerate: boolean }) {
  const user = useOptionalUser();
  const permalink = `/t/${topic.id}/${topic.slug}/${post.number}`;
  return (
    <li id={`post-${post.number}`} className={`card p-5 ${post.hidden ? "border-amber-300 bg-amber-50/40" : ""}`} aria-label={`Post ${post.number} by ${post.author.username}`}>
      <header className="flex flex-wrap items-baseline justify-between gap-2 text-sm text-slate-500">
        <span>
          {isDeletedMemberName(post.author.username) ? (
            <span className="font-semibold italic">{post.author.username}</span>
          ) : (
            <a href={`/u/${post.author.username}`} className="font-semibold">{post.author.username}</a>
          )}
          {post.author.role !== "member" ? <span className="ml-2 capitalize">{post.author.role}</span> : null}
          {post.replyToNumber ? (
            <>
              {" "}· in reply to <a href={`/t/${topic.id}/${topic.slug}/${post.replyToNumber}`}>#{post.replyToNumber}</a>
            </>
          ) : null}
        </span>
        <span>
          {post.editCount > 0 ? (
            <a href={`/p/${post.id}/revisions`} className="mr-2 text-slate-500">edited</a>
          ) : null}
          <a href={permalink} className="text-slate-500">#{post.number} · <Time date={post.createdAt} withTime /></a>
        </span>
      </header>
      {post.awaitingApproval && !post.hidden ? (
        <p role="status" className="mt-2 rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          <strong>Awaits approval.</strong> Only you and the moderators can see this post until a moderator approves it.
        </p>
      ) : null}
      {post.deleted ? (
        <p className="mt-2 italic text-slate-500">This post was deleted by its author.</p>
      ) : post.hidden ? (
        <div className="mt-2">
          <p className="text-sm font-medium text-amber-900">
            {post.awaitingApproval ? "Not approved by moderators" : "Hidden by moderators"}{post.hiddenReason ? `: ${post.hiddenReason}` : ""}.
            {user && user.username === post.author.username && !post.awaitingApproval ? (
              <>
                {" "}<a href={`/p/${post.id}/appeal`}>Appeal</a>
              </>
            ) : null}
          </p>
          {post.cooked ? <div className="prose-post mt-2 text-slate-500" dangerouslySetInnerHTML={{ __html: post.cooked }} /> : null}
        </div>
      ) : (
        // Stored HTML was rendered and sanitized when the post was written.
        <div className="prose-post mt-2 text-slate-800" dangerouslySetInnerHTML={{ __html: post.cooked ?? "" }} />
      )}
      {loggedIn && !post.deleted ? (
        <footer className="mt-3 flex flex-wrap items-center gap-2 text-sm">
          <a className="btn-secondary" href={`?replyTo=${post.number}#reply`}>Reply</a>
          <a className="btn-secondary" href={`?quote=${post.number}#reply`} onClick={(event) => quoteSelection(event, post)}>Quote</a>
          <Form method="post" action={`/p/${post.id}`}>
            <input type="hidden" name="intent" value={post.bookmarked ? "unbookmark" : "bookmark"} />
            <button type="submit" className="btn-secondary" aria-pressed={post.bookmarked}>{post.bookmarked ? "Bookmarked" : "Bookmark"}</button>
          </Form>
          {post.can.edit ? <a className="btn-secondary" href={`/p/${post.id}/edit`}>Edit</a> : null}
          {post.can.delete ? (
            <Form method="post" action={`/p/${post.id}`}>
              <input type="hidden" name="intent" value="delete" />
              <button type="submit" className="btn-danger">Delete</button>
            </Form>
          ) : null}
          {post.can.report ? <a className="btn-secondary" href={`/p/${post.id}/report`}>Report</a> : null}
          {canModerate ? (
            <Form method="post" action={`/p/${post.id}`} className="flex items-center gap-1">
              <input type="hidden" name="intent" value={post.hidden ? "unhide" : "hide"} />
              <label className="sr-only" htmlFor={`reason-${post.id}`}>Reason</label>
              <input id={`reason-${post.id}`} name="reason" className="input w-40 py-1" placeholder="Reason" required minLength={3} />
              <button type="submit" className="btn-secondary">{post.hidden ? "Unhide" : "Hide"}</button>
            </Form>
          ) : null}
        </footer>
      ) : null}
    </li>
  );
}

/**
 * With JavaScript, "Quote" quotes the text selected inside this post (if any)
 * straight into the reply box; without it, the link quotes the whole post.
 */
function quoteSelection(event: React.MouseEvent, post: PostView) {
  const selection = window.getSelection();
  const text = selection?.toString().trim();
  const body = document.getElementById(`post-${post.number}`);
  if (!text || !selection?.anchorNode || !body?.contains(selection.anchorNode)) return;
  event.preventDefault();
  const quoted = text.split("\n").map((line) => `> ${line}`).join("\n");
  window.dispatchEvent(
    new CustomEvent("threadline:quote", { detail: { text: `@${post.author.username} wrote in #${post.number}:\n\n${quoted}\n\n`, replyTo: post.number } }),
  );
  document.getElementById("composer-body")?.focus();
}
