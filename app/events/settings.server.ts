/**
 * The EVENTS_* settings, read here rather than in the start-up schema so the
 * events layer can be configured and tested on its own. A bad value throws
 * with one line naming the setting, as the start-up check does.
 */
export type EventSettings =
  | { backend: "memory"; clientBacklogBytes: number }
  | { backend: "postgres"; databaseUrl: string; channel: string; clientBacklogBytes: number };

const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export const DEFAULT_EVENTS_CHANNEL = "threadline_events";
export const DEFAULT_CLIENT_BACKLOG_KB = 256;

function value(source: Record<string, string | undefined>, name: string): string | undefined {
  const raw = source[name]?.trim();
  return raw ? raw : undefined;
}

export function parseEventSettings(source: Record<string, string | undefined> = process.env): EventSettings {
  const backlogText = value(source, "EVENTS_CLIENT_BACKLOG_KB");
  const backlogKb = backlogText === undefined ? DEFAULT_CLIENT_BACKLOG_KB : Number(backlogText);
  if (!Number.isInteger(backlogKb) || backlogKb < 16 || backlogKb > 65_536) {
    throw new Error("Invalid setting EVENTS_CLIENT_BACKLOG_KB: must be a whole number of kilobytes from 16 to 65536");
  }
  const clientBacklogBytes = backlogKb * 1024;

  const backend = value(source, "EVENTS_BACKEND") ?? "memory";
  if (backend === "memory") return { backend, clientBacklogBytes };
  if (backend !== "postgres") {
    throw new Error(`Invalid setting EVENTS_BACKEND: must be "memory" or "postgres"`);
  }
  const databaseUrl = value(source, "EVENTS_DATABASE_URL");
  if (!databaseUrl || !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error("Invalid setting EVENTS_DATABASE_URL: EVENTS_BACKEND=postgres needs a URL such as postgres://user:password@host:5432/threadline");
  }
  const channel = value(source, "EVENTS_CHANNEL") ?? DEFAULT_EVENTS_CHANNEL;
  if (!CHANNEL_NAME.test(channel)) {
    throw new Error("Invalid setting EVENTS_CHANNEL: lower-case letters, digits and underscores, at most 63, not starting with a digit");
  }
  return { backend, databaseUrl, channel, clientBacklogBytes };
}
