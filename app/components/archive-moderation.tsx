import { Form } from "@remix-run/react";
import { Field, FormErrors } from "./field";

const CATEGORIES = [
  { value: "takedown", label: "Takedown request" },
  { value: "personal-data", label: "Personal data" },
  { value: "spam", label: "Spam" },
  { value: "other", label: "Other" },
];

/** What a refused detach or re-attach sends back: errors by field, and what was typed. */
export type PlacementFeedback = {
  intent: "detach" | "reattach";
  fieldErrors: Record<string, string[] | undefined>;
  formErrors: string[];
  values: Record<string, string>;
};

type PlacementProps = { startsThread: boolean; feedback: PlacementFeedback | null };

/**
 * Moderators hide a message (with a category and a note for the audit log) or
 * bring it back, and correct its place in the threads.
 */
export function ArchiveModeration({ hidden, error, placement }: { hidden: { reason: string } | null; error?: string | null; placement?: PlacementProps | null }) {
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
      {placement ? <ThreadPlacement {...placement} /> : null}
    </section>
  );
}

function ThreadPlacement({ startsThread, feedback }: PlacementProps) {
  return (
    <section aria-labelledby="thread-placement-heading" className="mt-4 border-t border-slate-100 pt-3">
      <h3 id="thread-placement-heading" className="font-semibold text-slate-700">Thread placement</h3>
      {startsThread ? (
        <p className="mt-2 text-slate-600">This message starts its thread, so there is nothing to detach it from.</p>
      ) : (
        <Form method="post" className="mt-2 space-y-2">
          <input type="hidden" name="intent" value="detach" />
          <PlacementFields intent="detach" feedback={feedback} />
          <button type="submit" className="btn-secondary">Detach into its own thread</button>
        </Form>
      )}
      <Form method="post" className="mt-3 space-y-2">
        <input type="hidden" name="intent" value="reattach" />
        <PlacementFields intent="reattach" feedback={feedback} />
        <button type="submit" className="btn-secondary">Re-attach under the new parent</button>
      </Form>
    </section>
  );
}

/** The fields of one placement form with its own errors (pure, so tests can render it). */
export function PlacementFields({ intent, feedback }: { intent: PlacementFeedback["intent"]; feedback: PlacementFeedback | null }) {
  const mine = feedback?.intent === intent ? feedback : null;
  return (
    <>
      <FormErrors errors={mine?.formErrors} />
      {intent === "reattach" ? (
        <Field
          id="reattach-parent"
          name="parent"
          label="New parent: its Message-ID or a link to it in this list"
          hint="For example <CAF1234@mail.example.org> or /lists/…/m/…; the message moves there with all its replies."
          required
          maxLength={2000}
          defaultValue={mine?.values.parent}
          errors={mine?.fieldErrors.parent}
        />
      ) : null}
      <Field
        id={`${intent}-reason`}
        name="reasonText"
        label={intent === "detach" ? "Why it starts a thread of its own (for the moderation log)" : "Why it moves (for the moderation log)"}
        required
        minLength={3}
        maxLength={500}
        defaultValue={mine?.values.reasonText}
        errors={mine?.fieldErrors.reasonText}
      />
    </>
  );
}
