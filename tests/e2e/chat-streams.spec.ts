import http from "node:http";
import { expect, test } from "@playwright/test";

/** A raw live-stream client: the presence counts it has been told, and a way to drop the connection. */
function openStream(baseURL: string, path: string) {
  const counts: number[] = [];
  let buffer = "";
  const request = http.get(new URL(path, baseURL), { headers: { accept: "text/event-stream" } }, (response) => {
    response.setEncoding("utf8");
    response.on("data", (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: presence$/m.test(frame)) {
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (data) counts.push((JSON.parse(data) as { count: number }).count);
        }
      }
    });
    response.on("error", () => {});
  });
  request.on("error", () => {});
  return { counts, drop: () => request.destroy() };
}

test("a client that goes away is no longer counted or subscribed", async ({ baseURL }) => {
  const first = openStream(baseURL!, "/chat/lobby/events.stream");
  await expect.poll(() => first.counts.at(-1)).toBeGreaterThanOrEqual(1);
  const before = first.counts.at(-1)!;
  const second = openStream(baseURL!, "/chat/lobby/events.stream");
  await expect.poll(() => second.counts.at(-1)).toBe(before + 1);

  second.drop();
  // The remaining viewer hears that one left, and a newcomer is counted once.
  await expect.poll(() => first.counts.at(-1), { timeout: 10_000 }).toBe(before);
  const third = openStream(baseURL!, "/chat/lobby/events.stream");
  await expect.poll(() => third.counts.at(-1)).toBe(before + 1);
  first.drop();
  third.drop();
});
