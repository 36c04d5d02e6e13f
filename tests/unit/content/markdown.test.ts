import { describe, expect, it } from "vitest";
import { ContentTooLongError, MAX_SOURCE_LENGTH, renderMarkdown } from "~/content/markdown.server";

const html = (source: string) => renderMarkdown(source).html;
const MARKER = '<span class="external-marker" aria-label="(external link)">↗</span>';

describe("renderMarkdown: CommonMark and GFM", () => {
  it("renders paragraphs, emphasis, lists and quotes", () => {
    expect(html("Hello *you* and **them**\n\n- one\n- two\n\n> quoted")).toBe(
      "<p>Hello <em>you</em> and <strong>them</strong></p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n",
    );
  });

  it("renders tables with alignment as classes, never inline styles", () => {
    const out = html("| left | mid | right |\n|:--|:-:|--:|\n| 1 | 2 | 3 |");
    expect(out).toContain('<th class="align-left">left</th>');
    expect(out).toContain('<td class="align-center">2</td>');
    expect(out).toContain('<td class="align-right">3</td>');
    expect(out).not.toContain("style");
  });

  it("renders strikethrough as <del>", () => {
    expect(html("~~gone~~")).toBe("<p><del>gone</del></p>\n");
  });

  it("demotes headings by two levels, because the page owns h1 and h2", () => {
    expect(html("# One\n## Two\n### Three\n#### Four\n###### Six")).toBe("<h3>One</h3>\n<h4>Two</h4>\n<h5>Three</h5>\n<h6>Four</h6>\n<h6>Six</h6>\n");
  });

  it("escapes raw HTML instead of rendering it", () => {
    expect(html("<b>bold</b> <div>x</div>")).toBe("<p>&lt;b&gt;bold&lt;/b&gt; &lt;div&gt;x&lt;/div&gt;</p>\n");
    expect(html("<div>\nblock\n</div>")).toContain("&lt;div&gt;");
  });
});

describe("renderMarkdown: code", () => {
  it("highlights a fence whose language highlight.js knows, with classes only", () => {
    const out = html("```ts\nconst x = 1;\n```");
    expect(out).toContain('<pre><code class="hljs language-ts">');
    expect(out).toContain('<span class="hljs-keyword">const</span>');
    expect(out).not.toContain("style");
  });

  it("accepts language aliases and keeps highlight.js sub-scope classes", () => {
    expect(html("```js\nfunction f() {}\n```")).toContain('<span class="hljs-title function_">f</span>');
  });

  it("renders unknown or missing languages as plain escaped code", () => {
    expect(html("```nosuchlang\n<b>x</b>\n```")).toBe("<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n");
    expect(html("```\n<b>x</b>\n```")).toBe("<pre><code>&lt;b&gt;x&lt;/b&gt;\n</code></pre>\n");
    expect(html('```"><script>\nx\n```')).toBe("<pre><code>x\n</code></pre>\n");
  });

  it("escapes markup inside highlighted code", () => {
    const out = html("```html\n<script>alert(1)</script>\n```");
    expect(out).not.toContain("<script");
    expect(out).toContain("&lt;");
  });

  it("renders inline code and indented code escaped", () => {
    expect(html("`<i>`")).toBe("<p><code>&lt;i&gt;</code></p>\n");
    expect(html("    <i>")).toBe("<pre><code>&lt;i&gt;\n</code></pre>\n");
  });
});

describe("renderMarkdown: links", () => {
  it("marks external links with rel, no target, and a visible marker inside the link", () => {
    expect(html("[docs](https://docs.test/a)")).toBe(`<p><a href="https://docs.test/a" rel="nofollow ugc noopener">docs${MARKER}</a></p>\n`);
    expect(html("[docs](https://docs.test/a)")).not.toContain("target");
  });

  it("autolinks bare URLs and <URL> autolinks", () => {
    expect(html("see https://example.org/x.")).toContain(`<a href="https://example.org/x" rel="nofollow ugc noopener">https://example.org/x${MARKER}</a>.`);
    expect(html("<http://a.test/b>")).toContain('<a href="http://a.test/b" rel="nofollow ugc noopener">');
  });

  it("leaves relative and mailto links plain", () => {
    expect(html("[faq](/faq) [mail](mailto:team@threadline.test)")).toBe(
      '<p><a href="/faq">faq</a> <a href="mailto:team@threadline.test">mail</a></p>\n',
    );
  });

  it("turns protocol-relative links into https external links", () => {
    expect(html("[x](//cdn.test/a)")).toContain('href="https://cdn.test/a" rel="nofollow ugc noopener"');
  });

  it.each([
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](vbscript:msgbox(1))",
    "[x](data:text/html,hi)",
    "[x](file:///etc/passwd)",
    "[x](ftp://files.test/a)",
    "[x]\n\n[x]: javascript:alert(1)",
  ])("drops the link but keeps the text for %j", (source) => {
    expect(html(source)).toBe("<p>x</p>\n");
  });
});

