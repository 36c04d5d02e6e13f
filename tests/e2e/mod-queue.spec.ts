import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, test, type Browser } from "@playwright/test";
import { logIn, newMember, signUp, startTopic } from "./helpers";


async function reportFirstPost(browser: Browser, url: string, reason: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signUp(page, newMember("reporter"));
  await page.goto(url);
  await page.getByRole("link", { name: "Report", exact: true }).first().click();
  await page.getByLabel("What is wrong with this post?").fill(reason);
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByRole("status")).toHaveText("Your report was sent to the moderators.");
  await context.close();
}

async function moderator(browser: Browser, username: string, password: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, username, password);
  return { context, page };
}

test("a reported post is hidden from the queue, appealed by its author and restored by a second moderator", async ({ page, browser }) => {
  const author = newMember("appealer");
  await signUp(page, author);
  const title = `Watches for sale ${Date.now()}`;
  const url = await startTopic(page, title, "Cheap watches at my shop, best prices in town.");
  await reportFirstPost(browser, url, "This is advertising for a shop.");

  const grace = await moderator(browser, "grace", "threadline-moderator-demo");
  await grace.page.goto("/mod");
  await grace.page.getByRole("link", { name: /Review queue \(\d+ open\)/ }).click();
  const item = grace.page.getByRole("listitem", { name: `Reported post: Post #1 in “${title}”` });
  await expect(item.getByRole("region", { name: "Evidence snapshot" })).toContainText("Cheap watches at my shop");
  await expect(item.getByRole("region", { name: "Reports" })).toContainText("This is advertising for a shop.");
  await item.getByText("Decide", { exact: true }).click();
  const hide = item.getByRole("form", { name: "Hide post" });
  await hide.getByLabel("Reason (shown publicly)").fill("Advertising a shop");
  await hide.getByLabel("Guideline rule (optional)").selectOption("spam");
  await hide.getByRole("button", { name: "Hide post" }).click();
  await expect(grace.page.getByRole("status")).toHaveText("The post is hidden; readers see your reason.");
  await expect(item).toHaveCount(0);

  await page.goto(url);
  await expect(page.getByText("Hidden by moderators: Advertising a shop.")).toBeVisible();
  await page.getByRole("link", { name: "Appeal", exact: true }).click();
  await page.getByLabel("Why should moderators show it again?").fill("I sell my own handmade watches; the board allows that.");
  await page.getByRole("button", { name: "Send appeal" }).click();
  await expect(page.getByRole("status")).toContainText("Your appeal was sent to the moderators.");

  await grace.page.goto("/mod/queue?type=appeal");
  const graceAppeal = grace.page.getByRole("listitem", { name: `Appeal: Appeal for post #1 in “${title}”` });
  await expect(graceAppeal.getByRole("note")).toHaveText("You hid this; another moderator should decide.");
  await grace.context.close();

  const ada = await moderator(browser, "ada", "threadline-admin-demo");
  await ada.page.goto("/mod/queue?type=appeal");
  const appeal = ada.page.getByRole("listitem", { name: `Appeal: Appeal for post #1 in “${title}”` });
  await expect(appeal.getByRole("region", { name: "Appeal" })).toContainText("handmade watches");
  await expect(appeal.getByRole("note")).toHaveCount(0);
  await appeal.getByText("Decide", { exact: true }).click();
  const restore = appeal.getByRole("form", { name: "Accept appeal and restore" });
  await restore.getByLabel("Reason (sent to the author)").fill("Selling your own work is allowed here.");
  await restore.getByRole("button", { name: "Accept appeal and restore" }).click();
  await expect(ada.page.getByRole("status")).toHaveText("The post is restored and its author told.");
  await ada.context.close();

  await page.goto(url);
  await expect(page.getByText("Cheap watches at my shop")).toBeVisible();
  await expect(page.getByText(/Hidden by moderators/)).toHaveCount(0);
  await page.goto("/notifications");
  await expect(page.getByRole("list", { name: "Notifications" })).toContainText("Decision on your appeal: Your appeal was accepted and your post is visible again: Selling your own work is allowed here.");
});

