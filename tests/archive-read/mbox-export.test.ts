import { beforeAll, describe, expect, it } from "vitest";
import { asctime, escapeMboxrd, fromLine, mboxEntry } from "~/archive/mbox-export.server";
import { loader as monthMbox } from "~/routes/lists.$slug.$year.$month.mbox";
import { loader as threadMbox } from "~/routes/lists.$slug.thread.$publicId.mbox";
import { createArchiveList, createArchiveThread, type ListRecord } from "../support/archive-factories";
import { createTestUser } from "../support/factories";
import { callRoute, type TestUser } from "./call-route";

describe("mbox pieces", () => {
  it("formats From_ lines with an asctime date in UTC", () => {
    expect(asctime(new Date(Date.UTC(2000, 1, 9, 22, 2, 0)))).toBe("Wed Feb  9 22:02:00 2000");
    expect(fromLine("jane@example.org", new Date(Date.UTC(2024, 11, 25, 8, 5, 9)))).toBe("From jane@example.org Wed Dec 25 08:05:09 2024\n");
    expect(fromLine(null, new Date(0))).toBe("From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n");
    expect(fromLine("not an address", new Date(0))).toMatch(/^From MAILER-DAEMON /);
  });

  it("escapes >*From lines the mboxrd way, and nothing else", () => {
    expect(escapeMboxrd("From a\nFrom b\n>From c\n>>From d\n From e\nFrom: f\nX From g\n")).toBe(
      ">From a\n>From b\n>>From c\n>>>From d\n From e\nFrom: f\nX From g\n",
    );
    expect(escapeMboxrd("a\r\nFrom b\r\n")).toBe("a\r\n>From b\r\n");
  });

  it("builds an entry that ends with a blank line", () => {
    const entry = mboxEntry({ raw: Buffer.from("Subject: x\n\nbody"), fromAddress: "a@b.org", date: new Date(0) }, { mask: false });
    expect(entry.toString()).toBe("From a@b.org Thu Jan  1 00:00:00 1970\nSubject: x\n\nbody\n\n");
  });
});

let list: ListRecord;
let thread: Awaited<ReturnType<typeof createArchiveThread>>;
let member: TestUser;
const trickyBody = "Line one\nFrom the start of a line\n>From an escaped one\nplain\nmail me: jane.doe@example.org\n";

beforeAll(async () => {
  list = await createArchiveList({ name: "Mbox list", hostName: "Mbox Host" });
  const raw = Buffer.concat([
    Buffer.from('From: "Jane" <jane.doe@example.org>\r\nSubject: caf', "latin1"),
    Buffer.from([0xe9]), // a latin-1 byte that is not valid UTF-8: must survive untouched
    Buffer.from(`\r\nMessage-ID: <root.1@example.org>\r\nDate: Fri, 01 Mar 2024 10:00:00 +0000\r\n\r\n${trickyBody.replace(/\n/g, "\r\n")}`, "latin1"),
  ]);
  thread = await createArchiveThread(list, [
    { key: "root", messageId: "root.1@example.org", fromAddress: "jane.doe@example.org", date: new Date(Date.UTC(2024, 2, 1, 10)), raw },
    { key: "reply", parent: "root", fromAddress: "bob@example.com", date: new Date(Date.UTC(2024, 2, 2, 10)), text: "Thanks!", subject: "Re: x" },
    { key: "hidden", parent: "root", fromAddress: "eve@example.net", date: new Date(Date.UTC(2024, 2, 3, 10)), text: "secret stuff", subject: "Re: x", hidden: "spam: junk" },
    { key: "noraw", parent: "root", date: new Date(Date.UTC(2024, 2, 4, 10)), text: "raw not kept", raw: null },
    { key: "lost", parent: "root", placeholder: true },
  ]);
  member = await createTestUser();
});

