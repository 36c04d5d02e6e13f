import { Form } from "@remix-run/react";
import type { ReactNode } from "react";
import { DURATIONS, RULES } from "~/moderation/rules";

/** What a moderation action sent back, keyed by the form that sent it. */
export type ModFeedback =
  | { ok: true; form: string; message: string }
  | { ok: false; form: string; fieldErrors: Record<string, string[] | undefined>; formErrors: string[]; values: Record<string, string> }
  | undefined;

const idOf = (form: string) => form.replace(/[^a-z0-9]+/gi, "-");

function Errors({ id, errors }: { id: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <ul id={id} className="text-sm text-red-700">
      {errors.map((e) => <li key={e}>{e}</li>)}
    </ul>
  );
}

/**
 * One moderation action: a required reason, an optional guideline rule, any
 * extra fields, and the button. Errors show beside the form that was sent;
 * success shows at the top of the page (see ModStatus), since a decided item
 * usually leaves the list.
 */
export function DecisionForm({
  intent,
  hidden,
  button,
  feedback,
  danger = false,
  reasonLabel = "Reason",
  withRule = true,
  optionalReason = false,
  formId,
  children,
}: {
  intent: string;
  hidden: Record<string, string>;
  button: string;
  feedback: ModFeedback;
  danger?: boolean;
  reasonLabel?: string;
  withRule?: boolean;
  /** The reason may be left empty (approving needs no justification). */
  optionalReason?: boolean;
  /** For forms that fields elsewhere on the page join with their form attribute. */
  formId?: string;
  children?: ReactNode;
}) {
  const form = `${intent}:${hidden.itemKey ?? (hidden.userId ? `user:${hidden.userId}` : "")}`.replace(/:$/, "");
  const mine = feedback?.form === form ? feedback : undefined;
  const failed = mine && !mine.ok ? mine : undefined;
  const id = idOf(form);
  const reasonErrors = failed?.fieldErrors.reason;
  return (
    <Form id={formId} method="post" className="space-y-2 rounded-md border border-slate-200 p-3" aria-label={button}>
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      {failed?.formErrors.length ? <p role="alert" className="text-sm text-red-700">{failed.formErrors.join(" ")}</p> : null}
      <div>
        <label htmlFor={`${id}-reason`} className="block text-sm font-medium">{reasonLabel}</label>
        <input
          id={`${id}-reason`}
          name="reason"
          className="input mt-1"
          required={!optionalReason}
          minLength={optionalReason ? undefined : 3}
          maxLength={500}
          defaultValue={failed?.values.reason}
          aria-invalid={reasonErrors ? true : undefined}
          aria-describedby={reasonErrors ? `${id}-reason-errors` : undefined}
        />
        <Errors id={`${id}-reason-errors`} errors={reasonErrors} />
      </div>
      {withRule ? (
        <div>
          <label htmlFor={`${id}-rule`} className="block text-sm font-medium">Guideline rule (optional)</label>
          <select id={`${id}-rule`} name="rule" className="input mt-1" defaultValue={failed?.values.rule ?? ""}>
            <option value="">None cited</option>
            {RULES.map((r) => <option key={r.value} value={r.value}>{r.label}</option>)}
          </select>
          <Errors id={`${id}-rule-errors`} errors={failed?.fieldErrors.rule} />
        </div>
      ) : null}
      {children ? <div className="space-y-2">{children}</div> : null}
      {failed ? <Errors id={`${id}-other-errors`} errors={[...(failed.fieldErrors.customDays ?? []), ...(failed.fieldErrors.duration ?? []), ...(failed.fieldErrors.hours ?? [])]} /> : null}
      <button type="submit" className={danger ? "btn-danger" : "btn-secondary"}>{button}</button>
    </Form>
  );
}

/** Sanction length: the fixed choices, or a custom number of days. */
export function DurationFields({ idPrefix, defaultDays }: { idPrefix: string; defaultDays?: number | null }) {
  const id = idOf(idPrefix);
  const preset = DURATIONS.some((d) => d.value === String(defaultDays)) ? String(defaultDays) : "1";
  return (
    <div className="flex flex-wrap gap-2">
      <div>
        <label htmlFor={`${id}-duration`} className="block text-sm font-medium">For</label>
        <select id={`${id}-duration`} name="duration" className="input mt-1" defaultValue={preset}>
          {DURATIONS.map((d) => <option key={d.value} value={d.value}>{d.label}</option>)}
        </select>
      </div>
      <div>
        <label htmlFor={`${id}-custom`} className="block text-sm font-medium">Custom days</label>
        <input id={`${id}-custom`} name="customDays" type="number" min={1} max={365} className="input mt-1 w-24" />
      </div>
    </div>
  );
}

/** A form with no reason: claim, take over, release. */
export function PlainAction({ intent, hidden, button }: { intent: string; hidden: Record<string, string>; button: string }) {
  return (
    <Form method="post" className="inline">
      <input type="hidden" name="intent" value={intent} />
      {Object.entries(hidden).map(([name, value]) => <input key={name} type="hidden" name={name} value={value} />)}
      <button type="submit" className="btn-secondary">{button}</button>
    </Form>
  );
}

/** The outcome of the last successful moderation action. */
export function ModStatus({ feedback }: { feedback: ModFeedback }) {
  if (!feedback?.ok) return null;
  return <p role="status" className="rounded-md border border-green-200 bg-green-50 p-3 text-sm text-green-900">{feedback.message}</p>;
}
