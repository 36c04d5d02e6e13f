// Announcement lists end to end through the real routes, the outbox and a
// real SMTP peer: double opt-in (the confirmation link is read from the
// welcome email as received), expiry of unconfirmed subscriptions, one-click
// unsubscribe without login, and sends that reach confirmed subscribers
// only, exactly once, even when interrupted or run twice.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fanOutAnnouncements, announcementProgress } from "~/announcements/send.server";
import { memberSubscriptions, purgeExpiredSubscriptions, subscribeAddress } from "~/announcements/subscriptions.server";
import { hashEmailToken } from "~/utils/auth/email-tokens.server";
import { createSmtpTransport, type MailTransport } from "~/mail/transport.server";
import { drainMail, type MailLimits } from "~/mail/worker.server";
import { action as adminListsAction } from "~/routes/admin.announcements._index";
import { action as adminListAction } from "~/routes/admin.announcements.$slug";
import { action as announcementAction, loader as announcementLoader } from "~/routes/admin.announcements.a.$id";
import { action as subscribeAction } from "~/routes/announcements.$slug";
import { action as confirmAction, loader as confirmLoader } from "~/routes/announcements.confirm";
import { action as unsubscribeAction, loader as unsubscribeLoader } from "~/routes/announcements.unsubscribe";
import { action as settingsAction, loader as settingsLoader } from "~/routes/settings.announcements";
import { action as accountSettingsAction } from "~/routes/settings._index";
import { action as verifyAction } from "~/routes/verify-email";
import { action as signupAction } from "~/routes/signup";
import { db } from "~/utils/db.server";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { call, type User } from "../integration/mod-support";
import { createTestUser } from "../support/factories";
import { startTestSmtpServer, type TestSmtpServer } from "../support/smtp";

const FROM = "Threadline <no-reply@threadline.test>";
const LIMITS: MailLimits = { perRecipientPerHour: 100, perMinute: 1000, maxAttempts: 3 };
const DAY_MS = 24 * 60 * 60_000;

let smtp: TestSmtpServer;
let transport: MailTransport;
let admin: User & { email: string };
let listCounter = 0;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  transport = createSmtpTransport(smtp.url);
  admin = await createTestUser({ role: "admin" });
});

afterAll(async () => {
  transport.close();
  await smtp.stop();
});

beforeEach(async () => {
  resetAllLimits();
  await db.outgoingMail.deleteMany();
  smtp.messages.length = 0;
});

async function deliverAll() {
  return drainMail({ transport, from: FROM, limits: LIMITS });
}

async function newList() {
  listCounter += 1;
  const slug = `news-${listCounter}`;
  const created = await call(adminListsAction, "/admin/announcements", {}, admin, { name: `Threadline news ${listCounter}`, slug, description: "Releases and outages." });
  expect(created.response?.headers.get("Location")).toBe(`/admin/announcements/${slug}`);
  return db.announcementList.findUniqueOrThrow({ where: { slug } });
}

/** A header as it arrived over SMTP, unfolded (RFC 5322 folds long lines). */
function headerOf(raw: string, name: string): string | null {
  const head = raw.split(/\r?\n\r?\n/, 1)[0]!.replace(/\r?\n[ \t]+/g, " ");
  const line = head.split(/\r?\n/).find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  return line ? line.slice(name.length + 1).trim() : null;
}

function confirmTokenIn(text: string): string {
  const match = /\/announcements\/confirm\?token=([A-Za-z0-9_-]+)/.exec(text);
  if (!match) throw new Error("no confirmation link in the email");
  return match[1]!;
}

/** Subscribes through the public page and confirms with the link from the welcome email received over SMTP. */
async function subscribeAndConfirm(slug: string, email: string) {
  const before = smtp.messages.length;
  const answer = await call(subscribeAction, `/announcements/${slug}`, { slug }, null, { email, website: "" });
  expect(answer.data).toEqual({ ok: true });
  await deliverAll();
  // A new member's address also gets its verification email: pick the welcome.
  const welcome = smtp.messages.slice(before).find((m) => m.envelopeTo.some((to) => to.toLowerCase() === email.toLowerCase()) && (m.parsed.text ?? "").includes("/announcements/confirm?"));
  expect(welcome, `welcome email to ${email}`).toBeTruthy();
  const token = confirmTokenIn(welcome!.parsed.text ?? "");
  const confirmed = await call(confirmAction, "/announcements/confirm", {}, null, { token });
  expect(confirmed.data).toMatchObject({ ok: true });
}

