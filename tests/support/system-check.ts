import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { findPostgres } from "./postgres";

/**
 * The system packages the suite needs. When one is missing the suite stops
 * at once and says how to install it, rather than failing later in a
 * confusing way.
 */
type Requirement = { name: string; debianPackage: string; found: () => boolean };

function onPath(command: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export const REQUIREMENTS: Requirement[] = [
  {
    name: "Chromium (for the end-to-end tests)",
    debianPackage: "chromium",
    found: () => Boolean(process.env.CHROMIUM_PATH && fs.existsSync(process.env.CHROMIUM_PATH)) || ["/usr/bin/chromium", "/usr/bin/chromium-browser"].some((file) => fs.existsSync(file)),
  },
  {
    name: "Dovecot IMAP server (for the mailing-list importer tests)",
    debianPackage: "dovecot-imapd",
    found: () => onPath("dovecot") || fs.existsSync("/usr/sbin/dovecot"),
  },
  {
    name: "PostgreSQL server (for the tests of the PostgreSQL event bus)",
    debianPackage: "postgresql",
    found: () => findPostgres() !== null,
  },
];

export function missingRequirements(): Requirement[] {
  return REQUIREMENTS.filter((requirement) => !requirement.found());
}

export function describeMissing(missing: Requirement[]): string {
  const packages = missing.map((requirement) => requirement.debianPackage).join(" ");
  return [
    ...missing.map((requirement) => `Missing system package: ${requirement.debianPackage} — ${requirement.name}.`),
    `Install with: sudo apt-get update && sudo apt-get install -y ${packages}`,
  ].join("\n");
}
