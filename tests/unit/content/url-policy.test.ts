import { describe, expect, it } from "vitest";
import { classifyUrl, type UrlKind } from "~/content/url-policy";

describe("classifyUrl", () => {
  it.each<[string, UrlKind, string]>([
    ["https://example.org/a?b=c#d", "external", "https://example.org/a?b=c#d"],
    ["HTTP://EXAMPLE.ORG", "external", "HTTP://EXAMPLE.ORG"],
    ["  https://example.org  ", "external", "https://example.org"],
    ["//cdn.test/x.png", "external", "https://cdn.test/x.png"],
    ["/\\evil.test/x", "external", "https://evil.test/x"],
    ["\t//evil.test", "external", "https://evil.test"],
    ["mailto:someone@threadline.test", "mailto", "mailto:someone@threadline.test"],
    ["/t/12/topic", "relative", "/t/12/topic"],
    ["../img/a.png", "relative", "../img/a.png"],
    ["#section", "relative", "#section"],
    ["?page=2&q=a:b", "relative", "?page=2&q=a:b"],
    ["data:image/png;base64,iVBORw0KGgo=", "data-image", "data:image/png;base64,iVBORw0KGgo="],
    ["data:image/webp;base64,UklGRg==", "data-image", "data:image/webp;base64,UklGRg=="],
    // Input is already entity-decoded; a literal "&#106;" is re-escaped on output, so this is a harmless fragment.
    ["&#106;avascript:alert(1)", "relative", "&#106;avascript:alert(1)"],
  ])("%j is %s", (raw, kind, href) => {
    expect(classifyUrl(raw)).toEqual({ kind, href });
  });

  it.each([
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "\u0001javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "java%09script:alert(1)",
    "java%0ascript:alert(1)",
    "%6A%61%76%61%73%63%72%69%70%74:alert(1)",
    "java%2509script:alert(1)",
    "vbscript:msgbox(1)",
    "data:text/html;base64,PHNjcmlwdD4=",
    "data:image/svg+xml;base64,PHN2Zz4=",
    "data:image/png,not-base64",
    "file:///etc/passwd",
    "ftp://files.test/a",
    "tel:+15551234567",
    "foo:bar",
  ])("blocks %j", (raw) => {
    expect(classifyUrl(raw)).toEqual({ kind: "blocked", href: "" });
  });
});
