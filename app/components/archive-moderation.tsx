import { Form } from "@remix-run/react";

const CATEGORIES = [
  { value: "takedown", label: "Takedown request" },
  { value: "personal-data", label: "Personal data" },
  { value: "spam", label: "Spam" },
  { value: "other", label: "Other" },
];

/** Moderators hide a message (with a category and a note for the audit log) or bring it back. */
export function ArchiveModeration({ hidden, error }: { hidden: { reason: string } | null; error?: string | null }) {
  return (
    <section aria-label="Moderation" className="mt-6 rounded-md border border-slate-200 bg-white p-4 text-sm">
      <h2 className="font-semibold text-slate-700">Moderation</h2>
      {error ? <p role="alert" className="mt-2 text-red-700">{error}</p> : null}
      {hidden ? (
        <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
          <input type="hidden" name="intent" value="unhide" />
          <div className="min-w-64 flex-1">
            <label htmlFor="unhide-reason" className="block text-slate-600">Why it comes back</label>
            <input id="unhide-reason" name="reasonText" className="input mt-1" required minLength={3} maxLength={500} />
          </div>
          <button type="submit" className="btn-secondary">Unhide</button>
        </Form>
      ) : (
        <Form method="post" className="mt-2 flex flex-wrap items-end gap-2">
          <input type="hidden" name="intent" value="hide" />
          <div>
            <label htmlFor="hide-category" className="block text-slate-600">Reason</label>
            <select id="hide-category" name="reasonCategory" className="input mt-1" defaultValue="takedown">
              {CATEGORIES.map((c) => (
                <option key={c.value} value={c.value}>{c.label}</option>
              ))}
            </select>
          </div>
          <div className="min-w-64 flex-1">
            <label htmlFor="hide-reason" className="block text-slate-600">Details (kept for moderators, never shown publicly)</label>
            <input id="hide-reason" name="reasonText" className="input mt-1" required minLength={3} maxLength={500} />
          </div>
          <button type="submit" className="btn-danger">Hide message</button>
        </Form>
      )}
    </section>
  );
}
