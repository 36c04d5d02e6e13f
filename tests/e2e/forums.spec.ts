import { expect, test } from "@playwright/test";
import { logIn, newMember, signUp } from "./helpers";

const MODERATOR = { username: "grace", password: "threadline-moderator-demo" };

test("a member's first topic: public notice, acknowledgement, personal-data warning, then an anonymous reader sees it", async ({ page, browser }) => {
  const member = newMember("poster");
  await signUp(page, member);
  await page.goto("/b/python-help");
  await page.getByRole("link", { name: "New topic" }).click();
  await expect(page.getByTestId("public-notice")).toContainText("Public post");

  const title = `Contact me about the CSV parser ${Date.now()}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Message (Markdown)").fill("Write to **jane.roe@gmail.com** if the parser breaks.");
  await page.getByLabel(/I understand that what I post here is public/).check();
  await page.getByRole("button", { name: "Create topic" }).click();

  const warning = page.getByRole("alert");
  await expect(warning).toContainText("looks like it contains personal data");
  await expect(warning.locator("mark")).toHaveText("jane.roe@gmail.com");
  await expect(page).toHaveURL(/\/b\/python-help\/new$/);
  await page.getByRole("button", { name: "Post anyway, I am sure" }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  const topicUrl = page.url();

  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  await readerPage.goto(topicUrl);
  await expect(readerPage.getByRole("heading", { name: title })).toBeVisible();
  await expect(readerPage.getByText("jane.roe@gmail.com")).toBeVisible();
  await expect(readerPage.locator("strong", { hasText: "jane.roe@gmail.com" })).toBeVisible();
  expect(await reader.cookies()).toEqual([]);
  await reader.close();

  // The acknowledgement is asked once: the next reply does not ask again.
  await page.getByLabel("Message (Markdown)").fill("A follow-up without personal data.");
  await expect(page.getByLabel(/I understand that what I post here is public/)).toHaveCount(0);
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByRole("listitem", { name: /Post 2 by/ })).toContainText("A follow-up without personal data.");
});

test("a moderator locks a topic and the member can no longer reply", async ({ page, browser }) => {
  const member = newMember("locked");
  await signUp(page, member);
  await page.goto("/b/python-help/new");
  const title = `A topic to lock ${Date.now()}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Message (Markdown)").fill("Please discuss.");
  await page.getByLabel(/I understand that what I post here is public/).check();
  await page.getByRole("button", { name: "Create topic" }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  const topicUrl = page.url();

  const modContext = await browser.newContext();
  const mod = await modContext.newPage();
  await logIn(mod, MODERATOR.username, MODERATOR.password);
  await mod.goto(topicUrl);
  await mod.getByPlaceholder("Reason to lock").fill("answered elsewhere");
  await mod.getByRole("button", { name: "Lock", exact: true }).click();
  await expect(mod.getByRole("status")).toContainText("This topic is locked");
  await modContext.close();

  await page.reload();
  await expect(page.getByRole("status")).toContainText("Reason: answered elsewhere");
  await expect(page.getByRole("button", { name: "Post reply" })).toHaveCount(0);
  await expect(page.getByText("This topic does not take new replies.")).toBeVisible();
});

test("an open topic receives a reply live from another browser", async ({ page, browser }) => {
  const reader = newMember("reader");
  await signUp(page, reader);
  await page.goto("/t/2/x");
  await expect(page.getByRole("heading", { name: /large CSV file/ })).toBeVisible();
  const before = await page.getByRole("listitem", { name: /^Post \d+ by/ }).count();

  const writerContext = await browser.newContext();
  const writer = await writerContext.newPage();
  const author = newMember("writer");
  await signUp(writer, author);
  await writer.goto("/t/2/x");
  const text = `Live reply ${Date.now()}`;
  await writer.getByLabel("Message (Markdown)").fill(text);
  await writer.getByLabel(/I understand that what I post here is public/).check();
  await writer.getByRole("button", { name: "Post reply" }).click();
  await expect(writer.getByText(text)).toBeVisible();
  await writerContext.close();

  // No reload: the reader's page shows the new reply by itself.
  await expect(page.getByText(text)).toBeVisible({ timeout: 10_000 });
  expect(await page.getByRole("listitem", { name: /^Post \d+ by/ }).count()).toBe(before + 1);
});

test("the personal-data check and posting work without JavaScript", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  const member = newMember("nojspost");
  await signUp(page, member);
  await page.goto("/t/3/x");
  await page.getByLabel("Message (Markdown)").fill("Call me on +1 415 555 2671 tonight.");
  await page.getByLabel(/I understand that what I post here is public/).check();
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByRole("alert")).toContainText("a phone number");
  // Editing the text after the warning means it is checked again.
  await page.getByLabel("Message (Markdown)").fill("Actually, no phone number needed.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText("Actually, no phone number needed.")).toBeVisible();
  await context.close();
});
