import { expect, test } from "@playwright/test";
import { logIn, newMember, signUp } from "./helpers";

test("a new member's link post waits for approval, and a moderator publishes it from the queue", async ({ page, browser }) => {
  const author = newMember("linker");
  await signUp(page, author);
  const title = `My favourite tutorial ${Date.now()}`;
  await page.goto("/b/python-help/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Message (Markdown)").fill("This helped me a lot: https://docs.python.org/3/tutorial/");
  const ack = page.getByLabel(/I understand that what I post here is public/);
  if (await ack.count()) await ack.check();
  // The honeypot is there for bots, out of people's way.
  const honeypot = page.locator('input[name="website"]');
  await expect(honeypot).toHaveAttribute("tabindex", "-1");
  await expect(honeypot).not.toBeInViewport();
  await page.getByRole("button", { name: "Create topic" }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "Awaits approval" })).toBeVisible();
  const url = page.url();

  // Nobody else sees it yet.
  const visitor = await browser.newContext();
  const visitorPage = await visitor.newPage();
  const hidden = await visitorPage.goto(url);
  expect(hidden?.status()).toBe(404);
  await visitorPage.goto("/b/python-help");
  await expect(visitorPage.getByRole("link", { name: title })).toHaveCount(0);

  const mod = await browser.newContext();
  const modPage = await mod.newPage();
  await logIn(modPage, "grace", "threadline-moderator-demo");
  await modPage.goto("/mod/queue?type=held");
  const item = modPage.getByRole("listitem", { name: `Held for approval: New topic “${title}”` });
  await expect(item.getByRole("region", { name: "Evidence snapshot" })).toContainText("docs.python.org");
  await expect(item).toContainText("New member: post with a link");
  await item.getByText("Decide", { exact: true }).click();
  await item.getByRole("button", { name: "Approve and publish" }).click();
  await expect(modPage.getByRole("status")).toHaveText("Approved: the post is published.");
  await expect(item).toHaveCount(0);

  const shown = await visitorPage.goto(url);
  expect(shown?.status()).toBe(200);
  await expect(visitorPage.getByRole("heading", { name: title })).toBeVisible();
  await visitorPage.goto("/b/python-help");
  await expect(visitorPage.getByRole("link", { name: title })).toBeVisible();
  await page.reload();
  await expect(page.getByText("Awaits approval")).toHaveCount(0);
  await visitor.close();
  await mod.close();
});
