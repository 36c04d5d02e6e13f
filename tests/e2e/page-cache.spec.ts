import { expect, test } from "@playwright/test";
import { newMember, signUp } from "./helpers";

test("anonymous readers share a cached page, each with its own nonce", async ({ request }) => {
  await request.get("/forums");
  const first = await request.get("/forums");
  const second = await request.get("/forums");
  expect(second.headers()["x-cache"]).toBe("HIT");
  const nonceOf = (csp: string) => /'nonce-([^']+)'/.exec(csp)![1]!;
  const [a, b] = [nonceOf(first.headers()["content-security-policy"]!), nonceOf(second.headers()["content-security-policy"]!)];
  expect(a).not.toBe(b);
  expect(await second.text()).toContain(`nonce="${b}"`);
  expect(await second.text()).not.toContain(`nonce="${a}"`);
});

test("members are never served from the cache, and a new post shows at once", async ({ page, browser }) => {
  const anonymous = await browser.newContext();
  const reader = await anonymous.newPage();
  await reader.goto("/b/tcl-general");
  await reader.goto("/b/tcl-general");

  await signUp(page, newMember("cachebust"));
  const response = await page.goto("/b/tcl-general");
  expect(response!.headers()["x-cache"]).toBeUndefined();
  const title = `Fresh topic ${Date.now()}`;
  await page.getByRole("link", { name: "New topic" }).click();
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Message (Markdown)").fill("Is the cache cleared?");
  await page.getByLabel(/I understand that what I post here is public/).check();
  await page.getByRole("button", { name: "Create topic" }).click();
  await expect(page.getByRole("heading", { name: title })).toBeVisible();

  await reader.goto("/b/tcl-general");
  await expect(reader.getByRole("link", { name: title })).toBeVisible();
  await anonymous.close();
});