describe("renderMarkdown: images", () => {
  it("never embeds a remote image; it becomes a marked link", () => {
    expect(html("![a cat](https://img.test/cat.png)")).toBe(
      `<p><a href="https://img.test/cat.png" rel="nofollow ugc noopener" class="remote-image">[image: a cat]${MARKER}</a></p>\n`,
    );
  });

  it("keeps same-origin and allowed data: images, lazily loaded", () => {
    expect(html('![logo](/img/logo.png "Logo")')).toBe('<p><img src="/img/logo.png" alt="logo" title="Logo" loading="lazy" /></p>\n');
    expect(html("![dot](data:image/png;base64,iVBORw0KGgo=)")).toContain('<img src="data:image/png;base64,iVBORw0KGgo=" alt="dot" loading="lazy" />');
  });

  it("shows only the alt text for refused image URLs", () => {
    expect(html("![svg](data:image/svg+xml;base64,PHN2Zz4=)")).toBe("<p>svg</p>\n");
    expect(html("![js](javascript:alert(1))")).toBe("<p>js</p>\n");
  });

  it("does not nest a link inside a link for a linked remote image", () => {
    expect(html("[![badge](https://ci.test/b.svg)](https://ci.test)")).toBe(
      `<p><a href="https://ci.test" rel="nofollow ugc noopener">[image: badge]${MARKER}</a></p>\n`,
    );
  });
});

describe("renderMarkdown: mentions", () => {
  it("links mentions and returns them lower-cased and de-duplicated", () => {
    const result = renderMarkdown("Thanks @Alice and @bob_2, and again @alice!");
    expect(result.html).toBe(
      '<p>Thanks <a href="/u/alice" class="mention">@Alice</a> and <a href="/u/bob_2" class="mention">@bob_2</a>, and again <a href="/u/alice" class="mention">@alice</a>!</p>\n',
    );
    expect(result.mentions).toEqual(["alice", "bob_2"]);
  });

  it("ignores mentions in code spans, code blocks and links", () => {
    const result = renderMarkdown("`@carol`\n\n```\n@dave\n```\n\n    @erin\n\n[@frank](/x) https://x.test/@grace");
    expect(result.mentions).toEqual([]);
    expect(result.html).not.toContain('class="mention"');
  });

  it("ignores e-mail addresses, npm scopes, and names too short or too long", () => {
    const result = renderMarkdown(`mail bob@alice.test, npm i @types/node, @ab, @${"x".repeat(31)}, @ok-name`);
    expect(result.mentions).toEqual(["ok-name"]);
  });

  it("asks resolveMention with the lower-cased name and links only known members", () => {
    const asked: string[] = [];
    const result = renderMarkdown("@Alice @nobody", { resolveMention: (name) => (asked.push(name), name === "alice") });
    expect(asked).toEqual(["alice", "nobody"]);
    expect(result.mentions).toEqual(["alice"]);
    expect(result.html).toBe('<p><a href="/u/alice" class="mention">@Alice</a> @nobody</p>\n');
  });
});

describe("renderMarkdown: limits", () => {
  it("refuses sources above the limit with a typed error", () => {
    expect(() => renderMarkdown("a".repeat(MAX_SOURCE_LENGTH))).not.toThrow();
    expect(() => renderMarkdown("a".repeat(MAX_SOURCE_LENGTH + 1))).toThrow(ContentTooLongError);
    try {
      renderMarkdown("a".repeat(MAX_SOURCE_LENGTH + 5));
    } catch (error) {
      expect(error).toMatchObject({ name: "ContentTooLongError", length: MAX_SOURCE_LENGTH + 5, limit: MAX_SOURCE_LENGTH });
    }
  });

  it("caps blockquote nesting at 20 and keeps the deeper text", () => {
    const out = html(`${"> ".repeat(30)}deep`);
    expect(out.match(/<blockquote>/g)).toHaveLength(20);
    expect(out).toContain("<p>deep</p>");
  });

  it("leaves quote markers inside fenced code alone", () => {
    expect(html(`\`\`\`\n${">".repeat(25)}\n\`\`\``)).toContain("&gt;".repeat(25));
  });
});
