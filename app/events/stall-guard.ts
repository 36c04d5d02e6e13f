/** Waiting bytes, as a multiple of backlogBytes, that close a connection at once, stalled or not. */
const HARD_LIMIT_FACTOR = 4;

/**
 * Decides when a live-update connection's client has fallen too far behind:
 * more than `backlogBytes` waiting in the server's send buffer with no drain
 * for `stallMs`, or more than four times that at any moment. A client that
 * reads, even slowly, gets a burst (a replay of missed messages) through; one
 * that stopped reading is closed and its memory freed.
 */
export class StallGuard {
  private overSince: number | null = null;

  constructor(
    private readonly backlogBytes: number,
    private readonly stallMs: number,
  ) {}

  /** The socket drained: the client is reading. */
  drained(): void {
    this.overSince = null;
  }

  /** After a write with `waiting` bytes still queued: true when the connection should be closed. */
  tooSlow(waiting: number, now = Date.now()): boolean {
    if (waiting <= this.backlogBytes) return false;
    this.overSince ??= now;
    return waiting > HARD_LIMIT_FACTOR * this.backlogBytes || now - this.overSince >= this.stallMs;
  }

  stalledMs(now = Date.now()): number {
    return this.overSince === null ? 0 : now - this.overSince;
  }
}
