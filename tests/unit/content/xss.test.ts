import { describe, expect, it } from "vitest";
import { renderMarkdown } from "~/content/markdown.server";
import { sanitizeMailHtml, sanitizePostHtml } from "~/content/sanitize.server";
import { findExecutableConstructs } from "./xss-check";
import { XSS_VECTORS } from "./xss-vectors";

const PIPELINES: [string, (input: string) => string][] = [
  ["renderMarkdown", (input) => renderMarkdown(input).html],
  ["sanitizePostHtml", sanitizePostHtml],
  ["sanitizeMailHtml", sanitizeMailHtml],
];

describe("the output checker", () => {
  // If the checker missed these, every passing row below would mean nothing.
  it.each([
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<img src="x" onerror="alert(1)">',
    "<svg></svg>",
    '<p style="color:red">x</p>',
    '<a href="data:text/html,x">x</a>',
    "<!-- x -->",
  ])("flags %s", (html) => {
    expect(findExecutableConstructs(html)).not.toEqual([]);
  });

  it("passes ordinary safe markup", () => {
    expect(findExecutableConstructs('<p><a href="https://ok.test" rel="nofollow">x</a> &lt;script&gt; onclick=x</p>')).toEqual([]);
  });
});

describe.each(PIPELINES)("%s against the XSS table", (_name, pipeline) => {
  it("has a table of at least 40 vectors", () => {
    expect(XSS_VECTORS.length).toBeGreaterThanOrEqual(40);
  });

  it.each(XSS_VECTORS)("neutralises %j", (vector) => {
    expect(findExecutableConstructs(pipeline(vector))).toEqual([]);
  });
});
