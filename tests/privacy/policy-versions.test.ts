// Versioned privacy policy: version 1 as installed, publishing from
// /admin/privacy (admins only, validated, audited, all or nothing), earlier
// versions and the word diff between versions.
import { beforeAll, describe, expect, it } from "vitest";
import { ensureInitialPolicy, recentPolicyChange } from "~/privacy/versions.server";
import { action as adminAction, loader as adminLoader } from "~/routes/admin.privacy";
import { loader as homeLoader } from "~/routes/_index";
import { loader as privacyLoader } from "~/routes/privacy._index";
import { loader as diffLoader } from "~/routes/privacy.v.$number.diff";
import { loader as versionLoader } from "~/routes/privacy.v.$number._index";
import { db } from "~/utils/db.server";
import { createTestUser } from "../support/factories";
import { call, type User } from "../integration/mod-support";

let admin: User;
let member: User;

beforeAll(async () => {
  expect(await ensureInitialPolicy()).toBe(true);
  expect(await ensureInitialPolicy()).toBe(false);
  admin = await createTestUser({ role: "admin" });
  member = await createTestUser();
});

async function currentBody() {
  return (await db.policyVersion.findFirstOrThrow({ orderBy: { number: "desc" } })).body;
}

describe("the privacy policy", () => {
  it("starts at version 1 with the cookie section readers link to", async () => {
    const page = await call(privacyLoader, "/privacy", {}, null);
    const data = page.data as { version: { number: number; html: string }; versions: unknown[] };
    expect(data.version.number).toBe(1);
    expect(data.version.html).toMatch(/<section id="cookies"><h2>Cookies<\/h2>\s*<p>Reading Threadline sets no cookies at all/);
    expect(data.version.html).toContain('<section id="no-third-parties">');
    // It says where members export and delete their data and where questions go, how lists and statistics work.
    expect(data.version.html).toMatch(/<section id="your-data">[\s\S]*?<a href="\/settings\/data"/);
    expect(data.version.html).toMatch(/<section id="questions">[\s\S]*?<a href="\/privacy\/feedback"/);
    expect(data.version.html).toMatch(/<section id="announcement-lists">[\s\S]*?double opt-in[\s\S]*?one-click unsubscribe/);
    expect(data.version.html).toMatch(/<section id="traffic-statistics">[\s\S]*?changes every day and is kept only in the server(&#39;|&#x27;|')s memory/);
    expect(data.versions).toHaveLength(1);
    // Version 1 is not a change: the home page announces nothing.
    expect(await recentPolicyChange()).toBeNull();
  });

  it("lets only admins open the editor or publish", async () => {
    expect((await call(adminLoader, "/admin/privacy", {}, member)).status).toBe(403);
    expect((await call(adminAction, "/admin/privacy", {}, member, { intent: "publish", body: "x", summary: "A summary of it" })).status).toBe(403);
    const anonymous = await call(adminAction, "/admin/privacy", {}, null, { intent: "publish", body: "x", summary: "A summary of it" });
    expect(anonymous.status).toBe(302);
    expect(anonymous.response?.headers.get("Location")).toMatch(/^\/login/);
    expect(await db.policyVersion.count()).toBe(1);
  });

  it("refuses a publish without a summary, or with unchanged text, and writes nothing", async () => {
    const noSummary = await call(adminAction, "/admin/privacy", {}, admin, { intent: "publish", body: "## New\n\nText.", summary: " " });
    expect(noSummary.status).toBe(400);
    expect((noSummary.data as { fieldErrors: Record<string, string[]> }).fieldErrors.summary?.[0]).toMatch(/Say what changed/);
    // The text is echoed back whole so nothing typed is lost.
    expect((noSummary.data as { values: Record<string, string> }).values.body).toBe("## New\n\nText.");
    const unchanged = await call(adminAction, "/admin/privacy", {}, admin, { intent: "publish", body: await currentBody(), summary: "Nothing really changed here" });
    expect(unchanged.status).toBe(400);
    expect((unchanged.data as { fieldErrors: Record<string, string[]> }).fieldErrors.body?.[0]).toMatch(/current version/);
    expect(await db.policyVersion.count()).toBe(1);
    expect(await db.auditEntry.count({ where: { action: "policy.publish" } })).toBe(0);
  });

  it("keeps a draft, previews it, and publishes the next version with an audit entry", async () => {
    const v1 = await currentBody();
    const body = v1.replace("no analytics, no advertising", "no advertising") + "\n## Contact\n\nWrite to us <script>alert(1)</script> any time.\n";
    const saved = await call(adminAction, "/admin/privacy", {}, admin, { intent: "save-draft", body, summary: "" });
    expect(saved.status).toBe(200);
    expect((await db.policyDraft.findFirstOrThrow()).body).toBe(body);
    const preview = await call(adminAction, "/admin/privacy", {}, admin, { intent: "preview", body, summary: "" });
    const html = (preview.data as { preview: string }).preview;
    expect(html).toContain('<section id="contact"><h2>Contact</h2>');
    expect(html).not.toContain("<script");
    expect(html).toContain("&lt;script&gt;");

    const published = await call(adminAction, "/admin/privacy", {}, admin, { intent: "publish", body, summary: "We dropped analytics and added a contact section." });
    expect(published.status).toBe(302);
    expect(published.response?.headers.get("Location")).toBe("/admin/privacy?published=2");
    const v2 = await db.policyVersion.findUniqueOrThrow({ where: { number: 2 } });
    expect(v2).toMatchObject({ summary: "We dropped analytics and added a contact section.", changesDataUse: false, publishedById: admin.id });
    expect(await db.policyDraft.count()).toBe(0);
    const audit = await db.auditEntry.findFirstOrThrow({ where: { action: "policy.publish" } });
    expect(audit).toMatchObject({ actorId: admin.id, targetType: "policy", targetId: "2", reason: v2.summary });

    const page = (await call(privacyLoader, "/privacy", {}, null)).data as { version: { number: number }; versions: { number: number }[] };
    expect(page.version.number).toBe(2);
    expect(page.versions.map((v) => v.number)).toEqual([2, 1]);
    const old = (await call(versionLoader, "/privacy/v/1", { number: "1" }, null)).data as { version: { number: number; html: string }; currentNumber: number };
    expect(old.version.number).toBe(1);
    expect(old.currentNumber).toBe(2);
    expect(old.version.html).toContain("no analytics, no advertising");
    expect((await call(versionLoader, "/privacy/v/9", { number: "9" }, null)).status).toBe(404);
    expect((await call(versionLoader, "/privacy/v/x", { number: "x" }, null)).status).toBe(404);

    // The home page announces it.
    const home = (await call(homeLoader, "/", {}, null)).data as { policyChange: { number: number; summary: string } | null };
    expect(home.policyChange).toMatchObject({ number: 2, summary: v2.summary });
  });

  it("shows what changed word by word, with the text kept as text", async () => {
    const result = await call(diffLoader, "/privacy/v/2/diff", { number: "2" }, null);
    const diff = result.data as { parts: { kind: string; text: string }[]; added: number; removed: number };
    const removed = diff.parts.filter((p) => p.kind === "removed").map((p) => p.text.trim());
    const added = diff.parts.filter((p) => p.kind === "added").map((p) => p.text).join("");
    expect(removed).toEqual(["analytics, no"]);
    expect(added).toContain("## Contact");
    expect(added).toContain("<script>alert(1)</script>");
    expect(diff.removed).toBe(2);
    expect(diff.parts.filter((p) => p.kind === "same").map((p) => p.text).join("")).toContain("Reading Threadline sets no cookies");
    expect((await call(diffLoader, "/privacy/v/1/diff", { number: "1" }, null)).status).toBe(404);
  });

  it("stops announcing a version on the home page after 30 days", async () => {
    const now = new Date();
    expect(await recentPolicyChange(now)).not.toBeNull();
    expect(await recentPolicyChange(new Date(now.getTime() + 31 * 86_400_000))).toBeNull();
  });
});
