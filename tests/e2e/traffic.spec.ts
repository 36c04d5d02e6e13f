import { expect, test } from "@playwright/test";
import { logIn, newMember, signUp } from "./helpers";

// The server flushes its traffic counters every second here
// (TRAFFIC_FLUSH_SECONDS in playwright.config.ts).
test("a visitor's page views reach the admins' traffic page, without query strings or addresses", async ({ browser }) => {
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

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await logIn(admin, "ada", "threadline-admin-demo");
  await admin.getByLabel("Account menu for ada").click();
  await admin.getByRole("link", { name: "Traffic" }).click();
  await expect(admin.getByRole("heading", { name: "Traffic", level: 1 })).toBeVisible();

  const topPages = admin.getByRole("table", { name: "Most viewed pages" });
  await expect(async () => {
    await admin.goto("/admin/traffic?days=7");
    await expect(topPages.getByRole("row", { name: /^\/forums \d+$/ })).toBeVisible({ timeout: 500 });
    await expect(topPages.getByRole("row", { name: /^\/search \d+$/ })).toBeVisible({ timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(admin.getByRole("link", { name: "Last 7 days" })).toHaveAttribute("aria-current", "page");
  await expect(admin.getByRole("table", { name: "Other sites that visitors came from" }).getByRole("row", { name: /^news\.example\.com \d+$/ })).toBeVisible();

  // Today's figures are non-zero in the chart's table twin, and both charts describe themselves.
  await admin.getByText("Page views as a table").click();
  const today = new Date().toISOString().slice(0, 10);
  const todayRow = admin.getByRole("table", { name: "Page views per day and section" }).getByRole("row", { name: new RegExp(`^${today}`) });
  const totalToday = Number((await todayRow.getByRole("cell").last().textContent())?.replace(/,/g, ""));
  expect(totalToday).toBeGreaterThanOrEqual(4);
  await admin.getByText("Visitors as a table").click();
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
