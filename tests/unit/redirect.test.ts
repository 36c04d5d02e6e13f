import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/utils/redirect";

describe("safeRedirect", () => {
  it.each([
    ["/forums", "/forums"],
    ["/settings/sessions?tab=1#top", "/settings/sessions?tab=1#top"],
    ["/t/1/hello", "/t/1/hello"],
  ])("keeps the same-origin path %s", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });

  it.each([
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "%2F%2Fevil.example",
    "/%2F%2Fevil.example",
    "/%252F%252Fevil.example",
    "/%5Cevil.example",
    "%6A%61%76%61%73%63%72%69%70%74:alert(1)",
    " /forums",
    "/\t/evil.example",
    "/%0A/evil.example",
    "",
    null,
    undefined,
    "forums",
  ])("sends %s to the fallback", (input) => {
    expect(safeRedirect(input as string)).toBe("/");
  });

  it("uses the given fallback", () => {
    expect(safeRedirect("//evil", "/u/ada")).toBe("/u/ada");
  });
});
