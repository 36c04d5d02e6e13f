import type http from "node:http";
import type net from "node:net";
import type { Express } from "express";

export type LoopbackServer = { server: http.Server; port: number; close: () => Promise<void> };

/** Serves `app` on a free port of 127.0.0.1; `close` also drops open connections (live streams never end by themselves). */
export async function listenOnLoopback(app: Express): Promise<LoopbackServer> {
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  return {
    server,
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
