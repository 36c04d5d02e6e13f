// Import progress for people and for logs. On a terminal: one line redrawn in
// place with a bar, messages, messages per second and the time left
// (estimated from the byte position in the file). Elsewhere (logs, CI): a
// plain line every few seconds. Counts only, never message content.

export interface ProgressSnapshot {
  messages: number;
  bytesRead: number;
  totalBytes: number;
  created: number;
  duplicates: number;
  failed: number;
  skipped: number;
}

export interface ProgressReporterOptions {
  stream?: NodeJS.WriteStream;
  /** What is being counted (default "messages"; the search rebuild counts "documents"). */
  noun?: string;
  /** Import counts on plain lines (default true). */
  importCounts?: boolean;
  /** Force terminal or plain mode (default: the stream's isTTY). */
  tty?: boolean;
  /** Seconds between plain lines (default IMPORT_PROGRESS_SECONDS, else 10). */
  intervalSeconds?: number;
  now?: () => number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m${String(rest).padStart(2, "0")}s`;
  return `${rest}s`;
}

function formatCount(n: number): string {
  return n.toLocaleString("en");
}

export class ProgressReporter {
  private readonly stream: NodeJS.WriteStream;
  private readonly tty: boolean;
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly started: number;
  private readonly noun: string;
  private readonly importCounts: boolean;
  private lastDraw = 0;
  private lastLine = 0;
  private drawn = false;

  constructor(options: ProgressReporterOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    this.tty = options.tty ?? Boolean(this.stream.isTTY);
    const seconds = options.intervalSeconds ?? Number(process.env.IMPORT_PROGRESS_SECONDS || 10);
    this.intervalMs = Math.max(0, (Number.isFinite(seconds) ? seconds : 10) * 1000);
    this.now = options.now ?? Date.now;
    this.noun = options.noun ?? "messages";
    this.importCounts = options.importCounts ?? true;
    this.started = this.now();
    this.lastLine = this.started;
  }

  /** One progress line for a snapshot (exposed for tests). */
  line(p: ProgressSnapshot, width = 24): string {
    const elapsed = Math.max(0.001, (this.now() - this.started) / 1000);
    const rate = p.messages / elapsed;
    const fraction = p.totalBytes > 0 ? Math.min(1, p.bytesRead / p.totalBytes) : 0;
    const eta = fraction > 0 ? (elapsed * (1 - fraction)) / fraction : Number.NaN;
    const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
    const rateUnit = this.noun === "messages" ? "msg/s" : `${this.noun}/s`;
    const counts = `${formatCount(p.messages)} ${this.noun}, ${rate.toFixed(rate < 10 ? 1 : 0)} ${rateUnit}`;
    const tail = `ETA ${fraction >= 1 ? "0s" : formatDuration(eta)}`;
    if (!this.tty) {
      const detail = this.importCounts ? `, ${p.created} new, ${p.duplicates} duplicates, ${p.failed} failed` : "";
      return `progress: ${percent.trim()} ${counts}${detail}, ${tail}`;
    }
    const filled = Math.round(fraction * width);
    return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${percent} ${counts}, ${tail}`;
  }

  update(p: ProgressSnapshot): void {
    const now = this.now();
    if (this.tty) {
      if (now - this.lastDraw < 100) return; // at most 10 redraws a second
      this.lastDraw = now;
      this.stream.write(`\r\x1b[2K${this.line(p)}`);
      this.drawn = true;
    } else if (now - this.lastLine >= this.intervalMs) {
      this.lastLine = now;
      this.stream.write(`${this.line(p)}\n`);
    }
  }

  /** Ends the redrawn line so the summary starts on a fresh one. */
  done(): void {
    if (this.tty && this.drawn) this.stream.write("\r\x1b[2K");
    this.drawn = false;
  }
}
