// A real SMTP peer for tests: the smtp-server package on a loopback port.
// It collects what it receives (parsed with mailparser), can require AUTH,
// can answer 4xx (or 5xx) for the next N messages, and can be stopped and
// started again on the same port to play a server that is down.
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { freePort } from "./free-port";

export type ReceivedMail = { envelopeFrom: string; envelopeTo: string[]; raw: string; parsed: ParsedMail };

export interface TestSmtpServer {
  port: number;
  /** smtp://[user:pass@]127.0.0.1:port */
  url: string;
  messages: ReceivedMail[];
  /** Answer the next `count` messages with this code (default 451, a temporary failure). */
  failNext(count: number, code?: number): void;
  /** Closes the listener: connections are refused until start(). */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Resolves once `count` messages have arrived. */
  waitForMessages(count: number, timeoutMs?: number): Promise<void>;
}


export async function startTestSmtpServer(options: { auth?: { user: string; pass: string } } = {}): Promise<TestSmtpServer> {
  const port = await freePort();
  const messages: ReceivedMail[] = [];
  let failures = 0;
  let failureCode = 451;
  let server: SMTPServer | null = null;

  const create = () =>
    new SMTPServer({
      // Plain SMTP on loopback: no STARTTLS to negotiate; AUTH allowed without TLS.
      disabledCommands: options.auth ? ["STARTTLS"] : ["STARTTLS", "AUTH"],
      authOptional: !options.auth,
      allowInsecureAuth: true,
      logger: false,
      onAuth(auth, _session, callback) {
        if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) return callback(null, { user: auth.username });
        return callback(new Error("Invalid username or password"));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          if (failures > 0) {
            failures -= 1;
            const error = Object.assign(new Error(failureCode >= 500 ? "Mailbox unavailable" : "Try again later"), { responseCode: failureCode });
            return callback(error);
          }
          const raw = Buffer.concat(chunks).toString("utf8");
          void simpleParser(raw).then((parsed) => {
            messages.push({
              envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
              envelopeTo: session.envelope.rcptTo.map((rcpt) => rcpt.address),
              raw,
              parsed,
            });
            callback();
          }, callback);
        });
      },
    });

  const start = async () => {
    server = create();
    await new Promise<void>((resolve, reject) => {
      server!.once("error", reject);
      server!.listen(port, "127.0.0.1", () => resolve());
    });
  };
  const stop = async () => {
    const current = server;
    server = null;
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };
  await start();
  const credentials = options.auth ? `${encodeURIComponent(options.auth.user)}:${encodeURIComponent(options.auth.pass)}@` : "";
  return {
    port,
    url: `smtp://${credentials}127.0.0.1:${port}`,
    messages,
    failNext(count, code = 451) {
      failures = count;
      failureCode = code;
    },
    stop,
    start,
    async waitForMessages(count, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      while (messages.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} messages, got ${messages.length}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
