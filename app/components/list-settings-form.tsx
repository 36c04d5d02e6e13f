// The settings form of an archived list, shared by /mod/lists/new and
// /mod/lists/<slug>/edit. Field names are the flat MailingList column names
// (app/archive/list-schema.ts), so each server-side error lands next to its
// input. Works without JavaScript: every field is always submitted.
import { Form } from "@remix-run/react";
import { useEffect, useRef, useState, type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes } from "react";
import { LIST_FIELD_LABELS } from "~/archive/list-schema";
import { ownershipNotice } from "~/archive/ownership";
import { Field, FormErrors } from "~/components/field";

export type ListFormValues = Record<string, string>;
export type ListFormErrors = Record<string, string[] | undefined>;

type Props = {
  mode: "create" | "edit";
  values: ListFormValues;
  fieldErrors?: ListFormErrors | undefined;
  formErrors?: string[] | undefined;
  /** Edit mode: whether the password variable is set in the server's environment. */
  passwordEnvSet?: boolean | null;
};

const label = (name: string) => LIST_FIELD_LABELS[name] ?? name;

/** Hint and error wiring shared by the textarea and select below (Field does it for inputs). */
function Described({
  id,
  name,
  errors,
  hint,
  children,
}: {
  id: string;
  name: string;
  errors?: string[] | undefined;
  hint?: ReactNode;
  children: (aria: { "aria-invalid": true | undefined; "aria-describedby": string | undefined }) => ReactNode;
}) {
  const hasErrors = Boolean(errors?.length);
  const describedBy = [hasErrors ? `${id}-errors` : null, hint ? `${id}-hint` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label(name)}
      </label>
      {children({ "aria-invalid": hasErrors || undefined, "aria-describedby": describedBy })}
      {hint ? (
        <p id={`${id}-hint`} className="text-xs text-slate-500">
          {hint}
        </p>
      ) : null}
      {hasErrors ? (
        <ul id={`${id}-errors`} className="text-sm text-red-700">
          {errors!.map((error) => (
            <li key={error}>{error}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

function TextArea({ name, errors, hint, ...rest }: { name: string; errors?: string[] | undefined; hint?: ReactNode } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = `list-${name}`;
  return (
    <Described id={id} name={name} errors={errors} hint={hint}>
      {(aria) => <textarea id={id} name={name} className="input" rows={3} {...aria} {...rest} />}
    </Described>
  );
}

function Select({
  name,
  errors,
  hint,
  options,
  ...rest
}: { name: string; errors?: string[] | undefined; hint?: ReactNode; options: { value: string; label: string }[] } & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = `list-${name}`;
  return (
    <Described id={id} name={name} errors={errors} hint={hint}>
      {(aria) => (
        <select id={id} name={name} className="input" {...aria} {...rest}>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      )}
    </Described>
  );
}

const SOURCES = [
  { value: "none", label: "None (no import yet)" },
  { value: "mbox", label: "mbox files (imported from the server's shell)" },
  { value: "imap", label: "IMAP mailbox (synced automatically)" },
];

export function ListSettingsForm({ mode, values, fieldErrors = {}, formErrors, passwordEnvSet = null }: Props) {
  const [sourceType, setSourceType] = useState(values.sourceType || "none");
  const formRef = useRef<HTMLFormElement>(null);
  const hasFieldErrors = Object.keys(fieldErrors).length > 0;
  // After a refused submission (the routes remount the form with what the
  // server sent back), take the keyboard to the first field to fix.
  useEffect(() => {
    if (hasFieldErrors) formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [hasFieldErrors]);
  const text = (name: string) => ({
    id: `list-${name}`,
    name,
    label: label(name),
    defaultValue: values[name] ?? "",
    errors: fieldErrors[name],
  });
  const defaultNotice = ownershipNotice({
    name: values.name || "<name>",
    hostName: values.hostName || "<host name>",
    hostUrl: values.hostUrl || "<host URL>",
    contact: values.contact || null,
  });
  const tlsChecked = values.imapTls === undefined || values.imapTls === "" ? true : !/^(false|no|off|0)$/i.test(values.imapTls);

  return (
    <Form ref={formRef} method="post" className="space-y-6" noValidate aria-label={mode === "create" ? "New list" : "List settings"}>
      <FormErrors errors={formErrors} />
      {hasFieldErrors && !formErrors?.length ? (
        <FormErrors errors={["Some fields need attention: see the messages next to them. Nothing was saved."]} />
      ) : null}

      <fieldset className="card space-y-4 p-5">
        <legend className="px-1 font-semibold">The list</legend>
        {mode === "create" ? (
          <Field
            {...text("slug")}
            required
            autoComplete="off"
            hint="Lower-case letters, digits and hyphens, 2 to 50 characters. It appears in every archive URL and cannot change later."
          />
        ) : (
          <div className="space-y-1">
            <p className="block text-sm font-medium text-slate-800">{label("slug")}</p>
            <p className="font-mono text-sm">{values.slug}</p>
            <p className="text-xs text-slate-500">The slug cannot change: every archive permalink is derived from it.</p>
          </div>
        )}
        <Field {...text("name")} required />
        <TextArea name="description" defaultValue={values.description ?? ""} errors={fieldErrors.description} hint="One or two sentences about the list." />
        <Field {...text("listAddress")} type="email" hint="The list's posting address, such as python-dev@python.org (optional)." />
      </fieldset>

      <fieldset className="card space-y-4 p-5">
        <legend className="px-1 font-semibold">Who hosts it</legend>
        <Field {...text("hostName")} required hint="The site that hosts and owns the list, such as Python.org." />
        <Field {...text("hostUrl")} required type="url" hint="Its address, starting with http:// or https://." />
        <Field {...text("infoUrl")} type="url" hint="The list's subscribe or list-info page at the host (optional)." />
        <Field {...text("contact")} hint="An email address or web page for questions about the list's data (optional)." />
        <TextArea
          name="ownershipNotice"
          defaultValue={values.ownershipNotice ?? ""}
          errors={fieldErrors.ownershipNotice}
          hint={<>Shown on every archive page. Leave it empty to use the default: “{defaultNotice}”</>}
        />
      </fieldset>

      <fieldset className="card space-y-4 p-5">
        <legend className="px-1 font-semibold">Where the mail comes from</legend>
        <Select
          name="sourceType"
          options={SOURCES}
          value={sourceType}
          onChange={(event) => setSourceType(event.currentTarget.value)}
          errors={fieldErrors.sourceType}
        />
        <fieldset className="space-y-4 rounded-md border border-slate-200 p-4" aria-describedby="imap-settings-hint">
          <legend className="px-1 text-sm font-semibold">IMAP settings</legend>
          <p id="imap-settings-hint" className="text-xs text-slate-500">
            {sourceType === "imap" ? "Required for an IMAP source." : "Only used when the source is an IMAP mailbox."}
          </p>
          <Field {...text("imapHost")} hint="Such as imap.example.org." />
          <Field {...text("imapPort")} inputMode="numeric" hint="Leave empty for the default: 993 with TLS, 143 without." />
          <div className="flex items-center gap-2">
            <input type="hidden" name="imapTls" value="false" />
            <input id="list-imapTls" type="checkbox" name="imapTls" value="true" defaultChecked={tlsChecked} />
            <label htmlFor="list-imapTls" className="text-sm font-medium text-slate-800">
              Connect with TLS
            </label>
          </div>
          <Field {...text("imapUser")} autoComplete="off" />
          <Field
            {...text("imapPasswordEnv")}
            label="IMAP password environment variable (its NAME)"
            autoComplete="off"
            spellCheck={false}
            hint={
              "The NAME of an environment variable on the server that holds the IMAP password, such as LIST_PYTHON_DEV_PASSWORD " +
              "(capitals, digits and _). Never type the password itself here: it is not stored in the database." +
              (passwordEnvSet === true ? " This variable is set on the server." : passwordEnvSet === false ? " This variable is NOT set on the server: syncing will fail until it is." : "")
            }
          />
          <Field {...text("imapMailbox")} hint="Leave empty for INBOX." />
        </fieldset>
      </fieldset>

      <div className="flex flex-wrap items-center gap-3">
        <button type="submit" className="btn">
          {mode === "create" ? "Create list" : "Save changes"}
        </button>
        <a href={mode === "create" ? "/mod/lists" : `/mod/lists/${values.slug}`} className="btn-secondary">
          Cancel
        </a>
        {mode === "create" ? <p className="text-sm text-slate-600">A new list stays hidden until you publish it.</p> : null}
      </div>
    </Form>
  );
}

/** The flat field values of a submitted list form (strings; the TLS checkbox as "true"/"false"). */
export const LIST_FORM_FIELDS = [
  "slug",
  "name",
  "description",
  "hostName",
  "hostUrl",
  "infoUrl",
  "contact",
  "ownershipNotice",
  "listAddress",
  "sourceType",
  "imapHost",
  "imapPort",
  "imapTls",
  "imapUser",
  "imapPasswordEnv",
  "imapMailbox",
] as const;

/**
 * A submitted list form as flat fields (for createList / editList) and as the
 * values to show again on error. The password variable is a NAME, so it is
 * echoed back like any other field.
 */
export function listFieldsFromForm(formData: FormData, mode: "create" | "edit"): { fields: Record<string, string>; values: ListFormValues } {
  const fields: Record<string, string> = {};
  for (const name of LIST_FORM_FIELDS) {
    if (name === "slug" && mode === "edit") continue;
    // Editing changes only what was sent (the form sends everything).
    if (mode === "edit" && !formData.has(name)) continue;
    if (name === "imapTls") {
      fields.imapTls = formData.getAll("imapTls").includes("true") ? "true" : "false";
      continue;
    }
    const value = formData.get(name);
    fields[name] = typeof value === "string" ? value.slice(0, 5000) : "";
  }
  return { fields, values: { ...fields } };
}

/**
 * The values to show again after a refused submission. A refused password
 * variable may be the password itself, typed in the wrong place: it is not
 * sent back.
 */
export function valuesToEcho(values: ListFormValues, fieldErrors: ListFormErrors): ListFormValues {
  return fieldErrors.imapPasswordEnv?.length ? { ...values, imapPasswordEnv: "" } : values;
}
