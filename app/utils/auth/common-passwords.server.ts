import { dictionary } from "@zxcvbn-ts/language-common";

// The zxcvbn-ts list of the most common passwords (about 49,000 entries from
// public breach corpora). Loaded once, looked up case-insensitively.
let common: Set<string> | undefined;

export function isCommonPassword(password: string): boolean {
  common ??= new Set((dictionary["passwords-common"] as string[]).map((entry) => entry.toLowerCase()));
  return common.has(password.toLowerCase());
}
