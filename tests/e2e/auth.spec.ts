import { expect, test } from "@playwright/test";
import { logIn, logOut, newMember, signUp } from "./helpers";

test("a newcomer signs up, logs out and logs back in", async ({ page }) => {
  const member = newMember();
  await signUp(page, member);
  await expect(page).toHaveURL(new RegExp(`/u/${member.username}$`));
  await expect(page.getByLabel(`Account menu for ${member.username}`)).toBeVisible();

  await logOut(page, member.username);
  await logIn(page, member.email, member.password);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByLabel(`Account menu for ${member.username}`)).toBeVisible();
});

test("sign-up shows field errors and never echoes the password", async ({ page }) => {
  const actionBodies: string[] = [];
  page.on("response", async (response) => {
    if (response.request().method() === "POST") actionBodies.push(await response.text());
  });
  await page.goto("/signup");
  await page.getByLabel("Username").fill("x");
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("password1");
  await page.getByRole("button", { name: "Create account" }).click();
  const username = page.getByLabel("Username");
  await expect(username).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByText("Usernames have at least 3 characters.")).toBeVisible();
  await expect(page.getByText(/valid email address/)).toBeVisible();
  expect(actionBodies.length).toBeGreaterThan(0);
  for (const body of actionBodies) expect(body).not.toContain("password1");

  // A valid form with a common password: the reason is given.
  const member = newMember();
  await page.getByLabel("Username").fill(member.username);
  await page.getByLabel("Email").fill(member.email);
  await page.getByLabel("Password").fill("password1");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText(/one of the most common passwords/)).toBeVisible();
});

test("a wrong password is refused with the same message as an unknown account", async ({ page }) => {
  const member = newMember();
  await signUp(page, member);
  await logOut(page, member.username);

  await logIn(page, member.username, "definitely the wrong passphrase");
  const alert = page.getByRole("alert");
  await expect(alert).toHaveText("That username or email and password do not match an account.");

  await logIn(page, "no-such-member-anywhere", "definitely the wrong passphrase");
  await expect(page.getByRole("alert")).toHaveText("That username or email and password do not match an account.");
});

test("changing the password keeps this session and works for the next log-in", async ({ page }) => {
  const member = newMember();
  await signUp(page, member);
  await page.goto("/settings");
  await page.getByLabel("Current password").fill(member.password);
  await page.getByLabel("New password").fill("a newer end-to-end passphrase");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByRole("status")).toContainText("Your password was changed");
  await logOut(page, member.username);
  await logIn(page, member.username, "a newer end-to-end passphrase");
  await expect(page.getByLabel(`Account menu for ${member.username}`)).toBeVisible();
});

test("pages for members send visitors to log in and back", async ({ page }) => {
  await page.goto("/settings/sessions");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fsettings%2Fsessions/);
  const member = newMember();
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Username").fill(member.username);
  await page.getByLabel("Email").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/settings\/sessions$/);
  await expect(page.getByRole("heading", { name: "Active sessions" })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("forms still work and errors come back as a page without the password", async ({ page }) => {
    await page.goto("/signup");
    await page.getByLabel("Username").fill("ab");
    await page.getByLabel("Email").fill("nobody@example.org");
    await page.getByLabel("Password").fill("a secret nobody should see");
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "POST"),
      page.getByRole("button", { name: "Create account" }).click(),
    ]);
    expect(response.status()).toBe(400);
    await expect(page.getByText("Usernames have at least 3 characters.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue("nobody@example.org");
    await expect(page.getByLabel("Password")).toHaveValue("");
    expect(await page.content()).not.toContain("a secret nobody should see");

    const member = newMember("nojs");
    await signUp(page, member);
  });
});
