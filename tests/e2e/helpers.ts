import { expect, type Page } from "@playwright/test";

let counter = 0;

/** A unique, valid new member for one test. */
export function newMember(prefix = "e2e") {
  counter += 1;
  const username = `${prefix}${Date.now().toString(36)}${counter}`;
  return { username, email: `${username}@example.org`, password: "an end-to-end passphrase" };
}

export async function signUp(page: Page, member: { username: string; email: string; password: string }) {
  await page.goto("/signup");
  await page.getByLabel("Username").fill(member.username);
  await page.getByLabel("Email").fill(member.email);
  await page.getByLabel("Password").fill(member.password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: member.username })).toBeVisible();
}

export async function logIn(page: Page, identifier: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Username or email").fill(identifier);
  await page.getByLabel("Password").fill(password);
  // Wait for the answer to the log-in itself, so the session cookie is set
  // before the caller navigates on.
  await Promise.all([
    page.waitForResponse((response) => response.request().method() === "POST" && new URL(response.url()).pathname.startsWith("/login")),
    page.getByRole("button", { name: "Log in" }).click(),
  ]);
  await page.waitForLoadState();
}

export async function logOut(page: Page, username: string) {
  await page.getByLabel(`Account menu for ${username}`).click();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
}

/** Starts a topic as the logged-in member (acknowledging that posts are public when asked) and returns its address. */
export async function startTopic(page: Page, title: string, body: string, boardSlug = "python-help") {
  await page.goto(`/b/${boardSlug}/new`);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Message (Markdown)").fill(body);
  const ack = page.getByLabel(/I understand that what I post here is public/);
  if (await ack.count()) await ack.check();
  await page.getByRole("button", { name: "Create topic" }).click();
  await expect(page.getByRole("heading", { name: title, exact: true })).toBeVisible();
  return page.url();
}
