import { expect, test } from "@playwright/test";
import { newMember, signUp } from "./helpers";

test("a visitor searches from the header: matches while typing, then the full results with filters", async ({ page }) => {
  await page.goto("/lists");
  const box = page.getByRole("searchbox", { name: "Search Threadline" });
  await box.pressSequentially("conver", { delay: 30 });
  const suggestions = page.getByRole("list", { name: "Best matches" });
  await expect(suggestions).toBeVisible();
  await expect(suggestions.locator("mark").first()).toHaveText(/conver/i);
  await box.press("Enter");

  await expect(page).toHaveURL(/\/search\?q=conver/);
  const results = page.getByTestId("search-result");
  await expect(results.first()).toBeVisible();
  // Every archived result names its list and says who hosts it.
  await expect(results.first()).toContainText("hosted by ImageMagick Studio, not by Threadline");
  await expect(page.getByRole("region", { name: "About archived lists" })).toContainText("does not own or control");

  await page.getByRole("region", { name: "Kind" }).getByRole("link", { name: /Mailing lists/ }).click();
  await expect(page).toHaveURL(/in%3Alists|in:lists/);
  await expect(page.getByRole("region", { name: "Kind" }).getByRole("link", { name: /Mailing lists/ })).toHaveAttribute("aria-current", "true");
  await page.getByRole("region", { name: "Where" }).getByRole("link", { name: /ImageMagick users/ }).click();
  await expect(page).toHaveURL(/list%3Amagick|list:magick/);
  const firstResult = page.getByTestId("search-result").first();
  await expect(firstResult).toContainText("ImageMagick users");
  await firstResult.getByRole("heading").getByRole("link").click();
  await expect(page).toHaveURL(/\/lists\/magick\/m\//);
  await expect(page.getByText(/does not own or control/).first()).toBeVisible();
  expect(await page.context().cookies()).toEqual([]);
});

test("the search page updates as you type on it", async ({ page }) => {
  await page.goto("/search");
  await page.getByLabel("Search for").pressSequentially("pand", { delay: 30 });
  await expect(page.getByTestId("search-result").first()).toContainText(/pandas/i);
  await expect(page).toHaveURL(/q=pand/);
});

test("a new forum post becomes searchable within seconds", async ({ page }) => {
  const member = newMember("searcher");
  await signUp(page, member);
  await page.goto("/b/python-help/new");
  const word = `xylophone${Date.now().toString(36)}`;
  await page.getByLabel("Title").fill(`Tuning a ${word}`);
  await page.getByLabel("Message (Markdown)").fill(`Has anyone tuned a ${word} with Python?`);
  await page.getByLabel(/I understand that what I post here is public/).check();
  await page.getByRole("button", { name: "Create topic" }).click();
  await expect(page.getByRole("heading", { name: `Tuning a ${word}` })).toBeVisible();

  await expect(async () => {
    await page.goto(`/search?q=${word}`);
    await expect(page.getByTestId("search-result")).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByTestId("search-result")).toContainText(member.username);
});

test("a result opens its post, with the match highlighted and no markup from the post leaking in", async ({ page }) => {
  const member = newMember("marker");
  await signUp(page, member);
  await page.goto("/b/python-help/new");
  const word = `quokka${Date.now().toString(36)}`;
  await page.getByLabel("Title").fill(`About the ${word} <b>bold</b> title`);
  await page.getByLabel("Message (Markdown)").fill(`The ${word} says <img src=x onerror="document.title='owned'"> <script>document.title='owned'</script> hello`);
  await page.getByLabel(/I understand that what I post here is public/).check();
  await page.getByRole("button", { name: "Create topic" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(word) })).toBeVisible();

  await expect(async () => {
    await page.goto(`/search?q=${word}`);
    await expect(page.getByTestId("search-result")).toHaveCount(1, { timeout: 500 });
  }).toPass({ timeout: 15_000 });
  const result = page.getByTestId("search-result");
  await expect(result.locator("mark").first()).toHaveText(word);
  await expect(result.locator("img, script, b")).toHaveCount(0);
  await expect(result).toContainText("<b>bold</b>"); // shown as text
  expect(await page.title()).not.toBe("owned");
  await result.getByRole("link", { name: new RegExp(word) }).click();
  await expect(page).toHaveURL(/\/t\/\d+\/[^/#]+#post-1$/);
  await expect(page.getByRole("heading", { name: new RegExp(word) })).toBeVisible();
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the search form, results and filters work", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("searchbox", { name: "Search Threadline" }).fill("pandas");
    await page.getByRole("searchbox", { name: "Search Threadline" }).press("Enter");
    await expect(page).toHaveURL(/\/search\?q=pandas/);
    await expect(page.getByTestId("search-result").first()).toContainText(/pandas/i);
    await page.getByLabel("Order").selectOption("date");
    await page.getByRole("button", { name: "Search", exact: true }).click();
    await expect(page).toHaveURL(/sort=date/);
    await expect(page.getByTestId("search-result").first()).toBeVisible();
  });

  test("an archive search downloads as mbox and follows as Atom", async ({ page, request }) => {
    await page.goto("/search?q=convert+in:lists");
    const mboxHref = await page.getByRole("link", { name: "mbox" }).getAttribute("href");
    const mbox = await request.get(mboxHref!);
    expect(mbox.headers()["content-type"]).toBe("application/mbox");
    const text = await mbox.text();
    expect(text.startsWith("# Threadline archive search")).toBe(true);
    expect(text).toMatch(/^From /m);
    const feedHref = await page.getByRole("link", { name: "Atom feed" }).getAttribute("href");
    const feed = await request.get(feedHref!);
    expect(await feed.text()).toContain("hosted by ImageMagick Studio");
  });
});
