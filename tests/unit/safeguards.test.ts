import { describe, expect, it } from "vitest";
import { checkSafeguards, fingerprint } from "~/forums/safeguards.server";

const base = { acknowledged: true, acknowledgeNow: false, confirmation: undefined };

describe("posting safeguards", () => {
  it("asks for the public-posting acknowledgement before a first post", () => {
    expect(checkSafeguards({ ...base, acknowledged: false, texts: [{ field: "body", text: "hello" }] })).toEqual({ ok: false, kind: "acknowledge" });
    expect(checkSafeguards({ ...base, acknowledged: false, acknowledgeNow: true, texts: [{ field: "body", text: "hello" }] })).toEqual({ ok: true });
  });

  it("stops on personal data, in the title or the body, even inside code", () => {
    const outcome = checkSafeguards({ ...base, texts: [{ field: "title", text: "Help" }, { field: "body", text: "```\nmail me: jane.doe@gmail.com\n```" }] });
    expect(outcome.ok).toBe(false);
    if (outcome.ok || outcome.kind !== "personal-data") throw new Error("expected a personal-data warning");
    expect(outcome.findings.map((f) => f.field)).toEqual(["body"]);
    expect(outcome.findings[0]!.matches[0]!.kind).toBe("email");
  });

  it("accepts a confirmation only for the exact text it was given for", () => {
    const texts = [{ field: "body", text: "call me on +44 20 7946 0958" }];
    const warned = checkSafeguards({ ...base, texts });
    if (warned.ok || warned.kind !== "personal-data") throw new Error("expected a warning");
    expect(warned.fingerprint).toBe(fingerprint("call me on +44 20 7946 0958"));
    expect(checkSafeguards({ ...base, texts, confirmation: warned.fingerprint })).toEqual({ ok: true });
    const changed = [{ field: "body", text: "call me on +44 20 7946 0958 or jane.doe@gmail.com" }];
    expect(checkSafeguards({ ...base, texts: changed, confirmation: warned.fingerprint }).ok).toBe(false);
  });

  it("lets ordinary developer text through", () => {
    expect(checkSafeguards({ ...base, texts: [{ field: "body", text: "Upgrade to 2.7.18 and bind 127.0.0.1:8080 on 2024-03-15." }] })).toEqual({ ok: true });
  });
});
