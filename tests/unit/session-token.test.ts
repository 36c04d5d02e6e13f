import { describe, expect, it } from "vitest";
import { generateSessionToken, hashSecret, secretMatches, splitSessionToken } from "~/utils/auth/session-token.server";

describe("session tokens", () => {
  it("are unique, well-formed and carry at least 128 random bits in the secret", () => {
    const tokens = new Set(Array.from({ length: 500 }, () => generateSessionToken().token));
    expect(tokens.size).toBe(500);
    const { token, id, secretHash } = generateSessionToken();
    const parts = splitSessionToken(token)!;
    expect(parts.id).toBe(id);
    // base32: 5 bits a character; 32 characters = 160 bits.
    expect(parts.secret.length * 5).toBeGreaterThanOrEqual(128);
    expect(secretHash).toBe(hashSecret(parts.secret));
    expect(secretHash).not.toContain(parts.secret);
  });

  it.each(["", "garbage", "a.b", "x".repeat(5000), `${"a".repeat(24)}.${"b".repeat(31)}`, `${"A".repeat(24)}.${"b".repeat(32)}`, "../../etc/passwd"])(
    "rejects the malformed token %s",
    (token) => {
      expect(splitSessionToken(token)).toBeNull();
    },
  );

  it("matches only the right secret", () => {
    const { token, secretHash } = generateSessionToken();
    const { secret } = splitSessionToken(token)!;
    expect(secretMatches(secret, secretHash)).toBe(true);
    expect(secretMatches(secret.slice(0, -1) + (secret.endsWith("a") ? "b" : "a"), secretHash)).toBe(false);
    expect(secretMatches(secret, "short")).toBe(false);
  });
});
