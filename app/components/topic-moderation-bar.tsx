import { Form } from "@remix-run/react";

/** Pin and lock in place; move, merge and split on their own page. */
export function TopicModerationBar({ topic }: { topic: { id: number; pinned: boolean; locked: boolean } }) {
  const action = `/mod/topics/${topic.id}`;
  return (
    <section aria-label="Moderation" className="mt-4 flex flex-wrap items-center gap-2 rounded-md border border-slate-200 bg-white p-3 text-sm">
      <span className="font-semibold text-slate-700">Moderation:</span>
      <Form method="post" action={action}>
        <input type="hidden" name="intent" value={topic.pinned ? "unpin" : "pin"} />
        <button type="submit" className="btn-secondary">{topic.pinned ? "Unpin" : "Pin"}</button>
      </Form>
      <Form method="post" action={action} className="flex items-center gap-1">
        <input type="hidden" name="intent" value={topic.locked ? "unlock" : "lock"} />
        <label htmlFor="lock-reason" className="sr-only">Reason</label>
        <input id="lock-reason" name="reason" className="input w-48 py-1" placeholder={topic.locked ? "Reason to unlock" : "Reason to lock"} required minLength={3} />
        <button type="submit" className="btn-secondary">{topic.locked ? "Unlock" : "Lock"}</button>
      </Form>
      <a href={action} className="btn-secondary">Move, merge or split…</a>
    </section>
  );
}
