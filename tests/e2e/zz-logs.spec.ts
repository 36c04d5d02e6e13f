import fs from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { logIn, newMember, signUp } from "./helpers";

// Runs last (file order): the server's log of the whole run must hold no
// email address, client address, cookie or session token.
test("server logs hold no personal data", async ({ page, context }) => {
  const member = newMember("logcheck");
  await signUp(page, member);
  const token = (await context.cookies()).find((c) => c.name === "threadline_session")!.value;
  await page.context().clearCookies();
  await logIn(page, member.email, "a wrong passphrase for the log test");
  await page.goto(`/search?q=${encodeURIComponent(member.email)}`);

  const logFile = path.join(process.env.E2E_DATA_DIR!, "server.log");
  await expect.poll(() => fs.readFileSync(logFile, "utf8")).toContain("/search");
  const log = fs.readFileSync(logFile, "utf8");
  expect(log).toContain('"path":"/signup"');
  expect(log).not.toContain(member.email);
  expect(log).not.toContain(token);
  expect(log).not.toContain(token.split(".")[1]!);
  expect(log).not.toMatch(/127\.0\.0\.1|::1|::ffff:/);
  expect(log.toLowerCase()).not.toContain("cookie");
  expect(log).not.toContain(member.password);
});
