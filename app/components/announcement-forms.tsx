// Forms of the announcement admin pages: a list's settings and a draft.
import { Form } from "@remix-run/react";
import { useId, type TextareaHTMLAttributes } from "react";
import type { FieldErrors } from "~/utils/forms";
import { Field, FormErrors } from "./field";

type Values = Record<string, string | undefined>;
type FormProps = { values?: Values; fieldErrors?: FieldErrors; formErrors?: string[]; intent: string; submitLabel: string; busy?: boolean };

function TextAreaField({ label, errors, hint, ...rest }: { label: string; errors?: string[] | undefined; hint?: string } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  const hasErrors = Boolean(errors?.length);
  const describedBy = [hasErrors ? `${id}-errors` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">{label}</label>
      <textarea id={id} className="input" aria-invalid={hasErrors || undefined} aria-describedby={describedBy} {...rest} />
      {hint ? <p id={`${id}-hint`} className="text-xs text-slate-500">{hint}</p> : null}
      {hasErrors ? (
        <ul id={`${id}-errors`} className="text-sm text-red-700">
          {errors!.map((error) => <li key={error}>{error}</li>)}
        </ul>
      ) : null}
    </div>
  );
}

export function AnnouncementListForm({ values = {}, fieldErrors = {}, formErrors, intent, submitLabel, busy }: FormProps) {
  return (
    <Form method="post" className="card space-y-4 p-6" noValidate>
      <FormErrors errors={formErrors} />
      <input type="hidden" name="intent" value={intent} />
      <Field label="Name" name="name" required maxLength={80} defaultValue={values.name} errors={fieldErrors.name} hint='Shown to readers, e.g. "Threadline news".' />
      <Field
        label="Address"
        name="slug"
        required
        maxLength={40}
        defaultValue={values.slug}
        errors={fieldErrors.slug}
        hint="The list's page is /announcements/<address>. Lower-case letters, digits and hyphens."
      />
      <TextAreaField label="Description" name="description" rows={3} maxLength={500} defaultValue={values.description} errors={fieldErrors.description} hint="What subscribers will get, and how often." />
      <button type="submit" className="btn" disabled={busy}>{submitLabel}</button>
    </Form>
  );
}

export function AnnouncementDraftForm({ values = {}, fieldErrors = {}, formErrors, intent, submitLabel, busy }: FormProps) {
  return (
    <Form method="post" className="card space-y-4 p-6" noValidate>
      <FormErrors errors={formErrors} />
      <input type="hidden" name="intent" value={intent} />
      <Field label="Subject" name="subject" required maxLength={150} defaultValue={values.subject} errors={fieldErrors.subject} />
      <TextAreaField
        label="Message (Markdown)"
        name="markdown"
        rows={12}
        className="input font-mono"
        defaultValue={values.markdown}
        errors={fieldErrors.markdown}
        hint="Rendered like forum posts. A footer with the subscriber's unsubscribe link is added to every email."
      />
      <button type="submit" className="btn" disabled={busy}>{submitLabel}</button>
    </Form>
  );
}
