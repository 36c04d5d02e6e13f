import type { z } from "zod";
import { failure, parseForm, type FormFailure } from "~/utils/forms";
import { acknowledgePublicPosting, hasAcknowledgedPublicPosting } from "./posting.server";
import { checkSafeguards, type PersonalDataFinding } from "./safeguards.server";

export type ComposerFailure = FormFailure & {
  safeguard?: { kind: "acknowledge" } | { kind: "personal-data"; findings: PersonalDataFinding[]; fingerprint: string };
};

/**
 * The steps every composer submission takes before anything is written:
 * validate the form, require the one-time "posts are public" acknowledgement,
 * and stop for confirmation when the text looks like it holds personal data.
 */
export async function prepareSubmission<T extends z.ZodTypeAny>(
  userId: number,
  formData: FormData,
  schema: T,
  textsOf: (data: z.infer<T>) => { field: string; text: string }[],
): Promise<{ ok: true; data: z.infer<T> } | ComposerFailure> {
  const parsed = parseForm(schema, formData);
  if (!parsed.ok) return parsed;
  const data = parsed.data as z.infer<T> & { acknowledgePublic?: string; confirmPersonalData?: string };
  const acknowledged = await hasAcknowledgedPublicPosting(userId);
  const outcome = checkSafeguards({
    acknowledged,
    acknowledgeNow: data.acknowledgePublic === "yes",
    texts: textsOf(data),
    confirmation: data.confirmPersonalData,
  });
  if (!outcome.ok) {
    const base = failure(formData, {}, []);
    if (outcome.kind === "acknowledge") {
      return { ...base, fieldErrors: { acknowledgePublic: ["Please confirm that you understand your post will be public."] }, safeguard: { kind: "acknowledge" } };
    }
    return { ...base, safeguard: { kind: "personal-data", findings: outcome.findings, fingerprint: outcome.fingerprint } };
  }
  if (!acknowledged) await acknowledgePublicPosting(userId);
  return { ok: true, data };
}
