import { describe, expect, it } from "vitest";
import { renderMarkdown } from "~/content/markdown.server";
import { findPersonalData } from "~/content/personal-data";
import { HOSTILE_MARKDOWN, HOSTILE_TEXT } from "../../support/hostile-input";

// How long these take is measured by `npm run bench -- --only hostile-input`;
// here, each must come back as safe output.
const ALLOWED_TAGS = new Set(["p", "em", "strong", "code", "pre", "a", "blockquote", "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "span", "br", "del", "s", "img", "h1", "h2", "h3", "h4", "h5", "h6", "hr"]);

describe("renderMarkdown on hostile input", () => {
  it.each(Object.entries(HOSTILE_MARKDOWN))("renders %s to markup from the allowed set only", (_name, source) => {
    const { html } = renderMarkdown(source.slice(0, 100_000));
    const tags = new Set([...html.matchAll(/<\/?([a-z0-9]+)/gi)].map((match) => match[1]!.toLowerCase()));
    expect([...tags].filter((tag) => !ALLOWED_TAGS.has(tag))).toEqual([]);
    expect(html).not.toMatch(/<a [^>]*href="(?:javascript|data):/i);
  });
});

describe("findPersonalData on hostile input", () => {
  it.each(Object.entries(HOSTILE_TEXT))("scans %s and reports only what is in the text", (_name, text) => {
    const input = text.slice(0, 100_000);
    const found = findPersonalData(input);
    expect(Array.isArray(found)).toBe(true);
    for (const match of found) expect(input.slice(match.start, match.end)).toBe(match.text);
  });
});
