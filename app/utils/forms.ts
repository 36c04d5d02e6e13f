import type { z } from "zod";

export type FieldErrors = Record<string, string[] | undefined>;
export type FormFailure = { ok: false; fieldErrors: FieldErrors; formErrors: string[]; values: Record<string, string> };

/** Text fields of a submission, with files and passwords never echoed back. */
export function echoValues(formData: FormData, omit: string[] = []): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, value] of formData) {
    if (typeof value === "string" && !omit.includes(key) && !/password/i.test(key)) values[key] = value.slice(0, 500);
  }
  return values;
}

export function failure(
  formData: FormData,
  fieldErrors: FieldErrors,
  formErrors: string[] = [],
): FormFailure {
  return { ok: false, fieldErrors, formErrors, values: echoValues(formData) };
}

/** Parses a form with a Zod schema into data or field errors. */
export function parseForm<T extends z.ZodTypeAny>(
  schema: T,
  formData: FormData,
): { ok: true; data: z.infer<T> } | FormFailure {
  const raw: Record<string, unknown> = {};
  for (const [key, value] of formData) if (typeof value === "string") raw[key] = value;
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const flat = result.error.flatten();
  return failure(formData, flat.fieldErrors as FieldErrors, flat.formErrors);
}