test("a spam flood is cleared and its author suspended in one action", async ({ page, browser }) => {
  const spammer = newMember("flood");
  await signUp(page, spammer);
  const title = `Free crypto ${Date.now()}`;
  const url = await startTopic(page, title, "Spam message 1");
  for (let i = 2; i <= 6; i++) {
    await page.getByLabel("Message (Markdown)").fill(`Spam message ${i}`);
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.getByRole("listitem", { name: `Post ${i} by ${spammer.username}` })).toBeVisible();
  }
  await reportFirstPost(browser, url, "Spam flood");

  const grace = await moderator(browser, "grace", "threadline-moderator-demo");
  await grace.page.goto("/mod/queue?type=post");
  const item = grace.page.getByRole("listitem", { name: `Reported post: Post #1 in “${title}”` });
  await item.getByText("Decide", { exact: true }).click();
  const flood = item.getByRole("form", { name: `Hide recent posts and suspend ${spammer.username}` });
  await flood.getByLabel("Reason (shown on each hidden post)").fill("Spam flood");
  await flood.getByLabel("Posts from the last … hours").fill("24");
  await flood.getByLabel("For", { exact: true }).selectOption("7");
  await flood.getByRole("button", { name: `Hide recent posts and suspend ${spammer.username}` }).click();
  await expect(grace.page.getByRole("status")).toContainText(`Hid 6 posts by ${spammer.username} and suspended them until`);
  await grace.page.goto(`/mod/users/${spammer.username}`);
  await expect(grace.page.getByTestId("member-standing")).toContainText("Suspended until");
  await grace.context.close();

  // The spammer's session is over, every post is hidden, and log-in is refused with the date.
  await page.goto(url);
  await expect(page.getByRole("banner").getByRole("link", { name: "Log in" })).toBeVisible();
  await expect(page.getByText("Hidden by moderators: Spam flood.")).toHaveCount(6);
  await logIn(page, spammer.username, spammer.password);
  await expect(page.getByRole("alert")).toContainText("Your account is suspended until");
});

test("a member asks for an archived message's takedown and a moderator takes it down from the queue", async ({ page, browser }) => {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is not set (playwright.config.ts sets it)");
  const output = execFileSync(path.resolve("node_modules/.bin/tsx"), ["tests/support/archive-factories.ts", "e2e", `mod-queue-${Date.now().toString(36)}`], {
    env: { ...process.env, DATABASE_URL: `file:${path.join(dataDir, "threadline.db")}`, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
  const seeded = JSON.parse(output.trim().split("\n").at(-1)!) as { slug: string; reply: { publicId: string } };
  const url = `/lists/${seeded.slug}/m/${seeded.reply.publicId}`;

  const visitor = await browser.newContext();
  const visitorPage = await visitor.newPage();
  await visitorPage.goto(url);
  await expect(visitorPage.getByRole("link", { name: "Log in to report it or request its takedown" })).toBeVisible();

  await signUp(page, newMember("mailreporter"));
  await page.goto(url);
  await page.getByText("Report / request takedown").click();
  await page.getByLabel(/What is wrong with this message/).fill("This quotes my email address; please take it down.");
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByRole("status")).toHaveText("Thank you. Your report was sent to the moderators.");

  const grace = await moderator(browser, "grace", "threadline-moderator-demo");
  await grace.page.goto(`/mod/queue?type=mail&list=${seeded.slug}`);
  const item = grace.page.getByRole("listitem", { name: /^Reported archived message:/ });
  await expect(item.getByRole("region", { name: "Evidence snapshot" })).toContainText("Use datetime.strptime");
  await expect(item.getByRole("region", { name: "Reports" })).toContainText("This quotes my email address");
  await item.getByText("Decide", { exact: true }).click();
  const takedown = item.getByRole("form", { name: "Take down message" });
  await takedown.getByLabel("Takedown category").selectOption("personal-data");
  await takedown.getByLabel("Details (for moderators)").fill("Quoted address of the reporter");
  await takedown.getByRole("button", { name: "Take down message" }).click();
  await expect(grace.page.getByRole("status")).toHaveText("The message is taken down.");
  await grace.context.close();

  const gone = await visitorPage.goto(url);
  expect(gone!.status()).toBe(410);
  await visitor.close();
});
