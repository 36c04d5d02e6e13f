// IMAP IDLE for the import worker: new mail reaches the archive within
// seconds instead of at the next poll.
//
// - One long-lived connection per account (host + port + user). IDLE watches
//   the one mailbox that is selected, so on an account serving several lists
//   from different mailboxes the list with the lowest id is watched and the
//   others are left to the poll. A second connection per mailbox would break
//   the per-account connection limits providers enforce, and rotating one
//   connection across mailboxes would still leave each unwatched most of the
//   time.
// - The watcher only notices mail; it never fetches it. `onNewMail` hands the
//   lists to the worker, which syncs them through syncImapList (its own
//   short-lived connection and the per-list database lock), so IDLE and the
//   poll share one code path for storing messages.
// - IDLE is restarted every `reidleMs` (imapflow's maxIdleTime), dropped
//   connections are reopened with exponential backoff and jitter, and a server
//   that says it is busy or over its connection limit is left alone for
//   longer. Wrong passwords and missing mailboxes are not retried until the
//   next poll round. A server without IDLE is left to the poll.
// - The poll stays the safety net: a watcher that dies quietly costs latency,
//   never mail.
//
// Logs carry list slugs and mailbox names only: never hosts, users or passwords.
import { ImapFlow } from "imapflow";
import { db } from "~/utils/db.server";
import { logger } from "~/utils/logger.server";
import { imapSettingsOf } from "./imap-sync.ts";

export interface IdleWatchOptions {
  /** Called when new mail may be waiting for these lists (a new EXISTS, or unsynced mail found when the mailbox is opened). */
  onNewMail: (listIds: number[]) => void;
  /**
   * IDLE is ended and started again this often (default 10 minutes): inside
   * the 29 minutes of RFC 2177 and the shorter limits of some providers and
   * NAT gateways.
   */
  reidleMs?: number;
  /** Timeout for connecting, logging in and opening the mailbox (default 30 s). */
  connectTimeoutMs?: number;
  /** First reconnection delay (default 2 s); doubles on every failure in a row up to `backoffMaxMs` (default 5 minutes). */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** Least wait after the server reports throttling or a connection limit (default 60 s). */
  throttleMinMs?: number;
  /** A connection that stayed up this long resets the backoff (default 60 s). */
  stableMs?: number;
  /** Called on every state change (tests, diagnostics). */
  onState?: (event: IdleStateEvent) => void;
}

export type IdleState = "connecting" | "idling" | "waiting" | "unsupported" | "failed" | "stopped";

export interface IdleStateEvent {
  /** The lists whose mailbox the connection watches. */
  slugs: string[];
  mailbox: string;
  state: IdleState;
}

type Settings = ReturnType<typeof imapSettingsOf>;

export interface IdleWatchPlan {
  /** host:port:user; never logged. */
  account: string;
  /** Changes when the connection has to be opened again (server, user, password variable, mailbox). */
  signature: string;
  settings: Settings;
  /** Lists read from the watched mailbox. */
  listIds: number[];
  slugs: string[];
  /** Lists of the same account in other mailboxes: synced by the poll only. */
  polledSlugs: string[];
}

type ImapError = Error & {
  code?: string;
  authenticationFailed?: boolean;
  mailboxMissing?: boolean;
  serverResponseCode?: string;
  responseText?: string;
  throttleReset?: number;
};

/** Active IMAP lists grouped by account, the same lists the poll syncs. Lists with unusable settings are left to the poll, which reports them. */
export async function planIdleWatches(): Promise<IdleWatchPlan[]> {
  const lists = await db.mailingList.findMany({
    where: { sourceType: "imap", active: true },
    orderBy: { id: "asc" },
    select: { id: true, slug: true, sourceType: true, imapHost: true, imapPort: true, imapTls: true, imapUser: true, imapPasswordEnv: true, imapMailbox: true },
  });
  const byAccount = new Map<string, IdleWatchPlan>();
  for (const list of lists) {
    let settings: Settings;
    try {
      settings = imapSettingsOf(list);
    } catch {
      continue;
    }
    const account = `${settings.host.toLowerCase()}:${settings.port}:${settings.user}`;
    const plan = byAccount.get(account);
    if (!plan) {
      const signature = JSON.stringify([account, settings.secure, list.imapPasswordEnv, settings.mailbox]);
      byAccount.set(account, { account, signature, settings, listIds: [list.id], slugs: [list.slug], polledSlugs: [] });
    } else if (plan.settings.mailbox === settings.mailbox) {
      plan.listIds.push(list.id);
      plan.slugs.push(list.slug);
    } else {
      plan.polledSlugs.push(list.slug);
    }
  }
  return [...byAccount.values()];
}

