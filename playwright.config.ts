import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";

// End-to-end tests against the production build served by server.ts, with a
// fresh database in a temporary DATA_DIR. Debian's Chromium is used where it
// is installed (Playwright cannot download browsers on our machines);
// elsewhere Playwright's own Chromium is.
const port = Number(process.env.E2E_PORT ?? 3210);
const dataDir = process.env.E2E_DATA_DIR ?? fs.mkdtempSync(path.join(os.tmpdir(), "threadline-e2e-"));
process.env.E2E_DATA_DIR = dataDir;
export const serverLogFile = path.join(dataDir, "server.log");
const systemChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((file) => fs.existsSync(file));

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [["list"], ["json", { outputFile: "tests/.output/playwright.json" }]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: "retain-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? systemChromium,
          // Without these, Chromium keeps trying to reach Google's services.
          args: [
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-default-apps",
            "--no-first-run",
            "--disable-quic",
            "--disable-gpu",
            "--no-sandbox",
          ],
        },
      },
    },
  ],
  webServer: {
    command: `npm run setup --silent && exec node --import tsx server.ts > ${JSON.stringify(serverLogFile)} 2>&1`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    env: {
      NODE_ENV: "production",
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      RATE_LIMITS: "relaxed",
      LOG_LEVEL: "info",
      SEED_DEMO: "true",
      // Traffic counters reach the database within a second (tests/e2e/traffic.spec.ts).
      TRAFFIC_FLUSH_SECONDS: "1",
    },
  },
});
