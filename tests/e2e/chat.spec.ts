import net from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { logIn, newMember, signUp } from "./helpers";

const MODERATOR = { username: "grace", password: "threadline-moderator-demo" };

/** Creates a fresh room as the demo moderator, so tests never share history. */
async function createRoom(page: Page, prefix: string) {
  await logIn(page, MODERATOR.username, MODERATOR.password);
  const slug = `${prefix}-${Date.now().toString(36)}`;
  await page.goto("/chat/new");
  await page.getByLabel("Address").fill(slug);
  await page.getByLabel("Name").fill(`Room ${slug}`);
  await page.getByRole("button", { name: "Create room" }).click();
  await expect(page.getByRole("heading", { name: new RegExp(`#${slug}`) })).toBeVisible();
  return slug;
}

/** Sends a message, giving the one-time acknowledgement that posts are public when it is asked for. */
async function send(page: Page, text: string) {
  await page.getByLabel("Message", { exact: true }).fill(text);
  const acknowledgement = page.getByLabel(/I understand that what I post here is public/);
  if (await acknowledgement.count()) await acknowledgement.check();
  await page.getByRole("button", { name: "Send", exact: true }).click();
}

/**
 * A plain TCP relay in front of the server, standing in for the network
 * between one browser and the site: taking it "offline" cuts every open
 * connection (the live stream too) and refuses new ones until it is back.
 */
