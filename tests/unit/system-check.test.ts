import { describe, expect, it } from "vitest";
import { describeMissing, REQUIREMENTS } from "../support/system-check";

describe("system package check", () => {
  it("names each missing package and the apt-get line that installs them", () => {
    const message = describeMissing(REQUIREMENTS);
    expect(message).toContain("Missing system package: chromium");
    expect(message).toContain("Missing system package: dovecot-imapd");
    expect(message).toContain("Missing system package: postgresql");
    expect(message).toContain("sudo apt-get install -y chromium dovecot-imapd postgresql");
  });

  it("finds what this machine has installed", () => {
    // The suite itself needs them all, so on any machine that runs it they are present.
    expect(REQUIREMENTS.every((requirement) => requirement.found())).toBe(true);
  });
});
