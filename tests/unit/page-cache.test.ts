import { describe, expect, it } from "vitest";
import { isCacheableRequest, isCacheableResponse, PageCache, storableHeaders, withNonce } from "~/utils/page-cache";

const entry = (body: string, nonce = "NONCE123") => ({ status: 200, headers: [["content-type", "text/html"]] as [string, string][], body: Buffer.from(body), nonce });

describe("PageCache", () => {
  it("expires entries and can be cleared", () => {
    const cache = new PageCache(1000);
    cache.set("/a", entry("a"), 0);
    expect(cache.get("/a", 999)?.body.toString()).toBe("a");
    expect(cache.get("/a", 1000)).toBeUndefined();
    cache.set("/b", entry("b"), 0);
    cache.clear();
    expect(cache.get("/b", 1)).toBeUndefined();
  });

  it("evicts the least recently used entries past its byte budget", () => {
    const cache = new PageCache(60_000, 80);
    cache.set("/1", entry("x".repeat(10)), 0);
    cache.set("/2", entry("x".repeat(10)), 0);
    cache.get("/1", 1);
    for (let i = 3; i < 12; i++) cache.set(`/${i}`, entry("x".repeat(10)), 0);
    expect(cache.get("/1", 2)).toBeUndefined();
    expect(cache.get("/11", 2)).toBeDefined();
  });

  it("is off with a zero lifetime", () => {
    const cache = new PageCache(0);
    cache.set("/a", entry("a"));
    expect(cache.get("/a")).toBeUndefined();
  });

  it("gives every response its own nonce", () => {
    const body = withNonce({ ...entry('<script nonce="NONCE123">x</script><script nonce="NONCE123">', "NONCE123"), expiresAt: 0 }, "FRESH456");
    expect(body.toString()).toBe('<script nonce="FRESH456">x</script><script nonce="FRESH456">');
  });
});

describe("what may be cached", () => {
  it("only anonymous GET and HEAD requests for pages", () => {
    expect(isCacheableRequest("GET", "/forums", undefined)).toBe(true);
    expect(isCacheableRequest("HEAD", "/b/python-help?page=2", "theme=dark")).toBe(true);
    expect(isCacheableRequest("POST", "/forums", undefined)).toBe(false);
    expect(isCacheableRequest("GET", "/forums", "threadline_session=abc.def")).toBe(false);
    expect(isCacheableRequest("GET", "/forums", "x=1; __Host-threadline_session=abc")).toBe(false);
    expect(isCacheableRequest("GET", "/t/1/events.stream", undefined)).toBe(false);
    expect(isCacheableRequest("GET", "/chat/lobby/events.stream?lastEventId=42", undefined)).toBe(false);
    expect(isCacheableRequest("GET", "/assets/app.js", undefined)).toBe(false);
  });

  it("only successful responses without cookies or private cache rules", () => {
    expect(isCacheableResponse(200, { "content-type": "text/html; charset=utf-8" })).toBe(true);
    expect(isCacheableResponse(200, { "content-type": "application/json" })).toBe(true);
    expect(isCacheableResponse(404, { "content-type": "text/html" })).toBe(false);
    expect(isCacheableResponse(200, { "content-type": "text/html", "set-cookie": ["a=b"] })).toBe(false);
    expect(isCacheableResponse(200, { "content-type": "text/event-stream" })).toBe(false);
    expect(isCacheableResponse(200, { "content-type": "text/html", "cache-control": "private" })).toBe(false);
  });

  it("never stores the CSP, cookies or lengths", () => {
    const kept = storableHeaders({ "content-type": "text/html", "content-security-policy": "x", "set-cookie": "a", "content-length": "5", "x-frame-options": "DENY" });
    expect(kept).toEqual([["content-type", "text/html"], ["x-frame-options", "DENY"]]);
  });
});