/** The IDLE connections of one worker, one per account. */
export class IdleWatchers {
  private readonly watchers = new Map<string, AccountWatcher>();
  private stopped = false;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(private readonly options: IdleWatchOptions) {}

  /** Opens, keeps or closes connections to match the active lists (after every poll round). */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(() => this.apply()).catch((error: unknown) => {
      logger.error({ error: error instanceof Error ? error.message : String(error) }, "IMAP IDLE watchers could not be updated");
    });
    return this.refreshing;
  }

  /** Closes every connection; resolves once they are closed. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.refreshing;
    await Promise.all([...this.watchers.values()].map((watcher) => watcher.stop()));
    this.watchers.clear();
  }

  private async apply(): Promise<void> {
    if (this.stopped) return;
    const plans = await planIdleWatches();
    if (this.stopped) return;
    const wanted = new Set(plans.map((plan) => plan.account));
    for (const [account, watcher] of this.watchers) {
      if (wanted.has(account)) continue;
      this.watchers.delete(account);
      await watcher.stop();
    }
    for (const plan of plans) {
      if (this.stopped) return;
      const current = this.watchers.get(plan.account);
      // Same connection settings: keep the connection (a failed one is tried again once per round).
      if (current && current.plan.signature === plan.signature && current.state !== "failed") {
        current.plan = plan;
        continue;
      }
      // The old connection is closed before the new one opens: one connection per account.
      if (current) await current.stop();
      if (plan.polledSlugs.length > 0) {
        logger.info({ lists: plan.polledSlugs, watched: plan.slugs }, "these lists share an IMAP account with a watched mailbox and are synced by the poll only");
      }
      const watcher = new AccountWatcher(plan, this.options);
      this.watchers.set(plan.account, watcher);
      watcher.start();
    }
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

async function withTimeout<T>(client: ImapFlow, promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error: ImapError = new Error(`IMAP ${what} timed out after ${ms} ms`);
      error.code = "COMMAND_TIMEOUT";
      client.close();
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** IDLE is in IMAP4rev2 itself and an extension of IMAP4rev1. */
function supportsIdle(client: ImapFlow): boolean {
  return client.capabilities.has("IDLE") || client.capabilities.has("IMAP4rev2");
}

// RFC 5530 codes and provider wording for "come back later", as opposed to "wrong password".
const THROTTLE_CODES = new Set(["UNAVAILABLE", "LIMIT", "INUSE"]);
const THROTTLE_TEXT = /too many|throttl|rate limit|try again later|connection limit/i;

/** How long the server asked us to stay away, or 0 when it did not. */
export function throttleDelayOf(error: unknown, byeReason: string | undefined, minMs: number): number {
  const e = error as ImapError | undefined;
  if (e?.code === "ETHROTTLE") return Math.max(minMs, e.throttleReset ?? 0);
  if (e?.serverResponseCode && THROTTLE_CODES.has(e.serverResponseCode.toUpperCase())) return minMs;
  if ((e?.responseText && THROTTLE_TEXT.test(e.responseText)) || (byeReason && THROTTLE_TEXT.test(byeReason))) return minMs;
  return 0;
}

