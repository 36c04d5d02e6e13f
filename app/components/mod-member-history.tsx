import type { MemberHistory } from "~/moderation/history.server";
import { ruleLabel } from "~/moderation/rules";
import { Time } from "./time";

/** A member's record as moderators see it beside a queue item or on the member page. */
export function MemberHistoryView({ username, history, compact = false }: { username: string; history: MemberHistory; compact?: boolean }) {
  return (
    <div className="space-y-2 text-sm" aria-label={`History of ${username}`}>
      <p>
        <a href={`/mod/users/${encodeURIComponent(username)}`} className="font-semibold">{username}</a> · {history.postCount} post{history.postCount === 1 ? "" : "s"} ·{" "}
        {history.pastSanctions} past sanction{history.pastSanctions === 1 ? "" : "s"}
        {history.suspendedUntil ? <> · <strong className="text-red-800">suspended until <Time date={history.suspendedUntil} withTime /></strong></> : null}
        {history.silencedUntil ? <> · <strong className="text-amber-800">silenced until <Time date={history.silencedUntil} withTime /></strong></> : null}
      </p>
      <p className="text-slate-700">Suggested next step: {history.suggestion.text}</p>
      <details open={!compact}>
        <summary className="cursor-pointer text-slate-600">Recent posts, actions and notes</summary>
        <h4 className="mt-2 font-medium">Recent posts</h4>
        {history.posts.length ? (
          <ul className="list-disc pl-5">
            {history.posts.map((p) => (
              <li key={p.id}>
                <a href={p.href}>{p.topicTitle}</a> <span className="text-slate-500">({p.state}, <Time date={p.at} />)</span>: {p.excerpt}
              </li>
            ))}
          </ul>
        ) : <p className="text-slate-500">No posts.</p>}
        <h4 className="mt-2 font-medium">Moderation actions</h4>
        {history.actions.length ? (
          <ul className="list-disc pl-5">
            {history.actions.map((a) => (
              <li key={a.id}>
                <code>{a.action}</code> by {a.actor}, <Time date={a.at} />{a.reason ? `: ${a.reason}` : ""}{a.rule ? ` (rule: ${ruleLabel(a.rule) ?? a.rule})` : ""}
              </li>
            ))}
          </ul>
        ) : <p className="text-slate-500">None.</p>}
        <h4 className="mt-2 font-medium">Staff notes</h4>
        {history.notes.length ? (
          <ul className="list-disc pl-5">
            {history.notes.map((n) => (
              <li key={n.id}>{n.body} <span className="text-slate-500">— {n.author}, <Time date={n.createdAt} /></span></li>
            ))}
          </ul>
        ) : <p className="text-slate-500">No notes.</p>}
      </details>
    </div>
  );
}
