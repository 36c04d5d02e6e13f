import net from "node:net";

/**
 * A loopback port that was free a moment ago: for servers the tests start
 * (Dovecot, PostgreSQL, SMTP, the app) and for addresses where nothing listens.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error("Could not find a free port."))));
    });
  });
}
