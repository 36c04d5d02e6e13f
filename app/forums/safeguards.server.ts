import { createHash } from "node:crypto";
import { findPersonalData, type PersonalDataMatch } from "~/content/personal-data";

/**
 * The public-disclosure safeguards every composer goes through on the server:
 * the one-time "posts are public" acknowledgement, and the personal-data check
 * that warns and asks for confirmation before anything is saved.
 */
export type SafeguardOutcome =
  | { ok: true }
  | { ok: false; kind: "acknowledge" }
  | { ok: false; kind: "personal-data"; findings: PersonalDataFinding[]; fingerprint: string };

export type PersonalDataFinding = { field: string; text: string; matches: PersonalDataMatch[] };

/**
 * A confirmation is bound to the exact text it was given for: editing the
 * text after the warning means it is checked again.
 */
export function fingerprint(...parts: string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);
}

export function checkSafeguards(input: {
  acknowledged: boolean;
  acknowledgeNow: boolean;
  texts: { field: string; text: string }[];
  confirmation: string | undefined;
}): SafeguardOutcome {
  if (!input.acknowledged && !input.acknowledgeNow) return { ok: false, kind: "acknowledge" };
  const print = fingerprint(...input.texts.map((t) => t.text));
  if (input.confirmation === print) return { ok: true };
  const findings = input.texts
    .map(({ field, text }) => ({ field, text, matches: findPersonalData(text) }))
    .filter((finding) => finding.matches.length > 0);
  if (findings.length) return { ok: false, kind: "personal-data", findings, fingerprint: print };
  return { ok: true };
}
