import { z } from "zod";

/**
 * Every setting the server reads, checked once at start-up. A missing or bad
 * value stops the server with one line naming it (see formatEnvErrors).
 * .env.example documents each of them.
 */
const EnvSchema = z.object({
  NODE_ENV: z.enum(["production", "development", "test"]).default("development"),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  DATABASE_URL: z
    .string()
    .regex(/^file:.+/, "must be a SQLite file URL such as file:./data/threadline.db")
    .optional(),
  PUBLIC_URL: z.string().url("must be an absolute URL such as https://forum.example.org").optional(),
  TRUST_PROXY: z
    .enum(["false", "true", "1", "2", "3", "loopback"])
    .default("false")
    .describe("how many reverse proxies sit in front of the server"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  RATE_LIMITS: z.enum(["strict", "relaxed"]).default("strict"),
  SESSION_IDLE_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  SESSION_MAX_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  INSECURE_COOKIES: z.enum(["true", "false"]).default("false"),
  SEED_DEMO: z.enum(["true", "false"]).default("true"),
  PAGE_CACHE_SECONDS: z.coerce.number().int().min(0).max(3600).default(5),
  /** "inline" keeps archived lists in sync inside the web server; "off" leaves it to `npm run worker`. */
  IMPORT_WORKER: z.enum(["inline", "off"]).default("inline"),
  IMPORT_POLL_MINUTES: z.coerce.number().positive().max(10_080).default(10),
  /** "on" watches each IMAP account's list mailbox with IDLE between polls. */
  IMPORT_IDLE: z.enum(["on", "off"]).default("on"),
  /** Meilisearch replaces the embedded search engine when this is set. */
  MEILI_HOST: z
    .string()
    .regex(/^https?:\/\/[^\s/]+/, "must be an http(s) URL such as http://127.0.0.1:7700")
    .optional(),
  MEILI_API_KEY: z.string().optional(),
  MEILI_INDEX: z.string().regex(/^[A-Za-z0-9_-]+$/, "may hold letters, digits, - and _ only").default("threadline"),
  /** The embedded engine's index file (default DATA_DIR/search.sqlite). */
  SEARCH_INDEX_FILE: z.string().min(1).optional(),
  /** "inline" drains the search outbox inside the web server; "off" leaves it to `npm run worker`. */
  SEARCH_INDEXER: z.enum(["inline", "off"]).default("inline"),
  /** Live updates: "memory" within one process; "postgres" shares them between instances. */
  EVENTS_BACKEND: z.enum(["memory", "postgres"]).default("memory"),
  EVENTS_DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, "must be a URL such as postgres://user:password@host:5432/threadline").optional(),
  EVENTS_CHANNEL: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "lower-case letters, digits and _, at most 63").default("threadline_events"),
  EVENTS_CLIENT_BACKLOG_KB: z.coerce.number().int().min(16).max(65_536).default(256),
  /** Outgoing mail goes to this SMTP server; unset keeps it in the outbox at /admin/outbox. */
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s/]+/, "must be an smtp:// or smtps:// URL such as smtp://user:pass@mail.example.org:587")
    .optional(),
  MAIL_FROM: z.string().min(3).default("Threadline <no-reply@localhost>"),
  /** "inline" delivers queued mail inside the web server; "off" leaves it to `npm run worker`. */
  MAIL_WORKER: z.enum(["inline", "off"]).default("inline"),
  /** Messages one address may receive per hour; more wait for a free slot. */
  MAIL_PER_RECIPIENT_HOUR: z.coerce.number().int().min(1).max(10_000).default(10),
  /** Messages handed to SMTP per minute across all addresses; more wait. */
  MAIL_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  /** Delivery attempts before a message is marked failed (its last error kept). */
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  /** Delivered, kept and failed mail is deleted after this many days (0 keeps it forever). Queued mail is never deleted. */
  MAIL_RETENTION_DAYS: z.coerce.number().int().min(0).max(3650).default(30),
  /** Where /privacy/feedback questions go; unset keeps them in the outbox for admins (/admin/outbox). */
  FEEDBACK_EMAIL: z.string().email("must be an email address such as privacy@example.org").optional(),
  /** "true" refuses posts from members who have not verified their email address. */
  REQUIRE_VERIFIED_EMAIL: z.enum(["true", "false"]).default("false"),
  /** "on" counts page views for /admin/traffic (aggregate counts only); "off" records nothing. */
  TRAFFIC_STATS: z.enum(["on", "off"]).default("on"),
  /** Seconds between writes of the in-memory traffic counters to the database. */
  TRAFFIC_FLUSH_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Members with fewer approved posts than this have posts with links held for approval (until moderators change it at /mod/settings). */
  HOLD_LINK_POSTS_BELOW: z.coerce.number().int().min(0).max(1000).default(1),
  /** Members with fewer approved posts than this have every post held for approval (until changed at /mod/settings). */
  HOLD_POSTS_BELOW: z.coerce.number().int().min(0).max(1000).default(0),
});

export type Env = z.infer<typeof EnvSchema>;

const CheckedEnvSchema = EnvSchema.superRefine((env, context) => {
  if (env.EVENTS_BACKEND === "postgres" && !env.EVENTS_DATABASE_URL) {
    context.addIssue({ code: "custom", path: ["EVENTS_DATABASE_URL"], message: "EVENTS_BACKEND=postgres needs a URL such as postgres://user:password@host:5432/threadline" });
  }
});

export type EnvResult = { ok: true; env: Env } | { ok: false; errors: string[] };

export function parseEnv(source: Record<string, string | undefined>): EnvResult {
  // Treat empty strings as unset, as .env files often leave them blank.
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const result = CheckedEnvSchema.safeParse(cleaned);
  if (result.success) return { ok: true, env: result.data };
  return { ok: false, errors: formatEnvErrors(result.error) };
}

function formatEnvErrors(error: z.ZodError): string[] {
  return error.issues.map((issue) => `Invalid setting ${issue.path.join(".")}: ${issue.message}`);
}

let cached: Env | undefined;

/** The validated settings; throws if they were never valid. */
export function getEnv(): Env {
  if (cached) return cached;
  const result = parseEnv(process.env);
  if (!result.ok) throw new Error(result.errors.join("\n"));
  cached = result.env;
  return cached;
}

/** Forgets the checked settings so the next getEnv() reads process.env again (tests). */
export function clearEnvCache() {
  cached = undefined;
}
