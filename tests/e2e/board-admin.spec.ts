import { expect, test, type Page } from "@playwright/test";
import { logIn, newMember, signUp, startTopic } from "./helpers";

const stamp = Date.now().toString(36);
const forum = { slug: `e2e-forum-${stamp}`, name: `Forum ${stamp}` };
const boardA = { slug: `e2e-a-${stamp}`, name: `Alpha ${stamp}` };
const boardB = { slug: `e2e-b-${stamp}`, name: `Beta ${stamp}` };

async function fillNameForm(page: Page, formName: string, values: { slug?: string; name: string; description?: string }, button: string) {
  const form = page.getByRole("form", { name: formName });
  if (values.slug) await form.getByLabel("Address").fill(values.slug);
  await form.getByLabel("Name").fill(values.name);
  if (values.description) await form.getByLabel("Description").fill(values.description);
  await form.getByRole("button", { name: button }).click();
}


test("an admin builds and reorders boards, and a board moderator hides posts in their board only", async ({ page, browser }) => {
  // Three people and a dozen pages: longer than the default 30 seconds on a busy machine.
  test.setTimeout(60_000);
  await logIn(page, "ada", "threadline-admin-demo");
  await page.goto("/mod");
  await page.getByRole("link", { name: "Forums and boards" }).click();
  await fillNameForm(page, "New forum", { slug: forum.slug, name: forum.name, description: "Made by the end-to-end test" }, "Create forum");
  await expect(page.getByRole("status")).toHaveText(`Forum “${forum.name}” created.`);
  const forumCard = page.getByRole("region", { name: `Forum ${forum.name}` });
  for (const board of [boardA, boardB]) {
    // The section stays open after the first board is added.
    if (!(await page.getByRole("form", { name: `New board in ${forum.name}` }).isVisible())) await forumCard.getByText(`Add a board to ${forum.name}`).click();
    await fillNameForm(page, `New board in ${forum.name}`, board, "Create board");
    await expect(page.getByRole("status")).toHaveText(`Board “${board.name}” created.`);
  }

  // Reorder: Beta moves above Alpha, and the forum index follows.
  await page.getByRole("button", { name: `Move board ${boardB.name} up` }).click();
  await expect(page.getByRole("status")).toHaveText("Board moved up.");
  await page.goto("/forums");
  const section = page.getByRole("region", { name: forum.name });
  await expect(section.getByRole("link")).toHaveText([boardB.name, boardA.name]);

  // An author posts in both boards.
  const authorContext = await browser.newContext();
  const author = await authorContext.newPage();
  await signUp(author, newMember("author"));
  const inA = await startTopic(author, `Topic in Alpha ${stamp}`, "Some words for the Alpha board.", boardA.slug);
  const inB = await startTopic(author, `Topic in Beta ${stamp}`, "Some words for the Beta board.", boardB.slug);
  await authorContext.close();

  // The admin makes a member the moderator of Alpha.
  const boardMod = newMember("boardmod");
  const modContext = await browser.newContext();
  const mod = await modContext.newPage();
  await signUp(mod, boardMod);
  await page.goto("/mod/boards");
  await page.getByRole("listitem", { name: `Board ${boardA.name}` }).getByText("Rename, describe and moderators").click();
  const assign = page.getByRole("form", { name: `Add a moderator to ${boardA.name}` });
  await assign.getByLabel("Username").fill(boardMod.username);
  await assign.getByLabel("Reason").fill("knows this topic well");
  await assign.getByRole("button", { name: "Add moderator" }).click();
  await expect(page.getByRole("status")).toHaveText(`${boardMod.username} now moderates this board.`);

  // The board moderator hides a post in Alpha…
  await mod.goto(inA);
  await mod.getByPlaceholder("Reason", { exact: true }).fill("off topic");
  await mod.getByRole("button", { name: "Hide", exact: true }).click();
  await expect(mod.getByText("Hidden by moderators: off topic.")).toBeVisible();
  // …but has no moderation controls in Beta, and the server refuses a forged request.
  await mod.goto(inB);
  await expect(mod.getByRole("heading", { name: `Topic in Beta ${stamp}`, exact: true })).toBeVisible();
  await expect(mod.getByRole("button", { name: "Hide", exact: true })).toHaveCount(0);
  await expect(mod.getByRole("region", { name: "Moderation" })).toHaveCount(0);
  const postId = await mod.locator("form[action^='/p/']").first().getAttribute("action");
  const origin = new URL(inB).origin;
  const forged = await mod.request.post(`${postId}`, { form: { intent: "hide", reason: "not mine" }, headers: { Origin: origin }, maxRedirects: 0 });
  expect(forged.status()).toBe(403);
  await mod.getByLabel(`Account menu for ${boardMod.username}`).click();
  await mod.getByRole("link", { name: "Moderation" }).click();
  await expect(mod.getByText(`You moderate ${boardA.name}`)).toBeVisible();
  await modContext.close();

  // The audit log has the assignment and the hide.
  await page.goto("/mod/log");
  await expect(page.getByRole("cell", { name: "board.moderator-add" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "post.hide" }).first()).toBeVisible();
});
