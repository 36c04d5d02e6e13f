import { useId, type InputHTMLAttributes } from "react";

type FieldProps = {
  label: string;
  errors?: string[] | undefined;
  hint?: string;
} & InputHTMLAttributes<HTMLInputElement>;

/** A labelled input whose errors are announced and tied to it for screen readers. */
export function Field({ label, errors, hint, id, ...inputProps }: FieldProps) {
  const fallbackId = useId();
  const inputId = id ?? fallbackId;
  const errorId = `${inputId}-errors`;
  const hintId = `${inputId}-hint`;
  const hasErrors = Boolean(errors?.length);
  const describedBy = [hasErrors ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={inputId} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <input id={inputId} className="input" aria-invalid={hasErrors || undefined} aria-describedby={describedBy} {...inputProps} />
      {hint ? (
        <p id={hintId} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {hasErrors ? (
        <ul id={errorId} className="text-sm text-red-700">
          {errors!.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** Errors that belong to the whole form rather than one field. */
export function FormErrors({ errors }: { errors?: string[] | undefined }) {
  if (!errors?.length) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      {errors.map((error) => (
        <p key={error}>{error}</p>
      ))}
    </div>
  );
}
