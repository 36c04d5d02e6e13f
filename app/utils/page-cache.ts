/**
 * A short-lived cache of whole responses for anonymous readers. Anonymous
 * visitors get no cookie, so every one of them sees the same page for a URL;
 * rendering it once a few seconds instead of once per request is what lets a
 * single process serve a busy archive. The per-response CSP nonce is swapped
 * in on the way out, so no two responses share one.
 *
 * Only successful GET responses without Set-Cookie are kept; any
 * state-changing request clears the cache, and entries expire after `ttlMs`
 * anyway (for writers outside this process, such as the importer).
 */
export type CachedResponse = {
  status: number;
  headers: [string, string][];
  body: Buffer;
  nonce: string;
  expiresAt: number;
};

const CACHEABLE_TYPES = /^(text\/html|application\/json|application\/atom\+xml|text\/x-script)/;
const UNCACHED_HEADERS = new Set(["set-cookie", "content-length", "content-security-policy", "date", "connection", "keep-alive", "transfer-encoding", "etag", "vary", "content-encoding"]);

export class PageCache {
  private entries = new Map<string, CachedResponse>();
  private bytes = 0;

  constructor(
    private readonly ttlMs: number,
    private readonly maxBytes = 64 * 1024 * 1024,
  ) {}

  get enabled() {
    return this.ttlMs > 0;
  }

  get(key: string, now = Date.now()): CachedResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.delete(key);
      return undefined;
    }
    // Refresh recency for the LRU order.
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry;
  }

  set(key: string, entry: Omit<CachedResponse, "expiresAt">, now = Date.now()) {
    if (!this.enabled || entry.body.length > this.maxBytes / 8) return;
    this.delete(key);
    this.entries.set(key, { ...entry, expiresAt: now + this.ttlMs });
    this.bytes += entry.body.length;
    for (const [oldest] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.delete(oldest);
    }
  }

  clear() {
    this.entries.clear();
    this.bytes = 0;
  }

  get size() {
    return this.entries.size;
  }

  private delete(key: string) {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.bytes -= entry.body.length;
    this.entries.delete(key);
  }
}

/** May this request be answered from the cache (and its response stored)? */
export function isCacheableRequest(method: string, url: string, cookieHeader: string | undefined): boolean {
  if (method !== "GET" && method !== "HEAD") return false;
  // Anything that could identify a session bypasses the cache entirely.
  if (cookieHeader && /(^|;\s*)(__Host-)?threadline_session=/.test(cookieHeader)) return false;
  if (url.length > 1000) return false;
  return !/^\/(assets\/|healthz|api\/preview|drafts)|\.stream(\?|$)/.test(url);
}

/** May this response be stored? */
export function isCacheableResponse(status: number, headers: Record<string, unknown>): boolean {
  if (status !== 200 || headers["set-cookie"] !== undefined) return false;
  const type = String(headers["content-type"] ?? "");
  const cacheControl = String(headers["cache-control"] ?? "");
  return CACHEABLE_TYPES.test(type) && !/no-store|private/.test(cacheControl);
}

export function storableHeaders(headers: Record<string, unknown>): [string, string][] {
  return Object.entries(headers)
    .filter(([name, value]) => !UNCACHED_HEADERS.has(name.toLowerCase()) && value !== undefined)
    .map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : String(value)]);
}

/** The cached body with its nonce replaced by this response's own. */
export function withNonce(entry: CachedResponse, nonce: string): Buffer {
  if (!entry.nonce || !entry.body.includes(entry.nonce)) return entry.body;
  return Buffer.from(entry.body.toString("utf8").replaceAll(entry.nonce, nonce), "utf8");
}
