import { expect, test } from "@playwright/test";

test("forum pages read well without JavaScript and cookies, with titles and canonical links", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto("/forums");
  await page.getByRole("link", { name: "Python help" }).click();
  await expect(page).toHaveTitle(/Python help · Threadline/);
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", "/b/python-help");
  await page.getByRole("link", { name: /large CSV file/ }).click();
  await expect(page.locator('link[rel="canonical"]')).toHaveAttribute("href", /^\/t\/\d+\/how-do-i-read-a-large-csv-file/);
  await expect(page.locator('meta[name="description"]')).toHaveAttribute("content", /6 GB CSV/);
  expect(await context.cookies()).toEqual([]);
  await context.close();
});

test("old slugs and post permalinks redirect to the current URL", async ({ page }) => {
  await page.goto("/t/2/an-outdated-slug");
  await expect(page).toHaveURL(/\/t\/2\/how-do-i-read-a-large-csv-file-without-running-out-of-memory$/);
  await page.goto("/t/2/whatever/3");
  await expect(page).toHaveURL(/\/t\/2\/how-do-i-read-a-large-csv-file-without-running-out-of-memory#post-3$/);
  await expect(page.locator("#post-3")).toBeVisible();
});

test("feeds and JSON twins", async ({ request }) => {
  const feed = await request.get("/b/python-help/feed.atom");
  expect(feed.headers()["content-type"]).toContain("application/atom+xml");
  expect(await feed.text()).toContain("<title>How do I read a large CSV file without running out of memory?</title>");
  const topicFeed = await request.get("/t/2/feed.atom");
  expect(await topicFeed.text()).toContain("chunksize");

  const forums = await (await request.get("/api/forums")).json();
  expect(forums.forums.map((f: { slug: string }) => f.slug)).toEqual(expect.arrayContaining(["python", "perl", "tcl"]));
  const topics = await (await request.get("/api/boards/python-help/topics?page=999")).json();
  expect(topics.page).toBe(topics.lastPage);
  expect(topics.topics[0]).toMatchObject({ pinned: true, title: "Welcome to the Python help board" });
  const topic = await (await request.get("/api/topics/2")).json();
  expect(topic.posts.map((p: { number: number }) => p.number).slice(0, 3)).toEqual([1, 2, 3]);
  expect((await request.get("/api/topics/999999")).status()).toBe(404);
});
