import { describe, expect, it } from "vitest";
import { isSameOrigin } from "~/utils/origin";

describe("isSameOrigin", () => {
  const site = "http://localhost:3000";
  it("accepts the site's own origin", () => {
    expect(isSameOrigin("http://localhost:3000", undefined, site)).toBe(true);
  });
  it.each(["http://evil.example", "http://localhost:3001", "https://localhost:3000", "null", "not a url"])("refuses %s", (origin) => {
    expect(isSameOrigin(origin, "same-origin", site)).toBe(false);
  });
  it("falls back to Sec-Fetch-Site only when Origin is absent", () => {
    expect(isSameOrigin(undefined, "same-origin", site)).toBe(true);
    expect(isSameOrigin(undefined, "cross-site", site)).toBe(false);
    expect(isSameOrigin(undefined, undefined, site)).toBe(false);
  });
});
