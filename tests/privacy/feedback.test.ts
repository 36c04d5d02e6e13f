// /privacy/feedback: anyone may ask; field errors, a honeypot, a per-visitor
// rate limit, and delivery through the mail queue to FEEDBACK_EMAIL or, when
// it is unset, the admins' outbox.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FEEDBACK_LIMIT, FEEDBACK_OUTBOX_RECIPIENT } from "~/privacy/feedback.server";
import { action } from "~/routes/privacy.feedback";
import { db } from "~/utils/db.server";
import { clearEnvCache } from "~/utils/env.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createTestUser } from "../support/factories";
import { call } from "../integration/mod-support";

const QUESTION = { name: "Ada", email: "ada@example.net", message: "Which data do you keep about me, and for how long?" };

const feedbackMail = () => db.outgoingMail.findMany({ where: { kind: "privacy-feedback" }, orderBy: { id: "asc" } });

beforeEach(async () => {
  resetAllLimits();
  await db.outgoingMail.deleteMany({ where: { kind: "privacy-feedback" } });
});

afterEach(() => {
  delete process.env.FEEDBACK_EMAIL;
  clearEnvCache();
});

describe("privacy feedback", () => {
  it("answers bad input with field errors and sends nothing", async () => {
    const result = await call(action, "/privacy/feedback", {}, null, { name: "", email: "not an address", message: "short", website: "" });
    expect(result.status).toBe(400);
    const errors = (result.data as { fieldErrors: Record<string, string[]> }).fieldErrors;
    expect(errors.email?.[0]).toMatch(/valid email address/);
    expect(errors.message?.[0]).toMatch(/at least 10 characters/);
    // A long question survives the round trip whole.
    const long = "x".repeat(3000);
    const again = await call(action, "/privacy/feedback", {}, null, { email: "", message: long });
    expect((again.data as { values: Record<string, string> }).values.message).toBe(long);
    expect(await feedbackMail()).toHaveLength(0);
  });

  it("keeps a question in the admins' outbox when no feedback address is set, even with SMTP", async () => {
    process.env.SMTP_URL = "smtp://127.0.0.1:9";
    clearEnvCache();
    try {
      const result = await call(action, "/privacy/feedback", {}, null, { ...QUESTION, website: "" });
      expect(result.status).toBe(302);
      expect(result.response?.headers.get("Location")).toBe("/privacy/feedback?sent=1");
    } finally {
      delete process.env.SMTP_URL;
      clearEnvCache();
    }
    const [mail] = await feedbackMail();
    expect(mail).toMatchObject({ toAddress: FEEDBACK_OUTBOX_RECIPIENT, status: "kept" });
    expect(mail!.text).toContain(QUESTION.message);
    expect(mail!.text).toContain("(not logged in)");
    expect(JSON.parse(mail!.headers!)).toEqual({ "Reply-To": QUESTION.email });
  });

  it("queues a question to FEEDBACK_EMAIL, naming the member who asked", async () => {
    process.env.FEEDBACK_EMAIL = "privacy@forum.example.net";
    clearEnvCache();
    const member = await createTestUser();
    const result = await call(action, "/privacy/feedback", {}, member, { ...QUESTION, name: "Ada\r\nBcc: x@example.com" });
    expect(result.status).toBe(302);
    const [mail] = await feedbackMail();
    expect(mail).toMatchObject({ toAddress: "privacy@forum.example.net", status: "queued" });
    expect(mail!.text).toContain(`(member ${member.username})`);
    expect(mail!.text.split("\n")[0]).toContain("Ada Bcc: x@example.com");
  });

  it("sends nothing when the honeypot is filled, yet answers the same", async () => {
    const result = await call(action, "/privacy/feedback", {}, null, { ...QUESTION, website: "https://spam.example" });
    expect(result.status).toBe(302);
    expect(result.response?.headers.get("Location")).toBe("/privacy/feedback?sent=1");
    expect(await feedbackMail()).toHaveLength(0);
  });

  it("limits how many questions one visitor sends in an hour", async () => {
    for (let i = 0; i < FEEDBACK_LIMIT.max; i++) {
      expect((await call(action, "/privacy/feedback", {}, null, QUESTION)).status).toBe(302);
    }
    const refused = await call(action, "/privacy/feedback", {}, null, QUESTION);
    expect(refused.status).toBe(429);
    expect((refused.data as { formErrors: string[] }).formErrors[0]).toMatch(/Please wait \d+ minutes/);
    expect(await feedbackMail()).toHaveLength(FEEDBACK_LIMIT.max);
  });
});
