import { describe, expect, it } from "vitest";
import { parseEnv } from "~/utils/env.server";

describe("parseEnv", () => {
  it("gives working defaults for an empty environment", () => {
    const result = parseEnv({});
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.env.PORT).toBe(3000);
    expect(result.env.DATA_DIR).toBe("./data");
    expect(result.env.NODE_ENV).toBe("development");
  });

  it("names each bad setting in one line", () => {
    const result = parseEnv({ PORT: "eighty", DATABASE_URL: "postgres://x", PUBLIC_URL: "not a url" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(3);
    expect(result.errors.find((line) => line.startsWith("Invalid setting PORT:"))).toBeTruthy();
    expect(result.errors.find((line) => line.startsWith("Invalid setting DATABASE_URL:"))).toMatch(/SQLite file URL/);
    expect(result.errors.find((line) => line.startsWith("Invalid setting PUBLIC_URL:"))).toBeTruthy();
  });

  it("treats empty values as unset", () => {
    const result = parseEnv({ PORT: "", DATABASE_URL: "" });
    expect(result.ok && result.env.PORT).toBe(3000);
  });
});
