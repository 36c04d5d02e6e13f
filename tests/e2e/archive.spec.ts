// The mail archive, end to end: a visitor browses lists → list → month →
// thread → message without JavaScript or cookies, follows /mid/ links and
// downloads raw mail (masked for visitors, original bytes for members); every
// page names the host and says Threadline does not own the list's data; a
// taken-down message answers 410.
//
// The demo seed has no archived list yet, so the test seeds its own through
// the archive factory, straight into the e2e server's database.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { logIn } from "./helpers";

type Seeded = {
  slug: string; name: string; hostName: string; thread: string; olderThread: string; month: string;
  root: { publicId: string; messageId: string }; reply: { publicId: string; messageId: string };
  removed: { publicId: string; messageId: string }; attach: { publicId: string; messageId: string };
  rootRawBase64: string;
};

let seeded: Seeded;
const SHOTS = process.env.ARCHIVE_SCREENSHOTS ?? "/tmp";

test.beforeAll(() => {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is not set (playwright.config.ts sets it)");
  const output = execFileSync(path.resolve("node_modules/.bin/tsx"), ["tests/support/archive-factories.ts", "e2e", `e2e-list-${Date.now().toString(36)}`], {
    env: { ...process.env, DATABASE_URL: `file:${path.join(dataDir, "threadline.db")}`, DATA_DIR: dataDir, LOG_LEVEL: "silent" },
    encoding: "utf8",
  });
  seeded = JSON.parse(output.trim().split("\n").at(-1)!) as Seeded;
});

async function expectOwnership(page: Page) {
  const panel = page.getByTestId("archive-ownership");
  await expect(panel).toContainText(seeded.hostName);
  await expect(panel).toContainText("does not own or control");
  await expect(panel.getByRole("link", { name: seeded.hostName })).toHaveAttribute("href", "https://lists.example.org/");
}