/** Exponential backoff with jitter: between half and all of base * 2^(failures-1), capped. */
export function backoffDelay(failures: number, baseMs: number, maxMs: number, random = Math.random): number {
  const full = Math.min(maxMs, baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(full / 2 + random() * (full / 2));
}

class AccountWatcher {
  state: IdleState = "stopped";
  private client: ImapFlow | null = null;
  private stopping = false;
  private readonly wake = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    public plan: IdleWatchPlan,
    private readonly options: IdleWatchOptions,
  ) {}

  start(): void {
    this.loop = this.run().catch((error: unknown) => {
      logger.error({ lists: this.plan.slugs, error: error instanceof Error ? error.message : String(error) }, "IMAP IDLE watcher stopped unexpectedly");
    });
  }

  /** Logs out (or drops the connection if the server does not answer quickly) and waits for the watcher to end. */
  async stop(): Promise<void> {
    if (!this.stopping) {
      this.stopping = true;
      this.wake.abort();
      const client = this.client;
      if (client && !client.isClosed) {
        if (client.usable) {
          const forced = setTimeout(() => client.close(), 2000);
          await client.logout().catch(() => client.close());
          clearTimeout(forced);
        } else {
          client.close();
        }
      }
    }
    await this.loop;
  }

  private setState(state: IdleState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onState?.({ slugs: [...this.plan.slugs], mailbox: this.plan.settings.mailbox, state });
  }

  private async run(): Promise<void> {
    const reidleMs = this.options.reidleMs ?? 10 * 60_000;
    const connectTimeoutMs = this.options.connectTimeoutMs ?? 30_000;
    const backoffBase = this.options.backoffBaseMs ?? 2000;
    const backoffMax = this.options.backoffMaxMs ?? 5 * 60_000;
    const throttleMin = this.options.throttleMinMs ?? 60_000;
    const stableMs = this.options.stableMs ?? 60_000;
    const { settings } = this.plan;
    let failures = 0;
    let reconnecting = false;

    while (!this.stopping) {
      this.setState("connecting");
      const client = new ImapFlow({
        host: settings.host,
        port: settings.port,
        secure: settings.secure,
        auth: { user: settings.user, pass: settings.pass },
        logger: false,
        disableAutoIdle: true,
        maxIdleTime: reidleMs,
        connectionTimeout: connectTimeoutMs,
        greetingTimeout: connectTimeoutMs,
        clientInfo: { name: "Threadline archive importer" },
      });
      client.on("error", () => {}); // the pending command or IDLE fails, and the loop reconnects
      this.client = client;
      let openedAt = 0;
      let failure: unknown = null;
      try {
        await withTimeout(client, client.connect(), connectTimeoutMs, "connect");
        if (this.stopping) break;
        if (!supportsIdle(client)) {
          this.setState("unsupported");
          logger.info({ lists: this.plan.slugs }, "the IMAP server does not offer IDLE; these lists are synced by the poll only");
          await client.logout().catch(() => client.close());
          return;
        }
        await withTimeout(client, client.mailboxOpen(settings.mailbox, { readOnly: true }), connectTimeoutMs, "SELECT");
        if (this.stopping) break;
        openedAt = Date.now();
        client.on("exists", (event: { count: number; prevCount: number }) => {
          if (!this.stopping && event.count > event.prevCount) this.options.onNewMail([...this.plan.listIds]);
        });
        this.setState("idling");
        if (reconnecting) logger.info({ lists: this.plan.slugs, mailbox: settings.mailbox }, "IMAP IDLE connection restored");
        else logger.info({ lists: this.plan.slugs, mailbox: settings.mailbox }, "watching the mailbox with IMAP IDLE");
        await this.catchUp(client);
        while (!this.stopping && client.usable) {
          const started = Date.now();
          // Resolves when IDLE ends: broken by a command, ended by the server, or the connection closed.
          const outcome = await client.idle({ whenFree: true });
          if (this.stopping || !client.usable) break;
          if (outcome === false || !client.mailbox) {
            const error: ImapError = new Error("the server ended IDLE");
            error.code = "IDLE_ENDED";
            throw error;
          }
          // Never spin: an IDLE that ended at once is started again a second later.
          if (Date.now() - started < 1000) await sleep(1000, this.wake.signal);
        }
        if (this.stopping) break;
        const dropped: ImapError = new Error("the connection was closed");
        dropped.code = "EDROPPED";
        throw dropped;
      } catch (error) {
        failure = error;
      } finally {
        if (!this.stopping) client.close();
      }
      if (this.stopping) break;

      const e = failure as ImapError;
      const throttle = throttleDelayOf(failure, client.byeReason, throttleMin);
      if (!throttle && (e?.authenticationFailed || e?.mailboxMissing)) {
        // The poll round reports these to the list's admins; the next round's refresh tries again.
        this.setState("failed");
        logger.warn({ lists: this.plan.slugs, reason: e.mailboxMissing ? "mailbox missing" : "login refused" }, "IMAP IDLE is off for these lists until the next poll round");
        return;
      }
      if (openedAt && Date.now() - openedAt >= stableMs) failures = 0;
      failures += 1;
      const delay = Math.max(throttle, backoffDelay(failures, backoffBase, backoffMax));
      this.setState("waiting");
      logger.warn(
        { lists: this.plan.slugs, reason: e?.code ?? "error", throttled: throttle > 0, attempt: failures, retryInSeconds: Math.round(delay / 100) / 10 },
        "IMAP IDLE connection lost; reconnecting",
      );
      reconnecting = true;
      await sleep(delay, this.wake.signal);
    }
    this.client = null;
    this.setState("stopped");
  }

  /** Mail that arrived while no connection was watching (the poll round, a reconnect) is synced now. */
  private async catchUp(client: ImapFlow): Promise<void> {
    const mailbox = client.mailbox;
    if (!mailbox) return;
    const uidValidity = BigInt(mailbox.uidValidity);
    const highest = mailbox.uidNext !== undefined ? BigInt(mailbox.uidNext) - 1n : null;
    const rows = await db.mailingList.findMany({ where: { id: { in: this.plan.listIds } }, select: { id: true, uidValidity: true, lastUid: true } });
    const behind = rows.filter((row) => row.uidValidity !== uidValidity || highest === null || (row.lastUid ?? 0n) < highest).map((row) => row.id);
    if (behind.length > 0 && mailbox.exists > 0) this.options.onNewMail(behind);
  }
}
