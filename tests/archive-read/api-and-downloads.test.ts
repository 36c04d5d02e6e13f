import { gunzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { contentDisposition, rawCharset, safeAttachmentType } from "~/archive/read-download.server";
import { db } from "~/utils/db.server";
import { loader as listsApi } from "~/routes/api.lists._index";
import { loader as listApi } from "~/routes/api.lists.$slug._index";
import { loader as threadsApi } from "~/routes/api.lists.$slug.threads";
import { loader as messageApi } from "~/routes/api.messages.$publicId";
import { loader as midApi } from "~/routes/api.mid.$";
import { loader as threadApi } from "~/routes/api.threads.$publicId";
import { loader as feedLoader } from "~/routes/lists.$slug.feed[.]atom";
import { loader as attachmentLoader } from "~/routes/lists.$slug.m.$publicId.attachments.$position";
import { loader as messageLoader } from "~/routes/lists.$slug.m.$publicId._index";
import { loader as rawLoader } from "~/routes/lists.$slug.m.$publicId.raw";
import { loader as midLoader } from "~/routes/mid.$";
import { createArchiveList, createArchiveThread, type ListRecord } from "../support/archive-factories";
import { createTestUser } from "../support/factories";
import { callRoute, json, type TestUser } from "./call-route";

let list: ListRecord;
let other: ListRecord;
let hiddenList: ListRecord;
let t: Awaited<ReturnType<typeof createArchiveThread>>;
let member: TestUser;
let moderator: TestUser;
const pid = (key: string) => t.byKey.get(key)!.publicId;

beforeAll(async () => {
  list = await createArchiveList({ name: "API list", hostName: "API Host", hostUrl: "https://api-host.example/", listAddress: "api-list@api-host.example" });
  other = await createArchiveList({ name: "Other list", hostName: "Other Host" });
  hiddenList = await createArchiveList({ visibility: "hidden" });
  t = await createArchiveThread(list, [
    {
      key: "root", messageId: "root/with-slash@example.org", subject: "Question for carol@example.net", fromName: "Jane Doe", fromAddress: "jane.doe@example.org",
      date: new Date(Date.UTC(2024, 0, 5, 9)), text: "Hi, write to jane.doe@example.org or api-list@api-host.example.\n> quoted\n",
      attachments: [
        { filename: "notes.txt", contentType: "text/plain", content: "some notes" },
        { filename: "page.html", contentType: "text/html; charset=utf-8", content: "<script>alert(1)</script>" },
        { filename: "huge.iso", contentType: "application/octet-stream", content: "x", skipped: "too large" },
      ],
    },
    { key: "reply", parent: "root", fromName: "Bob", fromAddress: "bob@example.com", subject: "Re: Question", date: new Date(Date.UTC(2024, 0, 6, 9)), text: "Answer." },
    { key: "hidden", parent: "root", fromName: "Eve", fromAddress: "eve@example.net", subject: "Re: Question", date: new Date(Date.UTC(2024, 0, 7, 9)), text: "oops", hidden: "personal-data: phone number" },
  ]);
  // The same Message-ID cross-posted to another list and to a hidden one.
  await createArchiveThread(other, [{ messageId: "cross@example.org", subject: "Cross-posted", date: new Date(Date.UTC(2024, 0, 8)) }]);
  await createArchiveThread(list, [{ messageId: "cross@example.org", subject: "Cross-posted", date: new Date(Date.UTC(2024, 0, 8)) }]);
  await createArchiveThread(hiddenList, [{ messageId: "secret@example.org", subject: "Secret" }]);
  member = await createTestUser();
  moderator = await createTestUser({ role: "moderator" });
});

describe("JSON API", () => {
  it("/api/lists names each list's host and ownership notice", async () => {
    const body = await json(await callRoute(listsApi, "/api/lists", {}));
    const lists = body.lists as Record<string, unknown>[];
    const entry = lists.find((l) => l.slug === list.slug)!;
    expect(entry).toMatchObject({ name: "API list", hostName: "API Host", hostUrl: "https://api-host.example/", messageCount: 3, threadCount: 2 });
    expect(entry.ownershipNotice).toContain("does not own or control");
    expect(lists.map((l) => l.slug)).not.toContain(hiddenList.slug);
  });

  it("/api/lists/<slug> has counts, host info, the notice and the month index", async () => {
    const body = await json(await callRoute(listApi, "/", { slug: list.slug }));
    expect(body.list).toMatchObject({ slug: list.slug, messageCount: 3, threadCount: 2, hostName: "API Host", hostUrl: "https://api-host.example/" });
    expect((body.list as { ownershipNotice: string }).ownershipNotice).toContain("API Host");
    expect(body.months).toEqual([{ year: 2024, total: 3, months: [{ month: 1, count: 3, url: `/lists/${list.slug}/2024/01` }] }]);
    expect((await callRoute(listApi, "/", { slug: hiddenList.slug })).status).toBe(404);
    expect((await callRoute(listApi, "/", { slug: hiddenList.slug }, moderator)).status).toBe(200);
  });

  it("/api/lists/<slug>/threads pages threads", async () => {
    const body = await json(await callRoute(threadsApi, "/?page=7", { slug: list.slug }));
    expect(body).toMatchObject({ page: 1, lastPage: 1, total: 2, list: { slug: list.slug, hostName: "API Host" } });
    expect((body.threads as { subject: string }[]).map((th) => th.subject)).toEqual(["Cross-posted", "Question for c…@example.net"]);
  });

  it("/api/threads/<publicId> resolves any message's id to its thread", async () => {
    const body = await json(await callRoute(threadApi, "/", { publicId: pid("reply") }));
    expect(body.thread).toMatchObject({ id: t.thread.publicId, messageCount: 2 });
    const messages = body.messages as Record<string, unknown>[];
    expect(messages.map((m) => m.kind)).toEqual(["message", "message", "removed"]);
    expect(messages[0]).toMatchObject({ id: pid("root"), messageId: "root/with-slash@example.org", parentMessageId: null, from: "Jane Doe", fromAddress: "j…@example.org" });
    expect(messages[1]).toMatchObject({ parentMessageId: "root/with-slash@example.org" });
    expect(messages[2]).toMatchObject({ id: pid("hidden"), messageId: null });
    expect(JSON.stringify(body)).not.toContain("oops");
  });

  it("/api/messages/<publicId>: masked for visitors, plain for members, 410 when hidden", async () => {
    const anon = await json(await callRoute(messageApi, "/", { publicId: pid("root") }));
    expect(anon).toMatchObject({
      id: pid("root"), messageId: "root/with-slash@example.org", threadId: t.thread.publicId, parentMessageId: null,
      subject: "Question for c…@example.net", from: { name: "Jane Doe", address: "j…@example.org" },
      list: { slug: list.slug, name: "API list", hostName: "API Host", hostUrl: "https://api-host.example/" },
    });
    expect(anon.text).toBe("Hi, write to j…@example.org or api-list@api-host.example.\n> quoted\n");
    expect((anon.attachments as { url: string | null }[]).map((a) => a.url)).toEqual([
      `/lists/${list.slug}/m/${pid("root")}/attachments/0`, `/lists/${list.slug}/m/${pid("root")}/attachments/1`, null,
    ]);
    const asMember = await json(await callRoute(messageApi, "/", { publicId: pid("root") }, member));
    expect(asMember.text).toContain("jane.doe@example.org");
    const reply = await json(await callRoute(messageApi, "/", { publicId: pid("reply") }));
    expect(reply.parentMessageId).toBe("root/with-slash@example.org");

    const gone = await callRoute(messageApi, "/", { publicId: pid("hidden") });
    expect(gone.status).toBe(410);
    const goneBody = await json(gone);
    expect(goneBody).toMatchObject({ error: "gone", reason: "personal-data", list: { hostName: "API Host" } });
    expect(JSON.stringify(goneBody)).not.toMatch(/oops|phone/);
    expect((await callRoute(messageApi, "/", { publicId: pid("hidden") }, moderator)).status).toBe(200);
    expect((await callRoute(messageApi, "/", { publicId: "nope" })).status).toBe(404);
  });

  it("/api/mid/<Message-ID> finds the message with or without brackets, URL-encoded", async () => {
    for (const raw of ["root%2Fwith-slash%40example.org", "%3Croot%2Fwith-slash%40example.org%3E", "root/with-slash@example.org"]) {
      const result = await callRoute(midApi, `/api/mid/${raw}`, { "*": raw });
      expect(result.status).toBe(200);
      expect(await json(result)).toMatchObject({
        id: pid("root"), messageId: "root/with-slash@example.org", threadId: t.thread.publicId, parentMessageId: null,
        list: { slug: list.slug, name: "API list", hostName: "API Host", hostUrl: "https://api-host.example/" },
      });
    }
    const cross = await json(await callRoute(midApi, "/api/mid/cross%40example.org", {}));
    // The list archived first answers; the others are named.
    expect((cross.list as { slug: string }).slug).toBe(list.slug);
    expect((cross.alsoIn as { list: { slug: string } }[]).map((m) => m.list.slug)).toEqual([other.slug]);
    expect((await callRoute(midApi, "/api/mid/secret%40example.org", {})).status).toBe(404);
    expect((await callRoute(midApi, "/api/mid/secret%40example.org", {}, moderator)).status).toBe(200);
    expect((await callRoute(midApi, "/api/mid/unknown%40example.org", {})).status).toBe(404);
    expect((await callRoute(midApi, "/api/mid/%E0%A4%A", {})).status).toBe(404);
  });
});

describe("/mid/<Message-ID> pages", () => {
  it("redirect to the message, offer a choice when several lists have it, and 404 kindly", async () => {
    const one = await callRoute(midLoader, "/mid/%3Croot%2Fwith-slash%40example.org%3E", {});
    expect(one.status).toBe(302);
    expect(one.response!.headers.get("Location")).toBe(`/lists/${list.slug}/m/${pid("root")}`);
    const choice = await callRoute(midLoader, "/mid/cross@example.org", {});
    expect(choice.status).toBe(200);
    expect((choice.data as { matches: { list: { slug: string } }[] }).matches.map((m) => m.list.slug)).toEqual([list.slug, other.slug]);
    expect((await callRoute(midLoader, "/mid/nobody@example.org", {})).status).toBe(404);
  });
});

describe("message pages", () => {
  it("answer 410 with the reason category only for a hidden message; moderators see it", async () => {
    const gone = await callRoute(messageLoader, "/", { slug: list.slug, publicId: pid("hidden") });
    expect(gone.status).toBe(410);
    expect(gone.data).toMatchObject({ gone: { category: "personal-data", explanation: "This message was removed from the archive because of personal data." } });
    expect(JSON.stringify(gone.data)).not.toMatch(/oops|phone number/);
    const seen = await callRoute(messageLoader, "/", { slug: list.slug, publicId: pid("hidden") }, moderator);
    expect(seen.status).toBe(200);
    expect(seen.data).toMatchObject({ canModerate: true, message: { hidden: { reason: "personal-data: phone number" } } });
  });

  it("link parent, replies and thread", async () => {
    const root = await callRoute(messageLoader, "/", { slug: list.slug, publicId: pid("root") });
    const message = (root.data as { message: Record<string, unknown> }).message;
    expect(message.parent).toBeNull();
    expect((message.replies as { url: string }[]).map((r) => r.url)).toEqual([`/lists/${list.slug}/m/${pid("reply")}`]);
    expect(message.thread).toMatchObject({ url: `/lists/${list.slug}/thread/${t.thread.publicId}`, mboxUrl: `/lists/${list.slug}/thread/${t.thread.publicId}/mbox` });
  });
});

describe("raw message download", () => {
  it("is the original bytes for members, with the notice in a header", async () => {
    const result = await callRoute(rawLoader, "/", { slug: list.slug, publicId: pid("root") }, member);
    const stored = gunzipSync((await db.mailRaw.findUniqueOrThrow({ where: { messageRowId: t.byKey.get("root")!.id } })).gz);
    const body = Buffer.from(await result.response!.arrayBuffer());
    expect(body.equals(stored)).toBe(true);
    expect(result.response!.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(result.response!.headers.get("Content-Disposition")).toMatch(/^inline/);
    expect(result.response!.headers.get("X-Archive-Notice")).toContain("API Host");
    expect(result.response!.headers.get("Cache-Control")).toContain("private");
  });

  it("is masked for visitors, and 410 when hidden", async () => {
    const result = await callRoute(rawLoader, "/", { slug: list.slug, publicId: pid("root") });
    const text = await result.response!.text();
    expect(text).toContain('From: "Jane Doe" <j...@example.org>');
    expect(text).toContain("Subject: Question for c...@example.net");
    expect(text).toContain("Message-ID: <root/with-slash@example.org>");
    expect(text).not.toContain("jane.doe@");
    const gone = await callRoute(rawLoader, "/", { slug: list.slug, publicId: pid("hidden") });
    expect(gone.status).toBe(410);
    expect(await gone.response!.text()).not.toContain("oops");
  });

  it("declares a charset that displays the bytes without converting them", () => {
    expect(rawCharset(Buffer.from("Subject: café\n\nbody", "utf8"))).toBe("utf-8");
    expect(rawCharset(Buffer.from('Content-Type: text/plain; charset="ISO-8859-15"\n\ncaf\xe9', "latin1"))).toBe("iso-8859-15");
    expect(rawCharset(Buffer.from("Subject: caf\xe9\n\n", "latin1"))).toBe("iso-8859-1");
    expect(rawCharset(Buffer.from("Content-Type: text/plain; charset=utf-8\n\ncaf\xe9", "latin1"))).toBe("iso-8859-1");
  });
});

describe("attachments", () => {
  it("are served as downloads in a sandbox with a safe type", async () => {
    const text = await callRoute(attachmentLoader, "/", { slug: list.slug, publicId: pid("root"), position: "0" });
    expect(text.status).toBe(200);
    const headers = text.response!.headers;
    expect(headers.get("Content-Type")).toBe("text/plain");
    expect(headers.get("Content-Disposition")).toBe(`attachment; filename="notes.txt"; filename*=UTF-8''notes.txt`);
    expect(headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(headers.get("Content-Security-Policy")).toBe("sandbox; default-src 'none'");
    expect(await text.response!.text()).toBe("some notes");

    const html = await callRoute(attachmentLoader, "/", { slug: list.slug, publicId: pid("root"), position: "1" });
    expect(html.response!.headers.get("Content-Type")).toBe("application/octet-stream");
    expect((await callRoute(attachmentLoader, "/", { slug: list.slug, publicId: pid("root"), position: "2" })).status).toBe(404);
    expect((await callRoute(attachmentLoader, "/", { slug: list.slug, publicId: pid("root"), position: "9" })).status).toBe(404);
    expect((await callRoute(attachmentLoader, "/", { slug: list.slug, publicId: pid("root"), position: "../x" })).status).toBe(404);
  });

  it("never declare a type a browser would render or run", () => {
    for (const type of ["text/html", "TEXT/HTML; charset=utf-8", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml", "application/javascript", "text/javascript", "text/css", "multipart/related", "message/rfc822", "", "garbage", "text/html\r\nX-Evil: 1"]) {
      expect(safeAttachmentType(type)).toBe("application/octet-stream");
    }
    expect(safeAttachmentType("image/png")).toBe("image/png");
    expect(safeAttachmentType("application/pdf")).toBe("application/pdf");
  });

  it("name files safely in Content-Disposition", () => {
    expect(contentDisposition("attachment", 'ré"sumé\r\n.pdf')).toBe(`attachment; filename="r__sum___.pdf"; filename*=UTF-8''r%C3%A9%22sum%C3%A9%0D%0A.pdf`);
    expect(contentDisposition("attachment", "a'(b)*.txt")).toBe(`attachment; filename="a__b__.txt"; filename*=UTF-8''a%27%28b%29%2A.txt`);
  });
});

describe("the Atom feed", () => {
  it("has newest messages with list and host, names only, masked text, nothing hidden", async () => {
    const result = await callRoute(feedLoader, `/lists/${list.slug}/feed.atom`, { slug: list.slug }, member);
    const xml = await result.response!.text();
    expect(result.response!.headers.get("Content-Type")).toContain("application/atom+xml");
    expect(xml).toContain(`<title>[API list] Question for c…@example.net</title>`);
    expect(xml).toContain("<author><name>Jane Doe</name></author>");
    expect(xml).toContain("hosted by API Host");
    expect(xml).not.toContain("jane.doe@");
    expect(xml).not.toContain("j…@example.org</name>");
    expect(xml).not.toContain("oops");
    expect((await callRoute(feedLoader, "/", { slug: hiddenList.slug }, moderator)).status).toBe(404);
  });
});
