import { beforeEach, describe, expect, it } from "vitest";
import { checkLoginAllowed, recordLoginFailure, recordLoginSuccess, resetLoginThrottle } from "~/utils/auth/login-throttle.server";
import { consumeLimit, resetAllLimits } from "~/utils/rate-limit.server";

beforeEach(() => {
  resetAllLimits();
  resetLoginThrottle();
});

describe("consumeLimit", () => {
  it("allows max hits per window, then says how long to wait", () => {
    const limit = { max: 3, windowMs: 60_000 };
    const t = 1_000_000;
    expect(consumeLimit("k", limit, t).ok).toBe(true);
    expect(consumeLimit("k", limit, t + 1).ok).toBe(true);
    expect(consumeLimit("k", limit, t + 2).ok).toBe(true);
    const refused = consumeLimit("k", limit, t + 10_000);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 50 });
    expect(consumeLimit("k", limit, t + 60_001).ok).toBe(true);
    expect(consumeLimit("other", limit, t + 10_000).ok).toBe(true);
  });
});

describe("login throttling", () => {
  const t = 5_000_000;
  it("pauses one client after 5 failures on one account", () => {
    for (let i = 0; i < 5; i++) {
      expect(checkLoginAllowed("ada", "attacker", t + i).ok).toBe(true);
      recordLoginFailure("ada", "attacker", t + i);
    }
    const result = checkLoginAllowed("ada", "attacker", t + 10);
    expect(result.ok).toBe(false);
    // Typed names are matched case-insensitively.
    expect(checkLoginAllowed("ADA", "attacker", t + 10).ok).toBe(false);
  });

  it("does not let a guessing flood lock the owner out of their account", () => {
    recordLoginSuccess(["ada", "ada@example.org"], "owner-laptop", t);
    // Many attackers, each staying under the per-pair limit, exhaust the account budget.
    for (let client = 0; client < 20; client++) {
      for (let i = 0; i < 4; i++) recordLoginFailure("ada", `attacker-${client}`, t + client * 10 + i);
    }
    expect(checkLoginAllowed("ada", "new-attacker", t + 1000).ok).toBe(false);
    expect(checkLoginAllowed("ada", "owner-laptop", t + 1000).ok).toBe(true);
    expect(checkLoginAllowed("ada@example.org", "owner-laptop", t + 1000).ok).toBe(true);
  });

  it("limits one client's attempts across many accounts", () => {
    let allowed = 0;
    for (let i = 0; i < 40; i++) if (checkLoginAllowed(`user${i}`, "sprayer", t + i).ok) allowed++;
    expect(allowed).toBe(30);
  });
});
