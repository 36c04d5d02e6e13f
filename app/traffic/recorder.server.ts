import { createHmac, randomBytes } from "node:crypto";
import { normalizePagePath } from "./paths";
import { sectionOf, utcDay, type TrafficSection } from "./sections";

/** What one UTC day gathered since the last flush. */
export type DayCounts = {
  sections: Partial<Record<TrafficSection, number>>;
  pages: Map<string, number>;
  referrers: Map<string, number>;
  /** Visitors first seen today since the last flush (new distinct hashes). */
  newVisitors: number;
};
export type TrafficBatch = Map<string, DayCounts>;

export type PageView = {
  path: string;
  /** Used only to compute today's salted hash, never kept. */
  clientAddress: string;
  userAgent: string;
  referrerHost: string | null;
};

export type RecorderOptions = {
  save: (batch: TrafficBatch) => Promise<void>;
  now?: () => Date;
  onError?: (error: unknown) => void;
};

/** Rows kept between flushes; more distinct pages or hosts are summed as OTHER. */
const MAX_KEYS_PER_FLUSH = 1_000;
/**
 * Hashes kept for one day (~100 bytes each). Past this, visitors not in the
 * set are counted as new: the estimate grows a little, memory does not.
 */
const MAX_VISITOR_HASHES = 200_000;
export const OTHER_PAGES = "(other pages)";
export const OTHER_HOSTS = "(other sites)";

/**
 * Counts page views in memory and hands them to `save` in batches, so a page
 * view costs a few map updates and no database write.
 *
 * Unique visitors: each view's client address and user agent are hashed with
 * a random salt that exists only in this object and only for the current UTC
 * day. A hash not seen before today adds one visitor. When the day ends the
 * salt and every hash are dropped, so yesterday's visitors cannot be
 * recognised or linked to today's; only their number remains.
 */
export class TrafficRecorder {
  private pending: TrafficBatch = new Map();
  private day: string | null = null;
  private salt: Buffer | null = null;
  private hashes = new Set<string>();
  private flushing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: RecorderOptions) {
    this.now = options.now ?? (() => new Date());
  }

  record(view: PageView) {
    const day = this.rollOver();
    const counts = this.countsFor(day);
    const path = normalizePagePath(view.path);
    const section = sectionOf(path);
    counts.sections[section] = (counts.sections[section] ?? 0) + 1;
    addCapped(counts.pages, path, OTHER_PAGES);
    if (view.referrerHost) addCapped(counts.referrers, view.referrerHost, OTHER_HOSTS);
    const hash = createHmac("sha256", this.salt!).update(`${view.clientAddress}\n${view.userAgent}`).digest("base64url").slice(0, 22);
    if (!this.hashes.has(hash)) {
      if (this.hashes.size < MAX_VISITOR_HASHES) this.hashes.add(hash);
      counts.newVisitors += 1;
    }
  }

  /** Writes everything counted so far; on failure the counts are kept for the next try. */
  flush(): Promise<void> {
    // One flush at a time; a failed one does not stop the next.
    this.flushing = this.flushing.catch(() => {}).then(() => this.flushOnce());
    return this.flushing;
  }

  /** Flushes every `intervalMs` (the timer does not keep the process alive). */
  start(intervalMs: number) {
    this.timer = setInterval(() => void this.flush().catch(() => {}), intervalMs);
    this.timer.unref();
  }

  /** Last flush, then forget the salt and the hashes. */
  async stop() {
    clearInterval(this.timer);
    try {
      await this.flush();
    } finally {
      this.forgetVisitors();
    }
  }

  /** The day the current salt belongs to and how many hashes exist (tests check the rollover with it). */
  get visitorState() {
    return { day: this.day, hasSalt: this.salt !== null, hashes: this.hashes.size };
  }

  private async flushOnce() {
    this.rollOver();
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    try {
      await this.options.save(batch);
    } catch (error) {
      this.mergeBack(batch);
      this.options.onError?.(error);
      throw error;
    }
  }

  /** Starts a new salt when the UTC day changed (or on first use); returns today. */
  private rollOver(): string {
    const today = utcDay(this.now());
    if (this.day !== today) {
      this.forgetVisitors();
      this.day = today;
      this.salt = randomBytes(32);
    }
    return today;
  }

  private forgetVisitors() {
    this.salt?.fill(0);
    this.salt = null;
    this.hashes = new Set();
    this.day = null;
  }

  private countsFor(day: string): DayCounts {
    let counts = this.pending.get(day);
    if (!counts) {
      counts = { sections: {}, pages: new Map(), referrers: new Map(), newVisitors: 0 };
      this.pending.set(day, counts);
    }
    return counts;
  }

  private mergeBack(batch: TrafficBatch) {
    for (const [day, failed] of batch) {
      const counts = this.countsFor(day);
      for (const [section, views] of Object.entries(failed.sections) as [TrafficSection, number][]) {
        counts.sections[section] = (counts.sections[section] ?? 0) + views;
      }
      for (const [path, views] of failed.pages) addCapped(counts.pages, path, OTHER_PAGES, views);
      for (const [host, views] of failed.referrers) addCapped(counts.referrers, host, OTHER_HOSTS, views);
      counts.newVisitors += failed.newVisitors;
    }
  }
}

function addCapped(map: Map<string, number>, key: string, other: string, amount = 1) {
  const target = map.has(key) || map.size < MAX_KEYS_PER_FLUSH ? key : other;
  map.set(target, (map.get(target) ?? 0) + amount);
}