async function download(url: string, params: Record<string, string>, user: TestUser | null) {
  const result = await callRoute(url.endsWith("mbox") && params.publicId ? threadMbox : monthMbox, url, params, user);
  expect(result.status).toBe(200);
  const response = result.response!;
  return { response, body: Buffer.from(await response.arrayBuffer()) };
}

describe("thread and month downloads", () => {
  it("start with the ownership notice, then hold the original bytes of each visible message", async () => {
    const { response, body } = await download(`/lists/${list.slug}/thread/${thread.thread.publicId}/mbox`, { slug: list.slug, publicId: thread.thread.publicId }, member);
    expect(response.headers.get("Content-Type")).toBe("application/mbox");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename=".+\.mbox"$/);
    expect(response.headers.get("X-Archive-Notice")).toContain("Mbox Host");
    const text = body.toString("latin1");
    const firstFrom = text.indexOf("\nFrom ") + 1;
    const preamble = text.slice(0, firstFrom);
    expect(preamble.split("\n").filter(Boolean).every((line) => line.startsWith("# "))).toBe(true);
    expect(preamble).toContain("does not own or control");
    expect(preamble).toContain("Mbox Host");
    const separators = text.split("\n").filter((line) => /^From \S+ \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/.test(line));
    expect(separators).toEqual(["From jane.doe@example.org Fri Mar  1 10:00:00 2024", "From bob@example.com Sat Mar  2 10:00:00 2024"]);
    // Original bytes, escaped: the latin-1 byte, CRLFs and the mboxrd escapes.
    expect(body.includes(Buffer.from("Subject: caf\xe9\r\n", "latin1"))).toBe(true);
    expect(text).toContain("Line one\r\n>From the start of a line\r\n>>From an escaped one\r\n");
    expect(text).toContain("jane.doe@example.org");
    expect(text).not.toContain("secret stuff"); // hidden
    expect(text).not.toContain("raw not kept"); // no raw bytes: nothing to export
  });

  it("mask addresses for visitors who are not logged in", async () => {
    const { response, body } = await download(`/lists/${list.slug}/thread/${thread.thread.publicId}/mbox`, { slug: list.slug, publicId: thread.thread.publicId }, null);
    const text = body.toString("latin1");
    expect(text).toContain("From j...@example.org Fri Mar  1 10:00:00 2024");
    expect(text).toContain('From: "Jane" <j...@example.org>');
    expect(text).toContain("mail me: j...@example.org");
    expect(text).toContain("Message-ID: <root.1@example.org>");
    expect(text).not.toMatch(/jane\.doe@|bob@example/);
    expect(text).toContain("# Email addresses are masked");
    expect(response.headers.get("Cache-Control")).toContain("public");
  });

  it("export a month the same way", async () => {
    const { body } = await download(`/lists/${list.slug}/2024/03/mbox`, { slug: list.slug, year: "2024", month: "03" }, member);
    const text = body.toString("latin1");
    expect(text.match(/^From \S+ \w{3} \w{3} /gm)).toHaveLength(2);
    const empty = await download(`/lists/${list.slug}/2023/01/mbox`, { slug: list.slug, year: "2023", month: "01" }, member);
    expect(empty.body.toString()).toMatch(/^# /);
    expect(empty.body.toString()).not.toMatch(/^From /m);
  });

  it("stream big months in batches", async () => {
    const big = await createArchiveList();
    const specs = Array.from({ length: 130 }, (_, i) => ({ subject: `n${i}`, text: `message ${i}`, date: new Date(Date.UTC(2024, 4, 1, 0, i)) }));
    for (const spec of specs) await createArchiveThread(big, [spec]);
    const { body } = await download(`/lists/${big.slug}/2024/05/mbox`, { slug: big.slug, year: "2024", month: "05" }, member);
    const text = body.toString();
    expect(text.match(/^From /gm)).toHaveLength(130);
    expect(text.indexOf("message 0\n")).toBeLessThan(text.indexOf("message 129\n"));
  });
});
