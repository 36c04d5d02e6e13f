import { expect, test } from "@playwright/test";
import { logIn, newMember, signUp } from "./helpers";

test("a member signs out another browser from the session list", async ({ browser }) => {
  const member = newMember();
  const laptop = await browser.newContext();
  const phone = await browser.newContext();
  const laptopPage = await laptop.newPage();
  const phonePage = await phone.newPage();

  await signUp(laptopPage, member);
  await logIn(phonePage, member.username, member.password);
  await expect(phonePage.getByLabel(`Account menu for ${member.username}`)).toBeVisible();

  await laptopPage.goto("/settings/sessions");
  const sessions = laptopPage.getByRole("list", { name: "Sessions" }).getByRole("listitem");
  await expect(sessions).toHaveCount(2);
  await expect(sessions.filter({ hasText: "This browser" })).toHaveCount(1);
  await sessions.filter({ hasNotText: "This browser" }).getByRole("button", { name: /Sign out/ }).click();
  await expect(laptopPage.getByRole("status")).toHaveText("The session was signed out.");
  await expect(sessions).toHaveCount(1);

  // The other browser is now logged out, and its stale cookie is cleared.
  const response = await phonePage.goto("/settings");
  await expect(phonePage).toHaveURL(/\/login/);
  expect(response).not.toBeNull();
  expect((await phone.cookies()).find((c) => c.name === "threadline_session")).toBeUndefined();

  // The laptop is still logged in.
  await laptopPage.goto("/settings");
  await expect(laptopPage.getByRole("heading", { name: "Account" })).toBeVisible();
  await laptop.close();
  await phone.close();
});

test("sign out of all other sessions", async ({ browser }) => {
  const member = newMember();
  const contexts = await Promise.all([browser.newContext(), browser.newContext(), browser.newContext()]);
  const [main, ...others] = await Promise.all(contexts.map((c) => c.newPage()));
  await signUp(main!, member);
  for (const page of others) await logIn(page, member.username, member.password);
  await main!.goto("/settings/sessions");
  await main!.getByRole("button", { name: "Sign out of all other sessions" }).click();
  await expect(main!.getByRole("status")).toHaveText("2 other sessions were signed out.");
  for (const page of others) {
    await page.goto("/settings");
    await expect(page).toHaveURL(/\/login/);
  }
  await Promise.all(contexts.map((c) => c.close()));
});
