// Watched-word patterns: what is accepted, how words match, and that the
// accepted patterns stay fast on the longest post.
import { describe, expect, it } from "vitest";
import { containsLink } from "~/antispam/links";
import { compileWatched, patternProblem } from "~/antispam/watched-words";

describe("patterns", () => {
  it("matches plain words whole and in any case, not inside other words", () => {
    const spam = compileWatched("spam", false)!;
    expect(spam.test("This is SPAM!")).toBe(true);
    expect(spam.test("a spammer")).toBe(false);
    expect(spam.test("antispam")).toBe(false);
    expect(compileWatched("c++", false)!.test("I like c++ a lot")).toBe(true);
    expect(compileWatched("buy now", false)!.test("Buy now, cheap")).toBe(true);
  });

  it("refuses catastrophic and unsupported regular expressions with a reason", () => {
    expect(patternProblem("(a+)+$", true)).toMatch(/Repeating a group/);
    expect(patternProblem("(a|aa)*b", true)).toMatch(/Repeating a group/);
    expect(patternProblem("(\\w+\\s?)*x", true)).toMatch(/Repeating a group/);
    expect(patternProblem("(a)\\1", true)).toMatch(/Back-references/);
    expect(patternProblem("(?=a)b", true)).toMatch(/Lookarounds/);
    expect(patternProblem("a{1,500}", true)).toMatch(/up to 30/);
    expect(patternProblem("a.*b.*c", true)).toMatch(/repeats too much/);
    expect(patternProblem("a+a+b", true)).toMatch(/repeats too much/);
    expect(patternProblem("x".repeat(101), true)).toMatch(/under 100/);
    expect(patternProblem("a*", true)).toMatch(/empty text/);
    expect(patternProblem("[abc", true)).toMatch(/not closed/);
    expect(patternProblem("***", false)).toMatch(/letter or digit/);
  });

  it("accepts simple patterns and matches them case-insensitively", () => {
    expect(patternProblem("viagra|cialis", true)).toBeNull();
    expect(patternProblem("casino\\s?bonus", true)).toBeNull();
    expect(patternProblem("fr[e3]{2}\\s+money", true)).toBeNull();
    const regex = compileWatched("fr[e3]{2}\\s+money", true)!;
    expect(regex.test("Get FR33   money today")).toBe(true);
    expect(regex.test("free")).toBe(false);
  });

  it("stays fast on a 50,000-character post for the worst patterns it accepts", () => {
    const text = "a".repeat(50_000);
    for (const pattern of ["a.*b", "[a-z]+\\s?x", "a?a?a?a?a?a?a?b", "(?:ab){0,30}c"]) {
      expect(patternProblem(pattern, true)).toBeNull();
      const regex = compileWatched(pattern, true)!;
      const started = performance.now();
      regex.test(text);
      expect(performance.now() - started).toBeLessThan(200);
    }
  });
});

describe("links", () => {
  it("finds links in their usual forms, and not in plain prose", () => {
    expect(containsLink("see https://example.org")).toBe(true);
    expect(containsLink("go to www.example.org")).toBe(true);
    expect(containsLink("[here](http://x.y)")).toBe(true);
    expect(containsLink("cheap-pills.com is great")).toBe(true);
    expect(containsLink("I think so. Thanks!")).toBe(false);
    expect(containsLink("version 2.0 works")).toBe(false);
    expect(containsLink("shop.cheap-pills.net")).toBe(true);
    expect(containsLink("write to jane.roe@gmail.com")).toBe(false);
  });
});
