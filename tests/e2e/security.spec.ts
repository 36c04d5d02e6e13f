import { expect, test } from "@playwright/test";
import { newMember, signUp } from "./helpers";

test("reading the portal never sets a cookie", async ({ page, context }) => {
  const setCookies: string[] = [];
  page.on("response", async (response) => {
    const header = await response.headerValue("set-cookie");
    if (header) setCookies.push(`${response.url()}: ${header}`);
  });
  for (const path of ["/", "/forums", "/b/python-help", "/t/2/x", "/lists", "/lists/magick", "/mid/not-a-real-id@example.org", "/chat", "/search?q=python", "/privacy", "/login", "/signup", "/u/ada", "/no-such-page"]) {
    await page.goto(path);
  }
  await page.getByRole("link", { name: "Forums" }).first().click();
  expect(setCookies).toEqual([]);
  expect(await context.cookies()).toEqual([]);
});

test("a forged session cookie means logged out, is cleared, and never errors", async ({ browser, baseURL }) => {
  const url = new URL(baseURL!);
  for (const value of ["garbage", `${"a".repeat(24)}.${"b".repeat(32)}`, "%00%ff", "x".repeat(4000)]) {
    // A fresh browser for each value, so one answer's cookie handling cannot affect the next.
    const context = await browser.newContext();
    const page = await context.newPage();
    await context.addCookies([{ name: "threadline_session", value, domain: url.hostname, path: "/" }]);
    const response = await page.goto("/");
    expect(response!.status()).toBe(200);
    expect(await response!.headerValue("set-cookie"), `Set-Cookie for ${value.slice(0, 20)}`).toMatch(/threadline_session=;.*Max-Age=0/);
    await expect(page.getByRole("link", { name: "Log in" })).toBeVisible();
    expect(await context.cookies()).toEqual([]);
    await context.close();
  }
});

test("pages carry an enforced, nonce-based Content-Security-Policy", async ({ page }) => {
  const response = await page.goto("/");
  const csp = await response!.headerValue("content-security-policy");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  expect(csp).not.toContain("unsafe-inline");
  expect(csp).not.toContain("unsafe-eval");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(await response!.headerValue("content-security-policy-report-only")).toBeNull();
  // Every inline script carries this response's nonce.
  const nonce = /'nonce-([^']+)'/.exec(csp!)![1];
  const scripts = await page.locator("script:not([src])").evaluateAll((els) => els.map((el) => (el as HTMLScriptElement).nonce));
  expect(scripts.length).toBeGreaterThan(0);
  for (const value of scripts) expect(value).toBe(nonce);
});

test("state-changing requests from other sites are refused", async ({ request, baseURL }) => {
  const crossSite = await request.post("/logout", { headers: { Origin: "http://evil.example" } });
  expect(crossSite.status()).toBe(403);
  const noOrigin = await request.post("/login", { form: { identifier: "ada", password: "x" } });
  expect(noOrigin.status()).toBe(403);
  const sameSite = await request.post("/login", {
    headers: { Origin: new URL(baseURL!).origin },
    form: { identifier: "ada", password: "wrong password here" },
  });
  expect(sameSite.status()).not.toBe(403);
});

test("log-in only redirects to paths on this site", async ({ page }) => {
  const member = newMember();
  await signUp(page, member);
  await page.context().clearCookies();
  for (const target of ["//evil.example", "/\\evil.example", "javascript:alert(1)", "%2F%2Fevil.example", "https://evil.example"]) {
    await page.goto(`/login?redirectTo=${encodeURIComponent(target)}`);
    await page.getByLabel("Username or email").fill(member.username);
    await page.getByLabel("Password").fill(member.password);
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    await page.context().clearCookies();
  }
});

test("unknown pages and errors are friendly, without stack traces", async ({ page }) => {
  const missing = await page.goto("/b/no-such-board");
  expect(missing!.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  const topic = await page.goto("/t/999999999/x");
  expect(topic!.status()).toBe(404);
  const body = await page.content();
  expect(body).not.toMatch(/at .*\.(ts|js):\d+/);
});

test("a moderator-only page refuses members with 403", async ({ page }) => {
  await signUp(page, newMember());
  const response = await page.goto("/mod");
  expect(response!.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
});
