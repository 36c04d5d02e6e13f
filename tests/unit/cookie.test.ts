import { describe, expect, it } from "vitest";
import { clearSessionCookie, readSessionCookie, serializeSessionCookie } from "~/utils/auth/cookie.server";

const dev = { secureRequest: false, production: false, insecureAllowed: false };
const prodHttp = { secureRequest: false, production: true, insecureAllowed: false };
const prodHttps = { secureRequest: true, production: true, insecureAllowed: false };

describe("session cookie", () => {
  it("is HttpOnly, SameSite=Lax and Path=/ everywhere", () => {
    for (const options of [dev, prodHttp, prodHttps]) {
      const cookie = serializeSessionCookie("tok", 60, options);
      expect(cookie).toContain("HttpOnly");
      expect(cookie).toContain("SameSite=Lax");
      expect(cookie).toContain("Path=/");
      expect(cookie).toContain("Max-Age=60");
    }
  });

  it("is Secure in production, and takes the __Host- prefix over HTTPS", () => {
    expect(serializeSessionCookie("tok", 60, dev)).not.toContain("Secure");
    expect(serializeSessionCookie("tok", 60, prodHttp)).toContain("Secure");
    expect(serializeSessionCookie("tok", 60, prodHttp)).toMatch(/^threadline_session=tok;/);
    expect(serializeSessionCookie("tok", 60, prodHttps)).toMatch(/^__Host-threadline_session=tok;.*Secure/);
    expect(serializeSessionCookie("tok", 60, { ...prodHttp, insecureAllowed: true })).not.toContain("Secure");
  });

  it("clears with Max-Age=0", () => {
    expect(clearSessionCookie(dev)).toMatch(/^threadline_session=; .*Max-Age=0/);
  });

  it("reads its own cookie only", () => {
    const header = "other=1; threadline_session=abc.def; __Host-threadline_session=zzz";
    expect(readSessionCookie(header, { secureRequest: false })).toBe("abc.def");
    expect(readSessionCookie(header, { secureRequest: true })).toBe("zzz");
    expect(readSessionCookie("other=1", { secureRequest: false })).toBeNull();
    expect(readSessionCookie(undefined, { secureRequest: false })).toBeNull();
  });
});