/** An announcement draft on a list, written through the admin page; returns its id. */
async function draft(listSlug: string, markdown = "**Threadline 2.0** is out.\n\n<script>alert(1)</script>") {
  const created = await call(adminListAction, `/admin/announcements/${listSlug}`, { slug: listSlug }, admin, { intent: "new-announcement", subject: "Threadline 2.0", markdown });
  return Number(/\/a\/(\d+)$/.exec(created.response!.headers.get("Location")!)![1]);
}

describe("subscribing (double opt-in)", () => {
  it("mails a welcome link that confirms once, stores only its hash, and answers the same for an address already on the list", async () => {
    const list = await newList();
    const answer = await call(subscribeAction, `/announcements/${list.slug}`, { slug: list.slug }, null, { email: "Visitor@Example.org", website: "" });
    expect(answer).toMatchObject({ status: 200, data: { ok: true } });
    const pending = await db.announcementSubscription.findFirstOrThrow({ where: { listId: list.id } });
    expect(pending).toMatchObject({ status: "pending", emailKey: "visitor@example.org" });

    await deliverAll();
    expect(smtp.messages).toHaveLength(1);
    const welcome = smtp.messages[0]!;
    expect(welcome.envelopeTo.map((address) => address.toLowerCase())).toEqual(["visitor@example.org"]);
    expect(welcome.parsed.subject).toBe(`Confirm your subscription to ${list.name}`);
    const token = confirmTokenIn(welcome.parsed.text ?? "");
    expect(pending.confirmTokenHash).toBe(hashEmailToken(token));
    expect(JSON.stringify(pending)).not.toContain(token);

    // Opening the link changes nothing; the button confirms, once.
    expect((await call(confirmLoader, `/announcements/confirm?token=${token}`, {}, null)).data).toMatchObject({ list: { name: list.name } });
    expect((await db.announcementSubscription.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("pending");
    expect((await call(confirmAction, "/announcements/confirm", {}, null, { token })).data).toMatchObject({ ok: true });
    const active = await db.announcementSubscription.findUniqueOrThrow({ where: { id: pending.id } });
    expect(active).toMatchObject({ status: "active", confirmTokenHash: null });
    expect(active.confirmedAt).toBeInstanceOf(Date);
    expect((await call(confirmAction, "/announcements/confirm", {}, null, { token })).status).toBe(400);

    // Subscribing an address that is already on the list looks the same and sends nothing.
    const again = await call(subscribeAction, `/announcements/${list.slug}`, { slug: list.slug }, null, { email: "visitor@example.org", website: "" });
    expect(again).toEqual(answer);
    await deliverAll();
    expect(smtp.messages).toHaveLength(1);
  });

  it("refuses a filled honeypot and a bad address, and limits welcome emails per address", async () => {
    const list = await newList();
    const bot = await call(subscribeAction, `/announcements/${list.slug}`, { slug: list.slug }, null, { email: "bot@example.org", website: "http://spam" });
    expect(bot.status).toBe(400);
    const bad = await call(subscribeAction, `/announcements/${list.slug}`, { slug: list.slug }, null, { email: "not-an-address", website: "" });
    expect(bad.status).toBe(400);
    expect(bad.data).toMatchObject({ fieldErrors: { email: [expect.stringContaining("valid email")] } });
    expect(await db.announcementSubscription.count({ where: { listId: list.id } })).toBe(0);

    for (let i = 0; i < 5; i += 1) {
      const answer = await call(subscribeAction, `/announcements/${list.slug}`, { slug: list.slug }, null, { email: "target@example.org", website: "" });
      expect(answer.data).toEqual({ ok: true });
    }
    expect(await db.outgoingMail.count({ where: { toAddress: "target@example.org" } })).toBe(3);
  });

  it("voids and purges subscriptions not confirmed within 7 days", async () => {
    const list = await newList();
    const eightDaysAgo = new Date(Date.now() - 8 * DAY_MS);
    await subscribeAddress(list, "late@example.org", "https://forum.example.net", eightDaysAgo);
    await subscribeAddress(list, "fresh@example.org", "https://forum.example.net");
    const late = await db.outgoingMail.findFirstOrThrow({ where: { toAddress: "late@example.org" } });
    const token = confirmTokenIn(late.text);

    expect((await call(confirmLoader, `/announcements/confirm?token=${token}`, {}, null)).data).toMatchObject({ list: null });
    expect((await call(confirmAction, "/announcements/confirm", {}, null, { token })).status).toBe(400);
    expect((await memberSubscriptions("late@example.org")).find((l) => l.id === list.id)?.state).toBe("none");
    expect((await memberSubscriptions("fresh@example.org")).find((l) => l.id === list.id)?.state).toBe("pending");

    expect(await purgeExpiredSubscriptions()).toBe(1);
    const left = await db.announcementSubscription.findMany({ where: { listId: list.id }, select: { emailKey: true } });
    expect(left.map((row) => row.emailKey)).toEqual(["fresh@example.org"]);
  });
});

describe("members", () => {
  it("subscribes at sign-up only to the lists ticked", async () => {
    const list = await newList();
    const other = await newList();
    const signup = (username: string, announce: string[]) =>
      call(signupAction, "/signup", {}, null, { username, email: `${username}@example.org`, password: "a long and unusual test passphrase", website: "", announce });
    expect((await signup("optin1", [String(list.id)])).status).toBe(302);
    expect((await signup("optin2", [])).status).toBe(302);
    const rows = await db.announcementSubscription.findMany({ where: { listId: { in: [list.id, other.id] } }, select: { emailKey: true, listId: true, status: true } });
    expect(rows).toEqual([{ emailKey: "optin1@example.org", listId: list.id, status: "pending" }]);
    expect((await db.outgoingMail.findMany({ where: { toAddress: "optin1@example.org" }, orderBy: { id: "asc" } })).map((m) => m.kind)).toEqual([
      "verify-email",
      "announcement-welcome",
    ]);
    expect(await db.outgoingMail.count({ where: { toAddress: "optin2@example.org", kind: "announcement-welcome" } })).toBe(0);
  });

  it("subscribes (with confirmation) and unsubscribes from settings", async () => {
    const list = await newList();
    const member = await createTestUser();
    await db.user.update({ where: { id: member.id }, data: { emailVerifiedAt: new Date() } });
    const subscribed = await call(settingsAction, "/settings/announcements", {}, member, { intent: "subscribe", listId: String(list.id) });
    expect(subscribed.data).toMatchObject({ ok: true, message: expect.stringContaining("confirm") });
    const state = async () => ((await call(settingsLoader, "/settings/announcements", {}, member)).data!.lists as { id: number; state: string }[]).find((l) => l.id === list.id)!.state;
    expect(await state()).toBe("pending");
    const welcome = await db.outgoingMail.findFirstOrThrow({ where: { toAddress: member.email, kind: "announcement-welcome" } });
    await call(confirmAction, "/announcements/confirm", {}, null, { token: confirmTokenIn(welcome.text) });
    expect(await state()).toBe("active");
    await call(settingsAction, "/settings/announcements", {}, member, { intent: "unsubscribe", listId: String(list.id) });
    expect(await state()).toBe("none");
  });
});

describe("a member whose address is not confirmed", () => {
  it("does not see what the address is subscribed to, and cannot unsubscribe it from settings", async () => {
    const list = await newList();
    // Someone else's confirmed subscription, and an account signed up with that address but never confirmed.
    const member = await createTestUser();
    await db.announcementSubscription.create({
      data: { listId: list.id, email: member.email, emailKey: member.email.toLowerCase(), status: "active", unsubscribeKey: "k".repeat(32), confirmedAt: new Date() },
    });
    const page = await call(settingsLoader, "/settings/announcements", {}, member);
    expect(page.data).toMatchObject({ confirmed: false });
    expect((page.data!.lists as { id: number; state: string }[]).find((l) => l.id === list.id)!.state).toBe("none");
    const refused = await call(settingsAction, "/settings/announcements", {}, member, { intent: "unsubscribe", listId: String(list.id) });
    expect(refused.status).toBe(403);
    expect((await db.announcementSubscription.findFirstOrThrow({ where: { listId: list.id } })).status).toBe("active");
  });
});

describe("a member who changes their email address", () => {
  /** Asks for the change in Settings → Account and, unless told not to, confirms it with the link sent to the new address. */
  async function changeAddress(member: User & { password: string }, newEmail: string, options: { confirm: boolean } = { confirm: true }) {
    const asked = await call(accountSettingsAction, "/settings", {}, member, { intent: "change-email", newEmail, emailPassword: member.password });
    expect(asked.data).toMatchObject({ ok: true });
    if (!options.confirm) return;
    const link = await db.outgoingMail.findFirstOrThrow({ where: { toAddress: newEmail, kind: "change-email" }, orderBy: { id: "desc" } });
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(link.text)![1]!;
    expect((await call(verifyAction, "/verify-email", {}, null, { token })).data).toMatchObject({ ok: true });
  }

  it("keeps their lists: confirmed subscriptions follow the new address once it is confirmed, and announcements go there", async () => {
    const [moved, waiting, already, overrides] = [await newList(), await newList(), await newList(), await newList()];
    const member = await createTestUser();
    await db.user.update({ where: { id: member.id }, data: { emailVerifiedAt: new Date() } });
    const newEmail = `Moved-${member.username}@Example.net`;
    for (const list of [moved, already, overrides]) await subscribeAndConfirm(list.slug, member.email);
    await call(settingsAction, "/settings/announcements", {}, member, { intent: "subscribe", listId: String(waiting.id) });
    // The new address was on two lists already: confirmed on one, unsubscribed from the other.
    await subscribeAndConfirm(already.slug, newEmail);
    await subscribeAndConfirm(overrides.slug, newEmail);
    await db.announcementSubscription.updateMany({ where: { listId: overrides.id, emailKey: newEmail.toLowerCase() }, data: { status: "unsubscribed", unsubscribedAt: new Date() } });
    const before = await db.announcementSubscription.findFirstOrThrow({ where: { listId: moved.id, emailKey: member.email } });

    // Until the new address is confirmed nothing moves.
    await changeAddress(member, newEmail, { confirm: false });
    expect(await db.announcementSubscription.count({ where: { emailKey: member.email } })).toBe(4);
    await changeAddress(member, newEmail);

    expect(await db.announcementSubscription.count({ where: { emailKey: member.email } })).toBe(0);
    const rows = await db.announcementSubscription.findMany({ where: { emailKey: newEmail.toLowerCase() }, orderBy: { listId: "asc" } });
    expect(rows.map((row) => [row.listId, row.status, row.email])).toEqual([
      [moved.id, "active", newEmail],
      [already.id, "active", newEmail],
      [overrides.id, "active", newEmail],
    ]);
    // The same subscription, moved: its confirmation date and unsubscribe link stay valid.
    expect(rows[0]).toMatchObject({ id: before.id, confirmedAt: before.confirmedAt, unsubscribeKey: before.unsubscribeKey });
    const states = ((await call(settingsLoader, "/settings/announcements", {}, member)).data!.lists as { id: number; state: string }[]).filter((list) =>
      [moved.id, waiting.id, already.id, overrides.id].includes(list.id),
    );
    // The pending request's link went to the old address: it is dropped, to be asked again.
    expect(Object.fromEntries(states.map((list) => [list.id, list.state]))).toEqual({ [moved.id]: "active", [waiting.id]: "none", [already.id]: "active", [overrides.id]: "active" });

    await deliverAll();
    smtp.messages.length = 0;
    const id = await draft(moved.slug, "We moved too.");
    await call(announcementAction, `/admin/announcements/a/${id}`, { id: String(id) }, admin, { intent: "send" });
    await fanOutAnnouncements();
    await deliverAll();
    expect(smtp.messages.map((m) => m.envelopeTo.map((to) => to.toLowerCase()))).toEqual([[newEmail.toLowerCase()]]);
  });

  it("leaves the lists of an address they never confirmed to whoever owns it", async () => {
    const list = await newList();
    const member = await createTestUser();
    // Someone else confirmed this address on the list; the member signed up with it but never confirmed it.
    await subscribeAndConfirm(list.slug, member.email);
    await changeAddress(member, `mine-${member.username}@example.net`);
    expect(await db.announcementSubscription.findFirstOrThrow({ where: { listId: list.id } })).toMatchObject({ emailKey: member.email, status: "active" });
  });
});

describe("admin pages", () => {
  it("are for admins only, validate the list form and record list changes in the audit log", async () => {
    const moderator = await createTestUser({ role: "moderator" });
    expect((await call(adminListsAction, "/admin/announcements", {}, moderator, { name: "Sneaky", slug: "sneaky" })).status).toBe(403);
    const bad = await call(adminListsAction, "/admin/announcements", {}, admin, { name: "X", slug: "Not A Slug" });
    expect(bad.status).toBe(400);
    expect(Object.keys((bad.data as { fieldErrors: object }).fieldErrors).sort()).toEqual(["name", "slug"]);
    expect((await call(adminListsAction, "/admin/announcements", {}, admin, { name: "Confirm", slug: "confirm" })).status).toBe(400);

    const list = await newList();
    const taken = await call(adminListsAction, "/admin/announcements", {}, admin, { name: "Duplicate", slug: list.slug });
    expect(taken.data).toMatchObject({ fieldErrors: { slug: [expect.stringContaining("Another list")] } });
    const edited = await call(adminListAction, `/admin/announcements/${list.slug}`, { slug: list.slug }, admin, {
      intent: "edit-list",
      name: "Threadline news (monthly)",
      slug: list.slug,
      description: "Once a month.",
    });
    expect(edited.status).toBe(302);
    const audit = await db.auditEntry.findMany({ where: { targetType: "announcement-list", targetId: String(list.id) }, orderBy: { id: "asc" } });
    expect(audit.map((entry) => [entry.action, entry.actorId])).toEqual([
      ["announcement.list-create", admin.id],
      ["announcement.list-edit", admin.id],
    ]);
    expect(JSON.parse(audit[1]!.details)).toMatchObject({ changed: ["name", "description"] });
  });
});

describe("sending an announcement", () => {
  it("reaches confirmed subscribers only, exactly once, even interrupted and run twice, with one-click headers", async () => {
    const list = await newList();
    const confirmed = ["one@example.org", "two@example.org", "three@example.org"];
    for (const email of confirmed) await subscribeAndConfirm(list.slug, email);
    await subscribeAddress(list, "pending@example.org", "https://forum.example.net");
    await subscribeAndConfirm(list.slug, "gone@example.org");
    await db.announcementSubscription.updateMany({ where: { emailKey: "gone@example.org" }, data: { status: "unsubscribed" } });
    await deliverAll();
    smtp.messages.length = 0;

    const id = await draft(list.slug);
    const page = await call(announcementLoader, `/admin/announcements/a/${id}`, { id: String(id) }, admin);
    expect(page.data).toMatchObject({ subscribers: 3, announcement: { status: "draft" } });
    const html = (page.data!.announcement as { html: string }).html;
    expect(html).toContain("<strong>Threadline 2.0</strong>");
    expect(html).not.toContain("<script>");

    // A test goes to the admin only.
    expect((await call(announcementAction, `/admin/announcements/a/${id}`, { id: String(id) }, admin, { intent: "test" })).data).toMatchObject({ ok: true });
    await deliverAll();
    expect(smtp.messages.map((m) => [m.envelopeTo[0], m.parsed.subject])).toEqual([[admin.email, "[Test] Threadline 2.0"]]);
    expect(smtp.messages[0]!.parsed.html).toContain("<strong>Threadline 2.0</strong>");
    expect(headerOf(smtp.messages[0]!.raw, "List-Unsubscribe")).toBeNull();
    smtp.messages.length = 0;

    expect((await call(announcementAction, `/admin/announcements/a/${id}`, { id: String(id) }, admin, { intent: "send" })).data).toMatchObject({ ok: true });
    expect((await call(announcementAction, `/admin/announcements/a/${id}`, { id: String(id) }, admin, { intent: "send" })).status).toBe(409);
    const audit = await db.auditEntry.findMany({ where: { targetType: "announcement", targetId: String(id) } });
    expect(audit.map((entry) => entry.action)).toEqual(["announcement.send"]);

    // Interrupted after one batch of one: one queued, the rest waits.
    expect(await fanOutAnnouncements({ batchSize: 1, maxBatches: 1 })).toBe(1);
    expect(await announcementProgress(id)).toMatchObject({ total: 3, queued: 1, delivered: 0, done: false });
    // Resumed twice at once and once more: nobody is queued twice.
    const [a, b] = await Promise.all([fanOutAnnouncements({ batchSize: 1 }), fanOutAnnouncements({ batchSize: 1 })]);
    await fanOutAnnouncements();
    expect(a + b).toBe(2);
    expect(await fanOutAnnouncements()).toBe(0);
    expect(await db.announcementDelivery.count({ where: { announcementId: id } })).toBe(3);
    expect((await db.announcement.findUniqueOrThrow({ where: { id } })).status).toBe("sent");

    await deliverAll();
    expect(smtp.messages.map((m) => m.envelopeTo[0]).sort()).toEqual([...confirmed].sort());
    expect(await announcementProgress(id)).toMatchObject({ total: 3, delivered: 3, waiting: 0, failed: 0, done: true });

    for (const message of smtp.messages) {
      expect(headerOf(message.raw, "List-Unsubscribe-Post")).toBe("List-Unsubscribe=One-Click");
      expect(headerOf(message.raw, "List-Id")).toBe(`<${list.slug}.announcements.threadline.test>`);
      const unsubscribe = headerOf(message.raw, "List-Unsubscribe");
      expect(unsubscribe).toMatch(/^<http:\/\/threadline\.test\/announcements\/unsubscribe\?s=\d+&k=[A-Za-z0-9_-]+>$/);
      const link = unsubscribe!.slice(1, -1);
      expect(message.parsed.text).toContain(`Unsubscribe with one click: ${link}`);
      expect(message.parsed.html).toContain(`href="${link.replace(/&/g, "&amp;")}"`);
      expect(message.parsed.html).toContain("<strong>Threadline 2.0</strong>");
    }
  });

  it("rolls a batch back whole when it fails midway, and the next run completes it once", async () => {
    const list = await newList();
    await subscribeAndConfirm(list.slug, "first@example.org");
    // A row whose address the queue refuses stands in for a crash in the middle of a batch.
    const broken = await db.announcementSubscription.create({
      data: { listId: list.id, email: "broken\r\nBcc: x@example.org", emailKey: "broken", status: "active", unsubscribeKey: "k".repeat(32) },
    });
    await subscribeAndConfirm(list.slug, "last@example.org");
    const id = await draft(list.slug, "Batch test.");
    await call(announcementAction, `/admin/announcements/a/${id}`, { id: String(id) }, admin, { intent: "send" });
    const mailBefore = await db.outgoingMail.count({ where: { kind: "announcement" } });

    await expect(fanOutAnnouncements({ batchSize: 10 })).rejects.toThrow();
    expect(await db.announcementDelivery.count({ where: { announcementId: id } })).toBe(0);
    expect(await db.outgoingMail.count({ where: { kind: "announcement" } })).toBe(mailBefore);

    await db.announcementSubscription.update({ where: { id: broken.id }, data: { email: "fixed@example.org", emailKey: "fixed@example.org" } });
    expect(await fanOutAnnouncements({ batchSize: 10 })).toBe(3);
    expect(await fanOutAnnouncements({ batchSize: 10 })).toBe(0);
    const recipients = await db.outgoingMail.findMany({ where: { kind: "announcement", announcementDelivery: { announcementId: id } }, select: { toAddress: true } });
    expect(recipients.map((m) => m.toAddress).sort()).toEqual(["first@example.org", "fixed@example.org", "last@example.org"]);
  });

  it("unsubscribes with one POST from the email's link, without logging in, and refuses a forged key", async () => {
    const list = await newList();
    await subscribeAndConfirm(list.slug, "reader@example.org");
    const id = await draft(list.slug, "Hello readers.");
    await call(announcementAction, `/admin/announcements/a/${id}`, { id: String(id) }, admin, { intent: "send" });
    await fanOutAnnouncements();
    smtp.messages.length = 0;
    await deliverAll();
    const link = new URL(headerOf(smtp.messages[0]!.raw, "List-Unsubscribe")!.slice(1, -1));
    const path = `${link.pathname}${link.search}`;
    const status = async () => (await db.announcementSubscription.findFirstOrThrow({ where: { listId: list.id } })).status;

    // Opening the link only shows a button.
    expect((await call(unsubscribeLoader, path, {}, null)).data).toMatchObject({ link: { subscribed: true, list: { name: list.name } } });
    expect(await status()).toBe("active");
    const forged = await call(unsubscribeAction, path.replace(/k=[^&]+/, "k=forgedforgedforgedforgedforgedforged"), {}, null, { "List-Unsubscribe": "One-Click" });
    expect(forged.status).toBe(400);
    expect(await status()).toBe("active");

    const done = await call(unsubscribeAction, path, {}, null, { "List-Unsubscribe": "One-Click" });
    expect(done.data).toMatchObject({ ok: true });
    expect(await status()).toBe("unsubscribed");
    // Repeating it is harmless, and the next announcement skips the address.
    expect((await call(unsubscribeAction, path, {}, null, { "List-Unsubscribe": "One-Click" })).data).toMatchObject({ ok: true });
    const next = await draft(list.slug, "Second.");
    await call(announcementAction, `/admin/announcements/a/${next}`, { id: String(next) }, admin, { intent: "send" });
    await fanOutAnnouncements();
    expect(await db.announcementDelivery.count({ where: { announcementId: next } })).toBe(0);
    expect(await announcementProgress(next)).toMatchObject({ total: 0, done: true });
  });
});