async function flakyNetwork(target: string) {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  let online = true;
  const server = net.createServer((client) => {
    if (!online) return client.destroy();
    const upstream = net.connect(Number(port), hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on("error", () => socket.destroy());
      socket.on("close", () => {
        sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    setOnline(value: boolean) {
      online = value;
      if (!value) for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
}

const bodies = (page: Page) => page.locator("[data-message-id] .prose-chat").allInnerTexts();

test("a member's message appears live for an anonymous reader, who has no cookie", async ({ page, browser }) => {
  const slug = await createRoom(page, "live");
  await page.goto("/chat");
  const reader = await browser.newContext();
  const readerPage = await reader.newPage();
  await readerPage.goto(`/chat/${slug}`);
  await expect(readerPage.getByTestId("room-public-notice")).toContainText("This room is public");
  await expect(readerPage.getByRole("region", { name: "Post a message" }).getByRole("link", { name: "Log in" })).toBeVisible();
  await expect(readerPage.getByTestId("presence")).toContainText("1 here now");

  const member = newMember("chatter");
  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await signUp(memberPage, member);
  await memberPage.goto(`/chat/${slug}`);
  await expect(readerPage.getByTestId("presence")).toContainText("2 here now");
  await send(memberPage, "Hello **live** room");
  await expect(memberPage.locator("[data-message-id]").filter({ hasText: "Hello live room" })).toHaveCount(1);
  await expect(memberPage.getByLabel("Message", { exact: true })).toHaveValue("");

  const live = readerPage.locator("[data-message-id]").filter({ hasText: "Hello live room" });
  await expect(live).toHaveCount(1);
  await expect(live.locator("strong")).toHaveText("live");
  await expect(readerPage.getByRole("listitem", { name: `Messages by ${member.username}` })).toBeVisible();

  // The author fixes the message: the reader's open page shows the new text, marked as edited.
  await memberPage.getByLabel(new RegExp(`^Actions for message \\d+ by ${member.username}$`)).click();
  await memberPage.getByRole("link", { name: "Edit" }).click();
  // Typing before the page has hydrated could be reset by it.
  await memberPage.waitForLoadState("networkidle");
  await memberPage.getByLabel("Message (Markdown)").fill("Hello *edited* room");
  await expect(memberPage.getByLabel("Message (Markdown)")).toHaveValue("Hello *edited* room");
  await memberPage.getByRole("button", { name: "Save" }).click();
  await expect(memberPage.locator("[data-message-id]").filter({ hasText: "Hello edited room" })).toContainText("(edited)");
  const edited = readerPage.locator("[data-message-id]").filter({ hasText: "Hello edited room" });
  await expect(edited).toContainText("(edited)");
  await expect(readerPage.locator("[data-message-id]")).toHaveCount(1);
  expect(await reader.cookies()).toEqual([]);
  await memberContext.close();
  await expect(readerPage.getByTestId("presence")).toContainText("1 here now");
  await reader.close();
});

test("a reader whose connection drops gets every missed message once, in order, after reconnecting", async ({ page, browser, baseURL }) => {
  const slug = await createRoom(page, "resume");
  await send(page, "before the drop");
  const network = await flakyNetwork(baseURL!);
  const reader = await browser.newContext({ baseURL: network.url });
  const readerPage = await reader.newPage();
  const streams: (string | null)[] = [];
  readerPage.on("request", async (request) => {
    if (!request.url().includes("/events.stream")) return;
    // Where each connection resumes from: the browser's Last-Event-ID, or the page's own ?lastEventId=.
    streams.push((await request.allHeaders())["last-event-id"] ?? new URL(request.url()).searchParams.get("lastEventId"));
  });
  await readerPage.goto(`/chat/${slug}`);
  await expect(readerPage.getByTestId("presence")).toContainText("here now");
  await expect(readerPage.locator("[data-message-id]")).toHaveCount(1);
  const lastSeen = await readerPage.locator("[data-message-id]").getAttribute("data-message-id");

  await expect(page.getByTestId("presence")).toContainText("2 here now");
  network.setOnline(false);
  // The stream is gone: the moderator's page sees the reader leave.
  await expect(page.getByTestId("presence")).toContainText("1 here now");
  for (const [index, text] of ["missed one", "missed two", "missed three"].entries()) {
    await send(page, text);
    await expect(page.locator("[data-message-id]")).toHaveCount(index + 2);
  }
  await readerPage.waitForTimeout(500);
  expect(await bodies(readerPage)).toEqual(["before the drop"]);

  network.setOnline(true);
  await expect(readerPage.locator("[data-message-id]")).toHaveCount(4, { timeout: 15_000 });
  expect(await bodies(readerPage)).toEqual(["before the drop", "missed one", "missed two", "missed three"]);
  // It resumed from where it was, and live delivery goes on afterwards.
  expect(streams.length).toBeGreaterThanOrEqual(2);
  expect(streams.every((from) => from === lastSeen)).toBe(true);
  await send(page, "after the reconnect");
  await expect(readerPage.locator("[data-message-id]")).toHaveCount(5);
  expect(await bodies(readerPage)).toEqual(["before the drop", "missed one", "missed two", "missed three", "after the reconnect"]);
  await reader.close();
  await network.close();
});

test("the personal-data check warns before a chat message is sent, and sends only on confirmation", async ({ page }) => {
  const member = newMember("pii");
  await signUp(page, member);
  await page.goto("/chat/lobby");
  await page.getByLabel("Message", { exact: true }).fill("Call me on +44 20 7946 0958 or write to jane.roe@gmail.com");
  await page.getByLabel(/I understand that what I post here is public/).check();
  await page.getByRole("button", { name: "Send", exact: true }).click();
  const warning = page.getByRole("alert");
  await expect(warning).toContainText("looks like it contains personal data");
  await expect(warning.locator("mark").filter({ hasText: "jane.roe@gmail.com" })).toBeVisible();
  await expect(page.locator("[data-message-id]").filter({ hasText: "jane.roe@gmail.com" })).toHaveCount(0);
  await page.getByRole("button", { name: "Send anyway, I am sure" }).click();
  await expect(page.locator("[data-message-id]").filter({ hasText: "jane.roe@gmail.com" })).toHaveCount(1);
  await expect(page.getByRole("alert")).toHaveCount(0);
});

test("a muted member cannot post and sees until when", async ({ page, browser }) => {
  const slug = await createRoom(page, "mute");
  const member = newMember("muted");
  const memberContext = await browser.newContext();
  const memberPage = await memberContext.newPage();
  await signUp(memberPage, member);
  await memberPage.goto(`/chat/${slug}`);
  await send(memberPage, "something rude");
  await expect(memberPage.locator("[data-message-id]").filter({ hasText: "something rude" })).toHaveCount(1);

  await expect(page.locator("[data-message-id]").filter({ hasText: "something rude" })).toHaveCount(1);
  await page.getByLabel(new RegExp(`^Actions for message \\d+ by ${member.username}$`)).click();
  await page.getByLabel(`Mute ${member.username} in this room for`).selectOption("60");
  await page.getByLabel("Reason for the mute").fill("cool down");
  await page.getByRole("button", { name: "Mute member" }).click();
  await expect(page).toHaveURL(new RegExp(`/chat/${slug}`));

  // The open page learns of the mute when it next tries to post: the message is refused and the composer gives way to the notice.
  await send(memberPage, "still here?");
  const open = memberPage.getByRole("status").filter({ hasText: "You are muted in this room until" });
  await expect(open).toContainText("cool down");
  await memberPage.reload();
  const notice = memberPage.getByRole("status").filter({ hasText: "You are muted in this room until" });
  await expect(notice).toContainText("cool down");
  await expect(notice).toContainText("UTC");
  await expect(memberPage.getByLabel("Message", { exact: true })).toHaveCount(0);
  await expect(page.locator("[data-message-id]").filter({ hasText: "still here?" })).toHaveCount(0);

  // A moderator's removal reaches the member's open page with its reason.
  await page.getByLabel(new RegExp(`^Actions for message \\d+ by ${member.username}$`)).click();
  await page.getByLabel("Remove, with a reason readers see").fill("rude");
  await page.getByRole("button", { name: "Remove message" }).click();
  await expect(memberPage.getByText("Removed by moderators: rude.")).toBeVisible();
  await expect(memberPage.getByText("something rude")).toHaveCount(0);
  await memberContext.close();
});

test("load earlier brings older messages in place with JavaScript, and is a cursor link without it", async ({ page, browser }) => {
  const slug = await createRoom(page, "history");
  // 55 messages posted straight to the room's form handler, as the composer would without JavaScript.
  const statuses = await page.evaluate(async (room) => {
    const results: number[] = [];
    for (let i = 1; i <= 55; i++) {
      const body = new URLSearchParams({ body: `history ${i}`, acknowledgePublic: "yes" });
      results.push((await fetch(`/chat/${room}?index`, { method: "POST", body, redirect: "manual" })).status);
    }
    return results;
  }, slug);
  // 0 is an opaque redirect: each message was saved and the browser sent back to the room.
  expect(new Set(statuses)).toEqual(new Set([0]));

  await page.goto(`/chat/${slug}`);
  await expect(page.locator("[data-message-id]")).toHaveCount(50);
  expect((await bodies(page))[0]).toBe("history 6");
  await page.getByRole("link", { name: "Load earlier messages" }).click();
  await expect(page.locator("[data-message-id]")).toHaveCount(55);
  await expect(page.getByText("This is the beginning of the room.")).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`/chat/${slug}$`));
  expect(await bodies(page)).toEqual(Array.from({ length: 55 }, (_, i) => `history ${i + 1}`));

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(`/chat/${slug}`);
  await plain.getByRole("link", { name: "Load earlier messages" }).click();
  await expect(plain).toHaveURL(new RegExp(`/chat/${slug}\\?before=\\d+$`));
  expect(await bodies(plain)).toEqual(["history 1", "history 2", "history 3", "history 4", "history 5"]);
  await expect(plain.getByRole("link", { name: "Back to the latest messages" })).toBeVisible();
  await noScript.close();
});
