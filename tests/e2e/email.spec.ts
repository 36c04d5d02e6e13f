import fs from "node:fs";
import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { logIn, newMember, signUp } from "./helpers";

// With no SMTP_URL, mail is kept in the outbox: an admin reads the link there,
// as the operator of a fresh install would.

async function linkFromOutbox(admin: Page, email: string, subject: RegExp): Promise<string> {
  await admin.goto("/admin/outbox");
  const row = admin.getByRole("row").filter({ hasText: email }).filter({ hasText: subject }).first();
  await row.getByRole("link").click();
  await expect(admin.getByRole("heading", { name: subject })).toBeVisible();
  const body = await admin.getByTestId("mail-body").textContent();
  const link = /https?:\/\/\S+\?token=[A-Za-z0-9_-]+/.exec(body ?? "")?.[0];
  expect(link, "the mail holds a one-time link").toBeTruthy();
  return new URL(link!).pathname + new URL(link!).search;
}

test("sign up, confirm the address from the outbox, reset the password and log in with it", async ({ page, browser }) => {
  const member = newMember("mail");
  await signUp(page, member);
  const notice = page.getByRole("complementary", { name: "Email verification" });
  await expect(notice).toContainText("Please confirm your email address");

  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await logIn(admin, "ada", "threadline-admin-demo");

  // A member may not read the outbox.
  const forbidden = await page.goto("/admin/outbox");
  expect(forbidden?.status()).toBe(403);

  const verifyPath = await linkFromOutbox(admin, member.email, /Confirm your email address/);
  expect(verifyPath).toMatch(/^\/verify-email\?token=/);
  await page.goto(verifyPath);
  // Opening the link verifies nothing until the button is pressed.
  await page.getByRole("button", { name: "Confirm my address" }).click();
  await expect(page.getByRole("status")).toHaveText("Your email address is verified. Thank you!");
  await page.goto("/settings");
  await expect(page.getByText("Verified", { exact: true })).toBeVisible();
  await expect(page.getByRole("complementary", { name: "Email verification" })).toHaveCount(0);

  // The same link does not work twice.
  await page.goto(verifyPath);
  await expect(page.getByRole("alert")).toContainText("This link is not valid");

  // Forgot password, from another browser.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await other.goto("/login");
  await other.getByRole("link", { name: "Forgot your password?" }).click();
  await other.getByLabel("Email").fill(member.email);
  await other.getByRole("button", { name: "Send the link" }).click();
  await expect(other.getByRole("status")).toContainText("If an account uses that address");

  const resetPath = await linkFromOutbox(admin, member.email, /Reset your Threadline password/);
  expect(resetPath).toMatch(/^\/reset-password\?token=/);
  await other.goto(resetPath);
  const newPassword = "a freshly reset end-to-end passphrase";
  await other.getByLabel("New password").fill(newPassword);
  await other.getByRole("button", { name: "Set the new password" }).click();
  await expect(other).toHaveURL(/\/login\?reset=done$/);
  await expect(other.getByRole("status")).toContainText("Your password was changed");

  await logIn(other, member.username, newPassword);
  await expect(other.getByLabel(`Account menu for ${member.username}`)).toBeVisible();

  // The reset ended the session the member had before.
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fsettings/);

  // And the reset link is used up.
  await other.goto(resetPath);
  await expect(other.getByRole("alert")).toContainText("This link is not valid");

  // Neither the address nor a link's token reaches the server log.
  const log = fs.readFileSync(path.join(process.env.E2E_DATA_DIR!, "server.log"), "utf8");
  expect(log).toContain('"path":"/reset-password"');
  expect(log).not.toContain(member.email);
  for (const link of [verifyPath, resetPath]) expect(log).not.toContain(new URL(link, "http://x").searchParams.get("token")!);

  await adminContext.close();
  await otherContext.close();
});

test("one-click unsubscribe reaches the page without an Origin header, as mail programs send it", async ({ request }) => {
  // The same-origin check still refuses other posts without an Origin...
  const other = await request.post("/forgot-password", { form: { email: "x@example.org" }, headers: { origin: "" } });
  expect(other.status()).toBe(403);
  // ...but the unsubscribe link's own key decides here: a forged one is refused by the page.
  const forged = await request.post("/unsubscribe?u=1&k=reply&t=forged", { form: { "List-Unsubscribe": "One-Click" }, headers: { origin: "" } });
  expect(forged.status()).toBe(400);
  expect(await forged.text()).toContain("This unsubscribe link is not valid");
});
