import { expect, test } from "@playwright/test";
import { logIn, newMember, signUp, startTopic } from "./helpers";


test("an author edits a post and anyone can read its history", async ({ page, browser }) => {
  await signUp(page, newMember("editor"));
  const url = await startTopic(page, `Edit me ${Date.now()}`, "The first version.");
  await page.getByRole("link", { name: "Edit", exact: true }).click();
  await page.getByLabel("Message (Markdown)").fill("The second, better version.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("The second, better version.")).toBeVisible();

  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  await readerPage.goto(url);
  await readerPage.getByRole("link", { name: "edited" }).click();
  await expect(readerPage.getByText("Version 2 by")).toBeVisible();
  await expect(readerPage.getByText("The first version.")).toBeVisible();
  await reader.close();
});

test("a member reports a post once; a moderator hides it with a reason readers see", async ({ page, browser }) => {
  await signUp(page, newMember("spammer"));
  const url = await startTopic(page, `Buy cheap things ${Date.now()}`, "Cheap things for sale, click here.");

  const reporterContext = await browser.newContext();
  const reporter = await reporterContext.newPage();
  await signUp(reporter, newMember("reporter"));
  await reporter.goto(url);
  await reporter.getByRole("link", { name: "Report", exact: true }).click();
  const reportUrl = reporter.url();
  await reporter.getByLabel("What is wrong with this post?").fill("This is spam.");
  await reporter.getByRole("button", { name: "Send report" }).click();
  await expect(reporter.getByRole("status")).toHaveText("Your report was sent to the moderators.");
  await reporter.goto(reportUrl);
  await reporter.getByLabel("What is wrong with this post?").fill("Still spam.");
  await reporter.getByRole("button", { name: "Send report" }).click();
  await expect(reporter.getByRole("alert")).toContainText("already reported");
  await reporterContext.close();

  const modContext = await browser.newContext();
  const mod = await modContext.newPage();
  await logIn(mod, "grace", "threadline-moderator-demo");
  await mod.goto(url);
  await mod.getByPlaceholder("Reason", { exact: true }).fill("spam");
  await mod.getByRole("button", { name: "Hide", exact: true }).click();
  await expect(mod.getByText("Hidden by moderators: spam.")).toBeVisible();
  await modContext.close();

  const anonymous = await browser.newContext();
  const anon = await anonymous.newPage();
  await anon.goto(url);
  await expect(anon.getByText("Hidden by moderators: spam.")).toBeVisible();
  await expect(anon.getByText("Cheap things for sale")).toHaveCount(0);
  await anonymous.close();
});

test("a closed tab loses nothing: the draft comes back", async ({ page }) => {
  await signUp(page, newMember("drafter"));
  await page.goto("/b/perl-beginners/new");
  await page.getByLabel("Title").fill("A draft title that survives");
  await page.getByLabel("Message (Markdown)").fill("Half-written thoughts about **sigils**.");
  await expect(page.getByRole("status").filter({ hasText: "Draft saved" })).toBeVisible({ timeout: 10_000 });
  await expect(page.getByRole("region", { name: "Preview" }).locator("strong")).toHaveText("sigils");
  await page.goto("/");
  await page.goto("/b/perl-beginners/new");
  await expect(page.getByLabel("Title")).toHaveValue("A draft title that survives");
  await expect(page.getByLabel("Message (Markdown)")).toHaveValue("Half-written thoughts about **sigils**.");
});

test("a 100 KB post gets a clear 'too long' and nothing is saved", async ({ page }) => {
  await signUp(page, newMember("longpost"));
  await page.goto("/b/tcl-general/new");
  await page.getByLabel("Title").fill("A very long post");
  await page.getByLabel("Message (Markdown)").fill("word ".repeat(20_000));
  await page.getByLabel(/I understand that what I post here is public/).check();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Create topic" }).click(),
  ]);
  expect(response.status()).toBe(400);
  await expect(page.getByText("This post is too long: at most 50,000 characters.")).toBeVisible();
  await expect(page.getByLabel("Message (Markdown)")).toHaveAttribute("aria-invalid", "true");
});
