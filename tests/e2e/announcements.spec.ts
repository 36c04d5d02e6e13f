import { expect, test, type Page } from "@playwright/test";
import { logIn } from "./helpers";

// Announcement lists in the browser: an admin creates a list, a visitor
// subscribes on the public page and confirms from the welcome email (read in
// the outbox, as there is no SMTP here), the admin sends an announcement and
// watches the progress, and the email's one-click unsubscribe works without
// a login or an Origin header, as mail programs send it.

async function mailBody(admin: Page, to: string, subject: RegExp): Promise<string> {
  await admin.goto("/admin/outbox");
  const row = admin.getByRole("row").filter({ hasText: to }).filter({ hasText: subject }).first();
  await row.getByRole("link").click();
  return (await admin.getByTestId("mail-body").textContent()) ?? "";
}

const pathOf = (link: string) => `${new URL(link).pathname}${new URL(link).search}`;

test("a visitor subscribes and confirms; the admin sends an announcement with visible progress; one click unsubscribes", async ({ page, browser, request }) => {
  const slug = `news-${Date.now().toString(36)}`;
  const visitorEmail = `reader-${slug}@example.org`;
  // Its own name: the demo content has a "Threadline news" list already.
  const name = `Release notes ${slug}`;
  await logIn(page, "ada", "threadline-admin-demo");

  await page.goto("/admin/announcements");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Address").fill(slug);
  await page.getByLabel("Description").fill("Releases and planned downtime, about once a month.");
  await page.getByRole("button", { name: "Create list" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await expect(page.getByText("0 confirmed subscribers")).toBeVisible();

  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto("/announcements");
  await visitor.getByRole("link", { name }).click();
  await expect(visitor).toHaveURL(new RegExp(`/announcements/${slug}$`));
  await visitor.getByLabel("Your email address").fill(visitorEmail);
  await visitor.getByRole("button", { name: "Subscribe" }).click();
  await expect(visitor.getByRole("status")).toContainText("open the link in it to confirm");

  const welcome = await mailBody(page, visitorEmail, /Confirm your subscription/);
  const confirm = /https?:\/\/\S+\/announcements\/confirm\?token=[A-Za-z0-9_-]+/.exec(welcome)?.[0];
  expect(confirm, "the welcome email holds the confirmation link").toBeTruthy();
  await visitor.goto(pathOf(confirm!));
  await visitor.getByRole("button", { name: "Confirm my subscription" }).click();
  await expect(visitor.getByRole("status")).toContainText(`You are subscribed to ${name}`);

  await page.goto(`/admin/announcements/${slug}`);
  await expect(page.getByText("1 confirmed subscriber")).toBeVisible();
  await page.getByLabel("Subject").fill("Threadline 2.0 is out");
  await page.getByLabel("Message (Markdown)").fill("**Threadline 2.0** brings announcement lists.\n\n- opt-in\n- one-click unsubscribe");
  await page.getByRole("button", { name: "Save draft and preview" }).click();
  const preview = page.getByRole("article", { name: "Preview" });
  await expect(preview.locator("strong")).toHaveText("Threadline 2.0");
  await expect(preview.getByRole("listitem")).toHaveCount(2);

  await page.getByRole("button", { name: /Send a test to me/ }).click();
  await expect(page.getByRole("status").first()).toContainText("A test is on its way");
  await page.getByRole("button", { name: "Send to 1 confirmed subscriber" }).click();
  // The page refreshes itself until every email is out of the queue.
  await expect(page.getByRole("region", { name: "Sending progress" }).getByRole("status")).toHaveText("Sent: 1 / 1 delivered", { timeout: 15_000 });

  const announcement = await mailBody(page, visitorEmail, /Threadline 2.0 is out/);
  expect(announcement).toContain("**Threadline 2.0** brings announcement lists.");
  const unsubscribe = /Unsubscribe with one click: (\S+)/.exec(announcement)?.[1];
  expect(unsubscribe).toBeTruthy();

  // Opening the link shows a button and changes nothing.
  await visitor.goto(pathOf(unsubscribe!));
  await expect(visitor.getByRole("button", { name: "Unsubscribe" })).toBeVisible();
  // The mail program's one-click POST: no login, no Origin header.
  const oneClick = await request.post(pathOf(unsubscribe!), { form: { "List-Unsubscribe": "One-Click" } });
  expect(oneClick.status()).toBe(200);
  // Only the unsubscribe link skips the same-origin check: the subscribe form does not.
  const crossSite = await request.post(`/announcements/${slug}`, { form: { email: "forged@example.org" } });
  expect(crossSite.status()).toBe(403);
  await visitor.reload();
  await expect(visitor.getByRole("status")).toHaveText(`You are not subscribed to ${name}.`);
  await page.goto(`/admin/announcements/${slug}`);
  await expect(page.getByText("0 confirmed subscribers")).toBeVisible();
  await visitorContext.close();
});
