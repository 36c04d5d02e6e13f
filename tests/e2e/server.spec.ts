import { spawn } from "node:child_process";
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { freePort } from "../support/free-port";


function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    env: { ...process.env, NODE_ENV: "production", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

test("a bad setting stops the server with one line naming it", async () => {
  const server = startServer({ PORT: "eighty", DATA_DIR: os.tmpdir() });
  expect(await server.exited).toBe(1);
  expect(server.output()).toMatch(/^Invalid setting PORT: .+$/m);
  expect(server.output()).not.toMatch(/at .+:\d+:\d+/);
});

test("SIGTERM lets in-flight requests finish, then exits cleanly", async ({ playwright }) => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-lifecycle-"));
  fs.copyFileSync(path.join(process.env.E2E_DATA_DIR!, "threadline.db"), path.join(dataDir, "threadline.db"));
  const port = await freePort();
  const server = startServer({ PORT: String(port), DATA_DIR: dataDir });
  const api = await playwright.request.newContext({ baseURL: `http://127.0.0.1:${port}` });
  await expect.poll(async () => (await api.get("/healthz").catch(() => null))?.status(), { timeout: 30_000 }).toBe(200);

  // A live-update stream stays open until the server closes it on shutdown.
  const stream = await fetch(`http://127.0.0.1:${port}/t/1/events.stream`);
  expect(stream.headers.get("content-type")).toContain("text/event-stream");
  // A request still arriving when SIGTERM comes: its body is sent in two
  // halves. "Expect: 100-continue" tells us when the server has the request
  // (on a busy machine it may not have read the headers yet after a fixed delay).
  const body = "identifier=nobody&password=not-the-password";
  let responseBody = "";
  const inFlight = new Promise<number>((resolve, reject) => {
    const request = http.request(
      { host: "127.0.0.1", port, path: "/login", method: "POST", agent: false, headers: {
        Origin: `http://127.0.0.1:${port}`, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(body.length),
        Expect: "100-continue",
      } },
      (response) => {
        response.on("data", (chunk: Buffer) => (responseBody += chunk.toString("utf8")));
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    request.on("error", reject);
    request.on("continue", () => {
      request.write(body.slice(0, 10));
      server.child.kill("SIGTERM");
      setTimeout(() => request.end(body.slice(10)), 300);
    });
    request.flushHeaders();
  });
  expect(await inFlight).toBe(400);
  expect(responseBody).toContain("do not match an account");
  expect(await server.exited).toBe(0);
  expect(server.output()).toContain("shutting down");
  await api.dispose();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("assets are compressed and cached for a year; pages are not cached", async ({ request }) => {
  const page = await request.get("/", { headers: { "Accept-Encoding": "gzip" } });
  expect(page.headers()["content-encoding"]).toBe("gzip");
  const css = /href="(\/assets\/[^"]+\.css)"/.exec(await page.text())![1]!;
  const asset = await request.get(css, { headers: { "Accept-Encoding": "gzip" } });
  expect(asset.status()).toBe(200);
  expect(asset.headers()["cache-control"]).toMatch(/max-age=31536000.*immutable/);
  expect(asset.headers()["content-encoding"]).toBe("gzip");
  expect(page.headers()["cache-control"] ?? "").not.toMatch(/max-age=[1-9]/);
});
