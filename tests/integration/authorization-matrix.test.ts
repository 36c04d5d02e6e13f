// The authorization matrix: every route module with an `action` (mutations,
// API writes included) and every /mod and /admin page, found on disk, walked
// as each role. The expected table is tests/integration/authorization/table.ts.
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { resetAllLimits } from "~/utils/rate-limit.server";
import { createFixtures, ROLES, type Fixtures } from "./authorization/fixtures";
import { TABLE } from "./authorization/table";
import { call } from "./mod-support";

const ROUTES_DIR = path.resolve(import.meta.dirname, "../../app/routes");
const routeFiles = fs.readdirSync(ROUTES_DIR).filter((f) => /\.tsx?$/.test(f));
const source = (file: string) => fs.readFileSync(path.join(ROUTES_DIR, file), "utf8");
const exportsFn = (file: string, name: string) => new RegExp(`export\\s+(async\\s+)?(function\\s+${name}\\b|const\\s+${name}\\b)`).test(source(file));
const routeId = (file: string) => file.replace(/\.tsx?$/, "");

const actionRoutes = routeFiles.filter((f) => exportsFn(f, "action")).map(routeId);
const guardedPages = routeFiles.filter((f) => /^(mod|admin)\./.test(f) && exportsFn(f, "loader")).map(routeId);
const entries = Object.entries(TABLE);

let fx: Fixtures;
beforeAll(async () => {
  fx = await createFixtures();
}, 60_000);

describe("the table covers every route on disk", () => {
  it("has a line for every route with an action", () => {
    const covered = new Set(entries.filter(([key]) => !key.startsWith("loader:")).map(([key]) => key.split("#")[0]));
    const missing = actionRoutes.filter((id) => !covered.has(id));
    expect(missing, `Add these routes with an action to tests/integration/authorization/table.ts: ${missing.join(", ")}`).toEqual([]);
  });

  it("has a line for every /mod and /admin page", () => {
    const missing = guardedPages.filter((id) => !(`loader:${id}` in TABLE));
    expect(missing, `Add these /mod or /admin pages to tests/integration/authorization/table.ts as "loader:<route>": ${missing.join(", ")}`).toEqual([]);
  });

  it("names only routes that exist", () => {
    const known = new Set(routeFiles.map(routeId));
    expect(entries.map(([key]) => key.replace(/^loader:/, "").split("#")[0]!).filter((id) => !known.has(id))).toEqual([]);
  });
});

describe.each(entries)("%s", (key, entry) => {
  const [id] = key.replace(/^loader:/, "").split("#");
  const kind = key.startsWith("loader:") ? "loader" : "action";

  it.each(ROLES)(`as %s`, async (role) => {
    const module = (await import(path.join(ROUTES_DIR, `${id}.tsx`))) as Record<string, unknown>;
    expect(module[kind], `${id} exports no ${kind}`).toBeTypeOf("function");
    resetAllLimits();
    const spec = await entry.request(fx);
    const user = role === "anonymous" ? null : fx.users[role];
    const result = await call(module[kind], spec.url, spec.params ?? {}, user, kind === "action" ? (spec.form ?? {}) : undefined);
    const location = result.response?.headers.get("Location") ?? "";
    const toLogin = result.status >= 300 && result.status < 400 && location.startsWith("/login");
    if (entry.allowed.includes(role)) {
      expect(result.status, `${role} should get through ${key}`).not.toBe(403);
      expect(toLogin, `${role} should not be sent to log in by ${key}`).toBe(false);
      expect(result.status).toBeLessThan(500);
    } else if (role === "anonymous") {
      expect(toLogin, `visitors should be sent to /login by ${key} (got ${result.status} ${location})`).toBe(true);
      expect(location).toContain(`redirectTo=${encodeURIComponent(new URL(spec.url, "http://x").pathname)}`);
    } else {
      expect(result.status, `${role} should be refused by ${key}`).toBe(entry.denied ?? 403);
    }
  });
});
