/**
 * In-process sliding-window limits. One machine is the default deployment;
 * several instances would move these counters to the shared database.
 * Keys never hold raw personal data: clients are identified by a keyed hash
 * of their address (see load-context.server.ts), accounts by their id or a
 * hash of the name that was typed.
 */
type Window = { hits: number[] };

export type Limit = { max: number; windowMs: number };
export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

const windows = new Map<string, Window>();
// RATE_LIMITS=relaxed (end-to-end test runs) multiplies every limit.
let multiplier = process.env.RATE_LIMITS === "relaxed" ? 100 : 1;

export function setRateLimitMultiplier(value: number) {
  multiplier = value;
}

function prune(window: Window, now: number, windowMs: number) {
  while (window.hits.length && window.hits[0]! <= now - windowMs) window.hits.shift();
}

/** Would one more hit fit? Does not record it. */
export function peekLimit(key: string, limit: Limit, now = Date.now()): LimitResult {
  const window = windows.get(key);
  if (!window) return { ok: true };
  prune(window, now, limit.windowMs);
  if (window.hits.length < limit.max * multiplier) return { ok: true };
  const retryAt = window.hits[0]! + limit.windowMs;
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((retryAt - now) / 1000)) };
}

export function recordHit(key: string, limit: Limit, now = Date.now()) {
  let window = windows.get(key);
  if (!window) windows.set(key, (window = { hits: [] }));
  prune(window, now, limit.windowMs);
  window.hits.push(now);
}

/** Checks and, when allowed, records in one step. */
export function consumeLimit(key: string, limit: Limit, now = Date.now()): LimitResult {
  const result = peekLimit(key, limit, now);
  if (result.ok) recordHit(key, limit, now);
  return result;
}

export function resetLimit(key: string) {
  windows.delete(key);
}

export function resetAllLimits() {
  windows.clear();
}

// Drop idle windows now and then so memory stays flat under churn.
setInterval(() => {
  const now = Date.now();
  for (const [key, window] of windows) {
    if (!window.hits.length || window.hits[window.hits.length - 1]! < now - 24 * 60 * 60 * 1000) windows.delete(key);
  }
}, 10 * 60 * 1000).unref();
