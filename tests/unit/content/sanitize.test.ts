import { describe, expect, it } from "vitest";
import { sanitizeMailHtml, sanitizePostHtml } from "~/content/sanitize.server";

describe("sanitizePostHtml", () => {
  it("keeps the markup Markdown produces", () => {
    const html =
      '<h3>T</h3><p><strong>a</strong> <em>b</em> <del>c</del> <code>d</code><br></p><hr><blockquote><p>q</p></blockquote>' +
      '<ol start="3"><li>x</li></ol><ul><li>y</li></ul><table><thead><tr><th class="align-left">h</th></tr></thead>' +
      '<tbody><tr><td class="align-right">1</td></tr></tbody></table><pre><code class="hljs language-ts"><span class="hljs-keyword">const</span></code></pre>';
    expect(sanitizePostHtml(html)).toBe(html.replace("<br>", "<br />").replace("<hr>", "<hr />"));
  });

  it("demotes h1 and h2 so they cannot compete with the page's own headings", () => {
    expect(sanitizePostHtml("<h1>a</h1><h2>b</h2><h6>c</h6>")).toBe("<h3>a</h3><h4>b</h4><h6>c</h6>");
  });

  it("keeps only the classes the portal uses", () => {
    expect(sanitizePostHtml('<span class="hljs-string evil-class">x</span>')).toBe('<span class="hljs-string">x</span>');
    expect(sanitizePostHtml('<td class="align-center sr-only">x</td>')).toContain('<td class="align-center">x</td>');
    expect(sanitizePostHtml('<a href="/u/x" class="mention button-primary">@x</a>')).toBe('<a href="/u/x" class="mention">@x</a>');
    expect(sanitizePostHtml('<p class="hljs" id="login">x</p>')).toBe("<p>x</p>");
  });

  it("forces rel on external links and unwraps refused ones", () => {
    expect(sanitizePostHtml('<a href="https://x.test" rel="opener" target="_blank">x</a>')).toBe('<a href="https://x.test" rel="nofollow ugc noopener">x</a>');
    expect(sanitizePostHtml('<a href="javascript:alert(1)">x</a>')).toBe("<span>x</span>");
  });

  it("keeps same-origin images lazy and turns remote ones into links", () => {
    expect(sanitizePostHtml('<img src="/a.png" alt="a" width="9000" onload="x">')).toBe('<img src="/a.png" alt="a" loading="lazy" />');
    expect(sanitizePostHtml('<img src="https://t.test/p.gif" alt="pixel">')).toBe(
      '<a href="https://t.test/p.gif" rel="nofollow ugc noopener" class="remote-image">[image: pixel]</a>',
    );
  });
});

describe("sanitizeMailHtml", () => {
  it("keeps text formatting, lists, tables, quotes and code", () => {
    const html =
      "<p><strong>a</strong> <em>b</em> <u>c</u> <sub>d</sub></p><ul><li>x</li></ul><blockquote>q</blockquote>" +
      '<table><tbody><tr><td colspan="2">1</td></tr></tbody></table><pre><code>c</code></pre>';
    expect(sanitizeMailHtml(html)).toBe(html);
  });

  it("replaces remote images with a click-to-load link", () => {
    expect(sanitizeMailHtml('<img src="https://tracker.test/open.gif?id=42" alt="Logo" width="1" height="1">')).toBe(
      '<a href="https://tracker.test/open.gif?id=42" rel="nofollow noopener noreferrer" class="remote-image">[remote image blocked: Logo]</a>',
    );
    expect(sanitizeMailHtml('<img src="http://x.test/a.png">')).toContain("[remote image blocked: no description]");
  });

  it("turns cid: images into a placeholder the archive can resolve", () => {
    expect(sanitizeMailHtml('<img src="cid:part1.06090408@example.net" alt="chart">')).toBe(
      '<span class="inline-image" data-cid="part1.06090408@example.net">[inline image]</span>',
    );
    expect(sanitizeMailHtml('<img src="cid:a&quot; onerror=&quot;x">')).toBe("<span>[image]</span>");
  });

  it("allows only absolute http, https and mailto links, with rel", () => {
    expect(sanitizeMailHtml('<a href="https://list.test/x" target="_blank" class="btn" id="a">x</a>')).toBe(
      '<a href="https://list.test/x" rel="nofollow noopener noreferrer">x</a>',
    );
    expect(sanitizeMailHtml('<a href="mailto:list@list.test">m</a>')).toBe('<a href="mailto:list@list.test" rel="nofollow noopener noreferrer">m</a>');
    expect(sanitizeMailHtml('<a href="/relative">r</a><a href="#top">t</a><a name="x">n</a>')).toBe("<span>r</span><span>t</span><span>n</span>");
  });

  it("does not let a mail forge the portal's own classes or attributes", () => {
    expect(sanitizeMailHtml('<span class="inline-image" data-cid="x">a</span><a class="remote-image" href="https://x.test">b</a>')).toBe(
      '<span>a</span><a href="https://x.test" rel="nofollow noopener noreferrer">b</a>',
    );
  });

  it("drops styles, style sheets, document parts and their content", () => {
    const mail =
      '<html><head><title>Hi</title><meta charset="utf-8"><style>p{color:red}</style><base href="https://x.test/"></head>' +
      '<body bgcolor="red"><div style="position:absolute;inset:0" class="overlay">Body</div></body></html>';
    expect(sanitizeMailHtml(mail)).toBe("<div>Body</div>");
  });

  it("keeps the writing direction and demotes top-level headings", () => {
    expect(sanitizeMailHtml('<p dir="rtl" lang="he">שלום</p><h1>Hello</h1>')).toBe('<p dir="rtl">שלום</p><h3>Hello</h3>');
    expect(sanitizeMailHtml('<p dir="evil">x</p>')).not.toContain("evil");
  });

  it("removes forms, frames and plugins", () => {
    expect(sanitizeMailHtml('<form action="https://x.test"><input name="q"><button>Send</button></form><iframe src="https://x.test">f</iframe>')).toBe("Send");
  });
});
