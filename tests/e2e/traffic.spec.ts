import { expect, test, type Page } from "@playwright/test";
import { logIn, newMember, signUp } from "./helpers";

// The server flushes its traffic counters every second here
// (TRAFFIC_FLUSH_SECONDS in playwright.config.ts). Other tests may have
// visited pages before this one, so it compares today's counts before and after.

/** Today's page views per section column, read from the table beside the chart. */
async function todayViews(admin: Page) {
  await admin.goto("/admin/traffic?days=7");
  await admin.getByText("Page views as a table").click();
  const today = new Date().toISOString().slice(0, 10);
  const row = admin.getByRole("table", { name: "Page views per day and section" }).getByRole("row", { name: new RegExp(`^${today}`) });
  const cells = (await row.getByRole("cell").allTextContents()).map((text) => Number(text.replace(/,/g, "")));
  const [home, forums, topics, chat, archive, search, other, total] = cells;
  return { home, forums, topics, chat, archive, search, other, total };
}

test("a visitor's page views reach the admins' traffic page, without query strings or addresses", async ({ browser }) => {
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await logIn(admin, "ada", "threadline-admin-demo");
  await admin.getByLabel("Account menu for ada").click();
  await admin.getByRole("link", { name: "Traffic" }).click();
  await expect(admin.getByRole("heading", { name: "Traffic", level: 1 })).toBeVisible();
  const before = await todayViews(admin);

  const visitorContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  await visitor.goto("/forums", { referer: "https://news.example.com/item?id=4242&user=jane" });
  await visitor.goto("/lists");
  await visitor.goto("/search?q=private-search-words");
  await visitor.goto("/chat");
  await visitorContext.close();

  const memberContext = await browser.newContext();
  const member = await memberContext.newPage();
  await signUp(member, newMember("traffic"));
  expect((await member.goto("/admin/traffic"))?.status()).toBe(403);
  await memberContext.close();

  await expect(async () => {
    const after = await todayViews(admin);
    expect(after.forums).toBeGreaterThan(before.forums!);
    expect(after.archive).toBeGreaterThan(before.archive!);
    expect(after.search).toBeGreaterThan(before.search!);
    expect(after.chat).toBeGreaterThan(before.chat!);
    expect(after.total).toBeGreaterThanOrEqual(before.total! + 4);
  }).toPass({ timeout: 15_000 });

  await expect(admin.getByRole("link", { name: "Last 7 days" })).toHaveAttribute("aria-current", "page");
  await expect(admin.getByRole("table", { name: "Other sites that visitors came from" }).getByRole("row", { name: /^news\.example\.com \d+$/ })).toBeVisible();
  const pages = await admin.getByRole("table", { name: "Most viewed pages" }).getByRole("row").allTextContents();
  expect(pages.length).toBeGreaterThan(1);
  for (const row of pages) expect(row).not.toContain("?");
  await admin.getByText("Visitors as a table").click();
  const today = new Date().toISOString().slice(0, 10);
  const visitorsToday = admin.getByRole("table", { name: "Estimated unique visitors per day" }).getByRole("row", { name: new RegExp(`^${today}`) });
  expect(Number(await visitorsToday.getByRole("cell").last().textContent())).toBeGreaterThanOrEqual(1);
  await expect(admin.getByRole("img", { name: "Daily page views by section" })).toBeVisible();
  await expect(admin.getByRole("img", { name: "Unique visitors per day" })).toBeVisible();
  await expect(admin.getByText(/salt that exists only in the server.s memory/)).toBeVisible();

  const html = await admin.content();
  expect(html).not.toContain("private-search-words");
  expect(html).not.toContain("4242");
  expect(html).not.toMatch(/127\.0\.0\.1|::ffff:/);
  await admin.screenshot({ path: "/tmp/admin-traffic.png", fullPage: true });
  await adminContext.close();
});