test("a visitor browses the archive without JavaScript or cookies", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();

  // /lists (the short-lived page cache for visitors may still hold an older copy for a moment)
  await expect(async () => {
    await page.goto("/lists");
    await expect(page.getByRole("link", { name: seeded.name })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.locator("main")).toContainText("does not own or control");
  const entry = page.getByTestId("archive-list").filter({ hasText: seeded.name });
  await expect(entry).toContainText(`Hosted by ${seeded.hostName}`);
  await expect(entry.getByTestId("activity-chart")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/archive-lists.png`, fullPage: true });

  // the list
  await entry.getByRole("link", { name: seeded.name }).click();
  await expect(page).toHaveTitle(new RegExp(`${seeded.name.replace(/[()]/g, "\\$&")} · Mailing-list archive`));
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", `/lists/${seeded.slug}`);
  await expect(page.locator('link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute("href", `/lists/${seeded.slug}/feed.atom`);
  await expectOwnership(page);
  await expect(page.getByRole("link", { name: "Parsing dates with strptime" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Post to the list by email" })).toHaveAttribute("href", `mailto:${seeded.slug}@lists.example.org`);
  await page.screenshot({ path: `${SHOTS}/archive-list.png`, fullPage: true });

  // the month
  await page.locator(`a[href="/lists/${seeded.slug}/${seeded.month}"]`).click();
  await expect(page).toHaveURL(new RegExp(`/lists/${seeded.slug}/${seeded.month}$`));
  await expectOwnership(page);
  await expect(page.getByText("Jane Doe").first()).toBeVisible();
  await expect(page.getByRole("link", { name: /← / })).toHaveAttribute("href", new RegExp(`/lists/${seeded.slug}/\\d{4}/\\d{2}$`));
  await page.screenshot({ path: `${SHOTS}/archive-month.png`, fullPage: true });
  await page.getByRole("link", { name: "By author" }).click();
  await expect(page).toHaveURL(/\?sort=author$/);
  await expect(page.locator("tbody tr").first()).toContainText("Bob Smith");
  await page.getByRole("link", { name: "By thread" }).click();

  // the thread
  await page.getByRole("heading", { name: /Parsing dates with strptime/ }).getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/lists/${seeded.slug}/thread/${seeded.thread}$`));
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", `/lists/${seeded.slug}/thread/${seeded.thread}`);
  await expectOwnership(page);
  await expect(page.getByText("1 referenced message was not received")).toBeVisible();
  await expect(page.getByText(/^Message not received/)).toBeVisible();
  await expect(page.getByText(/^Message removed\./)).toBeVisible();
  await expect(page.getByText("placed by subject")).toBeVisible();
  await expect(page.getByText("My phone number")).toHaveCount(0);
  // Quotes, signatures and list footers fold into <details>, which open without JavaScript.
  const footer = page.locator('details[data-fold="footer"]').first();
  await expect(footer.locator("summary")).toHaveText("Mailing list footer");
  await footer.locator("summary").click();
  await expect(footer).toContainText("mailman/listinfo");
  await expect(page.locator('details[data-fold="signature"]').first()).toBeVisible();
  await expect(page.locator("main")).toContainText("j…@example.org");
  await expect(page.locator("main")).not.toContainText("jane.doe@example.org");
  await page.screenshot({ path: `${SHOTS}/archive-thread.png`, fullPage: true });

  // the message
  await page.locator(`a[href="/lists/${seeded.slug}/m/${seeded.root.publicId}"]`).first().click();
  await expect(page).toHaveURL(new RegExp(`/lists/${seeded.slug}/m/${seeded.root.publicId}$`));
  await expectOwnership(page);
  const article = page.getByTestId("archive-message");
  await expect(article).toContainText("Jane Doe");
  await expect(article).toContainText("j…@example.org");
  await expect(article).not.toContainText("jane.doe@example.org");
  await expect(article.getByRole("link", { name: seeded.root.messageId })).toBeVisible();
  await expect(article.getByRole("link", { name: "Raw message" })).toBeVisible();
  await expect(article.getByRole("link", { name: "Download thread as mbox" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/archive-message.png`, fullPage: true });

  // a message with an HTML part and an attachment
  await page.goto(`/lists/${seeded.slug}/m/${seeded.attach.publicId}`);
  await page.getByRole("link", { name: "HTML", exact: true }).click();
  await expect(page.getByTestId("message-html").locator("strong")).toHaveText("small");
  await expect(page.getByRole("link", { name: "parse_dates.py" })).toBeVisible();
  await expectOwnership(page);

  // /mid/ with and without angle brackets
  await page.goto(`/mid/${encodeURIComponent(`<${seeded.reply.messageId}>`)}`);
  await expect(page).toHaveURL(new RegExp(`/lists/${seeded.slug}/m/${seeded.reply.publicId}$`));
  await expectOwnership(page);
  await page.goto(`/mid/${encodeURIComponent(seeded.root.messageId)}`);
  await expect(page).toHaveURL(new RegExp(`/lists/${seeded.slug}/m/${seeded.root.publicId}$`));
  const unknown = await page.goto("/mid/no-such-message%40example.org");
  expect(unknown!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "No archived message with that Message-ID" })).toBeVisible();

  // a taken-down message
  const gone = await page.goto(`/lists/${seeded.slug}/m/${seeded.removed.publicId}`);
  expect(gone!.status()).toBe(410);
  await expect(page.getByRole("heading", { name: "Message removed" })).toBeVisible();
  await expect(page.getByText("because of personal data")).toBeVisible();
  await expect(page.getByText("phone number")).toHaveCount(0);
  await expectOwnership(page);

  expect(await context.cookies()).toEqual([]);
  await context.close();
});

test("raw downloads: masked for visitors, the original bytes for members", async ({ browser, playwright, baseURL }) => {
  const rawUrl = `/lists/${seeded.slug}/m/${seeded.root.publicId}/raw`;
  const original = Buffer.from(seeded.rootRawBase64, "base64");

  const anonymous = await playwright.request.newContext({ baseURL });
  const masked = await anonymous.get(rawUrl);
  expect(masked.status()).toBe(200);
  expect(masked.headers()["content-type"]).toBe("text/plain; charset=utf-8");
  expect(masked.headers()["x-archive-notice"]).toContain(seeded.hostName);
  const maskedText = (await masked.body()).toString("utf8");
  expect(maskedText).toContain('From: "Jane Doe" <j...@example.org>');
  expect(maskedText).not.toContain("jane.doe@example.org");
  const mbox = await anonymous.get(`/lists/${seeded.slug}/thread/${seeded.thread}/mbox`);
  expect(mbox.headers()["content-type"]).toBe("application/mbox");
  const mboxText = await mbox.text();
  expect(mboxText.startsWith("# ")).toBe(true);
  expect(mboxText).toContain("does not own or control");
  expect(mboxText).not.toContain("jane.doe@example.org");
  expect(mboxText).not.toContain("My phone number");
  expect((await anonymous.get(`/lists/${seeded.slug}/m/${seeded.removed.publicId}/raw`)).status()).toBe(410);
  const api = await (await anonymous.get(`/api/mid/${encodeURIComponent(seeded.reply.messageId)}`)).json();
  expect(api).toMatchObject({
    id: seeded.reply.publicId, messageId: seeded.reply.messageId, threadId: seeded.thread, parentMessageId: seeded.root.messageId,
    list: { slug: seeded.slug, name: seeded.name, hostName: seeded.hostName, hostUrl: "https://lists.example.org/" },
  });
  expect((await anonymous.get(`/api/messages/${seeded.removed.publicId}`)).status()).toBe(410);
  await anonymous.dispose();

  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, "linus", "threadline-member-demo");
  const raw = await page.request.get(rawUrl);
  expect(raw.status()).toBe(200);
  expect((await raw.body()).equals(original)).toBe(true);
  await page.goto(`/lists/${seeded.slug}/m/${seeded.root.publicId}`);
  await expect(page.getByTestId("archive-message")).toContainText("jane.doe@example.org");
  await context.close();
});

test("a moderator hides a message on a takedown request and brings it back", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await logIn(page, "grace", "threadline-moderator-demo");
  const url = `/lists/${seeded.slug}/m/${seeded.attach.publicId}`;
  await page.goto(url);
  await page.getByLabel("Reason", { exact: true }).selectOption("takedown");
  await page.getByLabel(/^Details/).fill("The author asked us to remove it.");
  await page.getByRole("button", { name: "Hide message" }).click();
  await expect(page.getByText("Hidden by moderators")).toBeVisible();

  const visitor = await browser.newContext();
  const visitorPage = await visitor.newPage();
  const gone = await visitorPage.goto(url);
  expect(gone!.status()).toBe(410);
  await expect(visitorPage.getByText("because of a takedown request")).toBeVisible();
  await expect(visitorPage.getByText("The author asked")).toHaveCount(0);

  await page.getByLabel("Why it comes back").fill("Hidden by mistake.");
  await page.getByRole("button", { name: "Unhide" }).click();
  await expect(page.getByRole("button", { name: "Hide message" })).toBeVisible();
  await expect(async () => {
    const back = await visitorPage.goto(url);
    expect(back!.status()).toBe(200);
  }).toPass({ timeout: 10_000 });
  await visitor.close();
  await context.close();
});

test("with JavaScript, archive pages hydrate without CSP violations and show local times", async ({ page }) => {
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  for (const url of ["/lists", `/lists/${seeded.slug}`, `/lists/${seeded.slug}/${seeded.month}`, `/lists/${seeded.slug}/thread/${seeded.thread}`, `/lists/${seeded.slug}/m/${seeded.root.publicId}`]) {
    await page.goto(url);
    await page.waitForLoadState("networkidle");
    await expectOwnershipOrIndex(page, url);
  }
  // After hydration the message date is shown in the reader's zone (no " UTC" suffix), with UTC in the tooltip.
  const time = page.getByTestId("archive-message").locator("time").first();
  await expect(time).not.toContainText("UTC");
  await expect(time).toHaveAttribute("title", /UTC$/);
  expect(problems).toEqual([]);
});

async function expectOwnershipOrIndex(page: Page, url: string) {
  if (url === "/lists") await expect(page.locator("main")).toContainText("does not own or control");
  else await expectOwnership(page);
}
