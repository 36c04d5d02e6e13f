import { expect, test, type Page } from "@playwright/test";

// Pages a reader visits, with what proves each one rendered.
const READING: Array<{ path: string; proof: RegExp }> = [
  { path: "/", proof: /Recent discussions/ },
  { path: "/forums", proof: /Forums/ },
  { path: "/b/python-help", proof: /Python help/ },
  { path: "/lists", proof: /Mailing-list archives/ },
  { path: "/lists/magick", proof: /ImageMagick/ },
  { path: "/chat", proof: /lobby/i },
  { path: "/chat/lobby", proof: /public/i },
  { path: "/search?q=convert", proof: /results?/ },
  { path: "/privacy", proof: /Privacy policy/ },
];

/** Follows the first link whose address starts with `prefix`, as a reader clicking it. */
async function openFirst(page: Page, prefix: string) {
  await page.locator(`main a[href^="${prefix}"]`).first().click();
  await page.waitForURL((url) => url.pathname.startsWith(prefix));
  await page.waitForLoadState("networkidle");
}

test("pages load nothing from other origins, scripts included", async ({ page, baseURL }) => {
  const origin = new URL(baseURL!).origin;
  const foreign: string[] = [];
  page.on("request", (request) => {
    const url = request.url();
    if (!url.startsWith(origin) && !url.startsWith("data:")) foreign.push(`${page.url()} → ${url}`);
  });
  for (const { path, proof } of READING) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await expect(page.locator("main")).toContainText(proof);
  }
  // A topic and an archived thread and message, reached the way a reader does.
  await page.goto("/b/python-help");
  await openFirst(page, "/t/");
  await page.goto("/lists/magick");
  await openFirst(page, "/lists/magick/thread/");
  await openFirst(page, "/lists/magick/m/");
  expect(foreign).toEqual([]);
});

test.describe("with cookies refused", () => {
  test.beforeEach(async ({ context }) => {
    // The browser keeps nothing: every Set-Cookie is dropped and scripts cannot set one.
    await context.route("**/*", async (route) => {
      // A live stream never ends, so it cannot be fetched whole; it sets no cookie either.
      if (route.request().headers()["accept"] === "text/event-stream") return route.continue();
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers["set-cookie"];
      await route.fulfill({ response, headers });
    });
    await context.addInitScript(() => {
      Object.defineProperty(document, "cookie", { get: () => "", set: () => {}, configurable: true });
    });
  });

  test("a reader reads forums, chat history, archives and search", async ({ page, context }) => {
    for (const { path, proof } of READING) {
      const response = await page.goto(path);
      expect(response?.status(), path).toBe(200);
      await expect(page.locator("main")).toContainText(proof);
    }
    await page.goto("/lists/magick");
    await openFirst(page, "/lists/magick/thread/");
    await expect(page.getByText(/does not own or control/).first()).toBeVisible();
    expect(await context.cookies()).toEqual([]);
  });

  test("the privacy page explains the one cookie and what refusing it costs", async ({ page }) => {
    await page.goto("/privacy#cookies");
    const section = page.locator("#cookies");
    await expect(section).toContainText("sets no cookies");
    await expect(section).toContainText("one cookie that keeps you logged in");
    await expect(section).toContainText("cannot log in");
  });
});
