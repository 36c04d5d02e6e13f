import { expect, test } from "@playwright/test";
import { newMember, signUp } from "./helpers";

test("text typed before the page's scripts have loaded is kept", async ({ page }) => {
  await signUp(page, newMember("early"));
  let release = () => {};
  const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/assets\/.+\.js$/, async (route) => {
    await scriptsHeld;
    await route.continue();
  });
  await page.goto("/b/python-help/new", { waitUntil: "domcontentloaded" });
  await page.getByLabel("Title").fill("Typed on a slow connection");
  release();
  await page.waitForLoadState("networkidle");
  // Typing now re-renders the form: the live preview proves the scripts run.
  await page.getByLabel("Message (Markdown)").fill("Typed once the page was ready.");
  await expect(page.getByRole("region", { name: "Preview" })).toContainText("Typed once the page was ready.");
  await expect(page.getByLabel("Title")).toHaveValue("Typed on a slow connection");
});
