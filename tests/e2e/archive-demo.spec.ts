import { expect, test } from "@playwright/test";

// The demo archive that `npm start` imports from prisma/demo/.
test("the demo list is browsable from /lists and says who owns it", async ({ page }) => {
  await page.goto("/lists");
  await page.getByRole("link", { name: "ImageMagick users (magick@)" }).click();
  await expect(page).toHaveURL(/\/lists\/magick$/);
  const notice = page.getByTestId("archive-ownership");
  await expect(notice).toContainText("ImageMagick Studio");
  await expect(notice).toContainText("does not own or control");
  const api = await (await page.request.get("/api/lists/magick")).json();
  expect(api.list.messageCount).toBe(45);
  expect(api.list.threadCount).toBeGreaterThan(10);
});
