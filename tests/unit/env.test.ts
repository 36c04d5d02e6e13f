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

  it("chooses the embedded search engine unless MEILI_HOST is a URL, and checks the index name", () => {
    const embedded = parseEnv({});
    expect(embedded.ok && [embedded.env.MEILI_HOST, embedded.env.SEARCH_INDEXER, embedded.env.MEILI_INDEX, embedded.env.IMPORT_IDLE]).toEqual([undefined, "inline", "threadline", "on"]);
    const bad = parseEnv({ MEILI_HOST: "localhost:7700", MEILI_INDEX: "thread line", SEARCH_INDEXER: "sometimes", IMPORT_IDLE: "yes" });
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.errors.map((line) => line.split(":")[0]).sort()).toEqual([
      "Invalid setting IMPORT_IDLE",
      "Invalid setting MEILI_HOST",
      "Invalid setting MEILI_INDEX",
      "Invalid setting SEARCH_INDEXER",
    ]);
  });

  it("takes an email address for FEEDBACK_EMAIL, and nothing else", () => {
    const unset = parseEnv({});
    expect(unset.ok && unset.env.FEEDBACK_EMAIL).toBeUndefined();
    const set = parseEnv({ FEEDBACK_EMAIL: "privacy@example.org" });
    expect(set.ok && set.env.FEEDBACK_EMAIL).toBe("privacy@example.org");
    const bad = parseEnv({ FEEDBACK_EMAIL: "privacy at example.org" });
    expect(!bad.ok && bad.errors).toEqual(["Invalid setting FEEDBACK_EMAIL: must be an email address such as privacy@example.org"]);
  });

  it("needs a PostgreSQL URL for the postgres events backend", () => {
    const missing = parseEnv({ EVENTS_BACKEND: "postgres" });
    expect(missing.ok).toBe(false);
    if (!missing.ok) expect(missing.errors).toEqual([expect.stringMatching(/^Invalid setting EVENTS_DATABASE_URL: EVENTS_BACKEND=postgres needs a URL/)]);
    const given = parseEnv({ EVENTS_BACKEND: "postgres", EVENTS_DATABASE_URL: "postgres://u:p@127.0.0.1:5432/t" });
    expect(given.ok && [given.env.EVENTS_CHANNEL, given.env.EVENTS_CLIENT_BACKLOG_KB]).toEqual(["threadline_events", 256]);
    const bad = parseEnv({ EVENTS_CHANNEL: "Bad-Name", EVENTS_CLIENT_BACKLOG_KB: "1" });
    expect(bad.ok ? [] : bad.errors.map((line) => line.split(":")[0])).toEqual(["Invalid setting EVENTS_CHANNEL", "Invalid setting EVENTS_CLIENT_BACKLOG_KB"]);
  });

  it("treats empty values as unset", () => {
    const result = parseEnv({ PORT: "", DATABASE_URL: "" });
    expect(result.ok && result.env.PORT).toBe(3000);
  });
});

describe("traffic statistics settings", () => {
  it("records by default, flushing every minute, and accepts only on or off", () => {
    const defaults = parseEnv({});
    expect(defaults.ok && [defaults.env.TRAFFIC_STATS, defaults.env.TRAFFIC_FLUSH_SECONDS]).toEqual(["on", 60]);
    const off = parseEnv({ TRAFFIC_STATS: "off", TRAFFIC_FLUSH_SECONDS: "2" });
    expect(off.ok && [off.env.TRAFFIC_STATS, off.env.TRAFFIC_FLUSH_SECONDS]).toEqual(["off", 2]);
    const bad = parseEnv({ TRAFFIC_STATS: "no", TRAFFIC_FLUSH_SECONDS: "0" });
    expect(bad.ok ? [] : bad.errors.map((line) => line.split(":")[0]).sort()).toEqual(["Invalid setting TRAFFIC_FLUSH_SECONDS", "Invalid setting TRAFFIC_STATS"]);
  });
});
