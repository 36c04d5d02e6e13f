import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { strFromU8, unzipSync } from "fflate";
import { logIn, newMember, signUp } from "./helpers";

test("a member downloads their data, then deletes their account keeping their posts", async ({ page, browser }) => {
  const member = newMember("leaver");
  await signUp(page, member);
  await page.goto("/b/python-help");
  await page.getByRole("link", { name: "New topic" }).click();
  const title = `Parting notes on generators ${Date.now()}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Message (Markdown)").fill("Generators are lazy iterators.");
  await page.getByLabel(/I understand that what I post here is public/).check();
  await page.getByRole("button", { name: "Create topic" }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();
  const topicUrl = page.url();

  await page.goto("/settings");
  await page.getByRole("navigation", { name: "Settings" }).getByRole("link", { name: "Your data" }).click();
  await expect(page.getByRole("heading", { name: "Your data" })).toBeVisible();
  await page.screenshot({ path: "/tmp/member-data-page.png", fullPage: true });

  // A wrong password downloads nothing and says why.
  await page.getByLabel("Confirm with your password").fill("not the right one");
  await page.getByRole("button", { name: "Download my data" }).click();
  await expect(page.getByText("That is not your password.")).toBeVisible();

  await page.getByLabel("Confirm with your password").fill(member.password);
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download my data" }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^threadline-data-${member.username}-\\d{4}-\\d{2}-\\d{2}\\.zip$`));
  await expect(page.getByText("That is not your password.")).toHaveCount(0);
  const files = unzipSync(new Uint8Array(fs.readFileSync((await download.path())!)));
  const account = JSON.parse(strFromU8(files["account.json"]!));
  expect(account.profile).toMatchObject({ username: member.username, email: member.email });
  const posts = Object.keys(files).filter((name) => name.startsWith("posts/"));
  expect(posts).toHaveLength(1);
  expect(strFromU8(files[posts[0]!]!)).toContain(`topic: "${title}"`);
  expect(strFromU8(files[posts[0]!]!)).toContain("Generators are lazy iterators.");

  // Deleting needs a choice and the password.
  await page.getByLabel("Confirm deletion with your password").fill(member.password);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByText("Choose what happens to your posts and messages.")).toBeVisible();
  await page.getByRole("radio", { name: /Keep them/ }).check();
  await page.getByLabel("Confirm deletion with your password").fill(member.password);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByRole("heading", { name: "Your account was deleted" })).toBeVisible();
  await page.screenshot({ path: "/tmp/member-data-deleted.png", fullPage: true });
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();

  // The post stays, under "deleted member", and the old name has no profile.
  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  await readerPage.goto(topicUrl);
  const post = readerPage.getByRole("listitem", { name: "Post 1 by deleted member" });
  await expect(post).toContainText("Generators are lazy iterators.");
  await expect(readerPage.getByText(member.username)).toHaveCount(0);
  expect((await readerPage.goto(`/u/${member.username}`))!.status()).toBe(404);

  // And the account is gone: logging in fails.
  await logIn(readerPage, member.username, member.password);
  await expect(readerPage.getByRole("alert")).toBeVisible();
  await expect(readerPage.getByRole("link", { name: "Log in" })).toBeVisible();
  await reader.close();
});
