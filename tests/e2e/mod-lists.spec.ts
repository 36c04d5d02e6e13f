import { expect, test } from "@playwright/test";
import { logIn, newMember, signUp } from "./helpers";

const MODERATOR = { username: "grace", password: "threadline-moderator-demo" };

test("a moderator creates a list through the form, fixes a bad field, publishes it and readers see it", async ({ page, browser }) => {
  const slug = `e2e-${Date.now().toString(36)}`;
  const name = `E2E list ${slug}`;
  await logIn(page, MODERATOR.username, MODERATOR.password);
  await page.goto("/mod");
  await page.getByRole("link", { name: "Archived lists" }).click();
  await expect(page).toHaveURL(/\/mod\/lists$/);
  await page.getByRole("link", { name: "New list" }).click();
  await expect(page.getByRole("heading", { name: "New list" })).toBeVisible();
  // The default ownership notice is shown as a hint, and the password field asks for a variable NAME.
  await expect(page.getByText(/Leave it empty to use the default: .*does not own or control the list/)).toBeVisible();
  await expect(page.getByText(/Never type the password itself here/)).toBeVisible();

  await page.getByLabel("Slug", { exact: true }).fill(slug);
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Description", { exact: true }).fill("A list made by the end-to-end tests.");
  await page.getByLabel("Host name", { exact: true }).fill("Example Lists");
  await page.getByLabel("Host URL", { exact: true }).fill("lists.example.net");
  await page.getByRole("button", { name: "Create list" }).click();

  const hostUrl = page.getByLabel("Host URL", { exact: true });
  await expect(hostUrl).toHaveAttribute("aria-invalid", "true");
  await expect(hostUrl).toBeFocused();
  await expect(page.getByText("The host URL must be a full http:// or https:// address.")).toBeVisible();
  await expect(page).toHaveURL(/\/mod\/lists\/new$/);
  // What was typed is kept.
  await expect(page.getByLabel("Slug", { exact: true })).toHaveValue(slug);
  await expect(page.getByLabel("Name", { exact: true })).not.toHaveAttribute("aria-invalid", "true");

  await hostUrl.fill("https://lists.example.net/");
  await page.getByRole("button", { name: "Create list" }).click();
  await expect(page).toHaveURL(new RegExp(`/mod/lists/${slug}$`));
  await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
  await expect(page.getByTestId("list-visibility")).toHaveText("Hidden");

  // Hidden lists are not shown to readers.
  const readerContext = await browser.newContext();
  const reader = await readerContext.newPage();
  const member = newMember("listreader");
  await signUp(reader, member);
  await reader.goto("/lists");
  await expect(reader.getByRole("link", { name })).toHaveCount(0);
  const forbidden = await reader.goto("/mod/lists");
  expect(forbidden?.status()).toBe(403);

  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByRole("status")).toContainText("The list is now public.");
  await expect(page.getByTestId("list-visibility")).toHaveText("Public");

  await page.goto("/mod/lists");
  await expect(page.getByTestId("mod-list-row").filter({ hasText: slug })).toContainText("Public");
  await page.goto("/lists");
  await expect(page.getByRole("link", { name })).toBeVisible();

  await reader.goto("/lists");
  await expect(reader.getByRole("link", { name })).toBeVisible();
  await readerContext.close();
});
