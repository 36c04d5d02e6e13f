import { describe, expect, it } from "vitest";
import { hashPassword, passwordProblem, verifyPassword } from "~/utils/auth/password.server";

describe("passwordProblem", () => {
  it("accepts a long passphrase with no composition rules", () => {
    expect(passwordProblem("correct horse battery staple")).toBeNull();
    expect(passwordProblem("alllowercaseletters")).toBeNull();
  });

  it("refuses passwords under 8 characters, counting characters not bytes", () => {
    expect(passwordProblem("short1!")).toMatch(/at least 8/);
    // Eight emoji are 8 characters (32 bytes): long enough.
    expect(passwordProblem("🦊🦊🦊🦊🦊🦊🦊🦊")).toBeNull();
  });

  it("accepts 64 characters and refuses past the maximum", () => {
    expect(passwordProblem("x".repeat(20) + "y".repeat(44))).toBeNull();
    expect(passwordProblem("ab".repeat(65))).toMatch(/too long/);
  });

  it("refuses over 1 KB before any hashing", () => {
    expect(passwordProblem("é".repeat(600))).toMatch(/too long/);
  });

  it("refuses common passwords with a reason, whatever their case", () => {
    expect(passwordProblem("password1")).toMatch(/most common passwords/);
    expect(passwordProblem("PASSWORD1")).toMatch(/most common passwords/);
    expect(passwordProblem("qwertyuiop")).toMatch(/most common passwords/);
  });

  it("refuses the username or email as the password", () => {
    expect(passwordProblem("linus-torvalds", { username: "Linus-Torvalds" })).toMatch(/username/);
    expect(passwordProblem("me@example.org", { email: "me@example.org" })).toMatch(/email/);
  });
});

describe("hashPassword", () => {
  it("uses argon2id and verifies the same password only", async () => {
    const hash = await hashPassword("a perfectly fine passphrase");
    expect(hash.startsWith("$argon2id$")).toBe(true);
    expect(await verifyPassword(hash, "a perfectly fine passphrase")).toBe(true);
    expect(await verifyPassword(hash, "a perfectly fine passphrasE")).toBe(false);
  });

  it("normalizes Unicode so composed and decomposed input match", async () => {
    const composed = "caf\u00e9 au lait tous les jours";
    const decomposed = "cafe\u0301 au lait tous les jours";
    const hash = await hashPassword(composed);
    expect(await verifyPassword(hash, decomposed)).toBe(true);
  });

  it("never verifies an oversized password or a corrupt hash", async () => {
    const hash = await hashPassword("a perfectly fine passphrase");
    expect(await verifyPassword(hash, "a".repeat(2000))).toBe(false);
    expect(await verifyPassword("not-a-hash", "a perfectly fine passphrase")).toBe(false);
  });
});
