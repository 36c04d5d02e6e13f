import pino from "pino";

// One logger for the server, the importer and the CLIs. Nothing personal is
// ever logged: request logs are built from an allow-list in server.ts, and
// callers log ids and counts, never emails, addresses or tokens.
export const logger = pino({
  level: process.env.LOG_LEVEL || (process.env.NODE_ENV === "test" ? "silent" : "info"),
  base: undefined,
  redact: {
    paths: ["email", "password", "token", "cookie", "*.email", "*.password", "*.token", "*.cookie"],
    censor: "[redacted]",
  },
});
