import { expect, test } from "@playwright/test";
import { logIn, newMember, signUp } from "./helpers";

// An admin publishes a version that changes how personal data is used; a
// member who joined before sees the banner, agrees, and the banner is gone.
// Version 2 keeps version 1's text (the cookie statements other tests read)
// and adds a section.
test("a published data-use change reaches members, who answer it", async ({ browser }) => {
  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  const account = newMember("policy");
  await signUp(member, account);
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  await signUp(reader, newMember("policyreader"));

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await logIn(admin, "ada", "threadline-admin-demo");
  await admin.goto("/admin/privacy");
  const body = admin.getByLabel("Policy text (Markdown)");
  const text = await body.inputValue();
  expect(text).toContain("## Cookies");
  await body.fill(`${text}\n## Monthly digest\n\nWith your agreement, we email you a <em>monthly</em> digest of the boards you watch.\n`);
  // The preview follows the typing; the button renders it without scripts too.
  await expect(admin.getByRole("region", { name: "Preview" }).getByRole("heading", { name: "Monthly digest" })).toBeVisible();
  await admin.getByRole("button", { name: "Preview" }).click();
  await expect(admin.getByRole("region", { name: "Preview" }).getByRole("heading", { name: "Monthly digest" })).toBeVisible();
  await expect(admin.getByRole("region", { name: "Preview" }).locator("em")).toHaveCount(0);
  // Publishing needs a summary.
  await admin.getByRole("button", { name: "Publish version 2" }).click();
  await expect(admin.getByText(/Say what changed/)).toBeVisible();
  await admin.getByLabel("Summary of changes").fill("A monthly digest of watched boards, by email, if you agree.");
  await admin.getByLabel(/changes how personal data is used/).check();
  await admin.getByRole("button", { name: "Publish version 2" }).click();
  await expect(admin.getByRole("status")).toContainText("Version 2 is published");
  // The publisher is not nagged about their own version.
  await expect(admin.getByRole("complementary", { name: "Privacy policy update" })).toHaveCount(0);

  await member.goto("/forums");
  const banner = member.getByRole("complementary", { name: "Privacy policy update" });
  await expect(banner).toContainText("A monthly digest of watched boards, by email, if you agree.");
  await banner.getByRole("link", { name: "Review and choose" }).click();
  await expect(member.getByRole("heading", { name: /do you agree/ })).toBeVisible();
  await member.getByRole("button", { name: "I accept" }).click();
  await expect(member.getByRole("status")).toContainText("you accepted the change in version 2");
  await expect(member.getByRole("complementary", { name: "Privacy policy update" })).toHaveCount(0);
  await member.goto("/forums");
  await expect(member.getByRole("complementary", { name: "Privacy policy update" })).toHaveCount(0);
  await member.goto("/settings");
  await expect(member.getByRole("region", { name: "Privacy agreements" })).toContainText("Version 2: accepted");

  // Reading /privacy counts as having seen the new version.
  await reader.goto("/forums");
  await expect(reader.getByRole("complementary", { name: "Privacy policy update" })).toBeVisible();
  await Promise.all([
    reader.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname.startsWith("/privacy/seen")),
    reader.goto("/privacy"),
  ]);
  await reader.goto("/forums");
  await expect(reader.getByRole("heading", { name: "Forums", level: 1 })).toBeVisible();
  await expect(reader.getByRole("complementary", { name: "Privacy policy update" })).toHaveCount(0);

  await readerContext.close();
  await memberContext.close();
  await adminContext.close();
});

test("a reader sees the change announced and reads what changed, without a cookie", async ({ page, context }) => {
  await page.goto("/");
  const notice = page.getByRole("region", { name: /Privacy policy updated/ });
  await expect(notice).toContainText("A monthly digest of watched boards");
  await notice.getByRole("link", { name: "See what changed" }).click();
  await expect(page.getByRole("heading", { name: "What changed in version 2" })).toBeVisible();
  const added = page.locator(".policy-diff ins");
  await expect(added).toContainText("## Monthly digest");
  // Markup in the source is shown as text, never rendered.
  await expect(added).toContainText("<em>monthly</em>");
  await expect(page.locator(".policy-diff em")).toHaveCount(0);
  // Readable without colour: added text is underlined and labelled for screen readers.
  expect(await added.first().evaluate((el) => getComputedStyle(el).textDecorationLine)).toContain("underline");
  await expect(added.first().locator(".sr-only").first()).toHaveText("[added: ");

  await page.goto("/privacy");
  await expect(page.getByText(/Version 2, published/)).toBeVisible();
  await page.getByRole("link", { name: "Version 1", exact: true }).click();
  await expect(page.getByText("This is an earlier version.")).toBeVisible();
  await expect(page.locator("#cookies")).toContainText("sets no cookies");
  expect(await context.cookies()).toEqual([]);
});

test("anyone can ask a privacy question from the footer", async ({ page, context }) => {
  await page.goto("/privacy");
  await page.getByRole("contentinfo").getByRole("link", { name: "Privacy questions" }).click();
  await expect(page.getByRole("heading", { name: "Ask about privacy" })).toBeVisible();
  await page.getByRole("button", { name: "Send my question" }).click();
  await expect(page.getByLabel("Your email address")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Write at least 10 characters, so we can answer.")).toBeVisible();
  await page.getByLabel("Your email address").fill("reader@example.net");
  await page.getByLabel("Your question").fill("How long do you keep the logs of my visits?");
  await page.getByRole("button", { name: "Send my question" }).click();
  await expect(page.getByRole("status")).toContainText("Thank you: your question was sent.");
  expect(await context.cookies()).toEqual([]);
});
