// Small forms shared by the board and room management pages: move up/down,
// archive/reopen, and rename/describe. Each works without JavaScript.
import { Form } from "@remix-run/react";
import type { ModFeedback } from "./mod-forms";

export function MoveButtons({ intent, id, label, first, last }: { intent: string; id: number; label: string; first: boolean; last: boolean }) {
  return (
    <span className="inline-flex gap-1">
      {(["up", "down"] as const).map((direction) => (
        <Form method="post" key={direction}>
          <input type="hidden" name="intent" value={intent} />
          <input type="hidden" name="id" value={id} />
          <input type="hidden" name="direction" value={direction} />
          <button type="submit" className="btn-secondary px-2 py-1 disabled:cursor-not-allowed disabled:opacity-40" disabled={direction === "up" ? first : last} aria-label={`Move ${label} ${direction}`}>
            {direction === "up" ? "↑" : "↓"}
          </button>
        </Form>
      ))}
    </span>
  );
}

export function ArchiveButton({ intent, id, label, archived }: { intent: string; id: number; label: string; archived: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="id" value={id} />
      <input type="hidden" name="archived" value={archived ? "no" : "yes"} />
      <button type="submit" className={archived ? "btn-secondary py-1" : "btn-danger py-1"} aria-label={`${archived ? "Reopen" : "Archive"} ${label}`}>
        {archived ? "Reopen" : "Archive"}
      </button>
    </Form>
  );
}

/** Errors of the form named `form`, if the last submission came from it. */
export function errorsFor(feedback: ModFeedback, form: string) {
  return feedback && !feedback.ok && feedback.form === form ? feedback : undefined;
}

export function InlineErrors({ feedback, form }: { feedback: ModFeedback; form: string }) {
  const failed = errorsFor(feedback, form);
  if (!failed) return null;
  const messages = [...failed.formErrors, ...Object.values(failed.fieldErrors).flatMap((e) => e ?? [])];
  return <p role="alert" className="text-sm text-red-700">{messages.join(" ")}</p>;
}

/** Name and description fields with a submit button; new items also take an address (slug). */
export function NameForm({ intent, hidden, label, values, withSlug = false, button }: {
  intent: string;
  hidden: Record<string, string | number>;
  label: string;
  values: { name: string; description: string };
  withSlug?: boolean;
  button: string;
}) {
  const prefix = `${intent}-${Object.values(hidden).join("-") || "new"}`;
  return (
    <Form method="post" className="grid gap-2 sm:grid-cols-[1fr_2fr_auto] sm:items-end" aria-label={label}>
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      {withSlug ? (
        <label className="block text-sm sm:col-span-3">
          <span className="font-medium">Address</span>
          <input id={`${prefix}-slug`} name="slug" className="input mt-1" required maxLength={50} pattern="[a-z0-9][a-z0-9\-]*" placeholder="lower-case-words" />
        </label>
      ) : null}
      <label className="block text-sm">
        <span className="font-medium">Name</span>
        <input id={`${prefix}-name`} name="name" className="input mt-1" required minLength={2} maxLength={80} defaultValue={values.name} />
      </label>
      <label className="block text-sm">
        <span className="font-medium">Description</span>
        <input id={`${prefix}-description`} name="description" className="input mt-1" maxLength={300} defaultValue={values.description} />
      </label>
      <button type="submit" className="btn-secondary">{button}</button>
    </Form>
  );
}
