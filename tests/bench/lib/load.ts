// autocannon with every response's latency and status recorded (autocannon's
// own summary has no 95th percentile), bounded in time and stopped promptly
// when the harness is interrupted. Loopback addresses only.
import autocannon from "autocannon";

export type LoadOptions = {
  url: string;
  connections: number;
  durationSeconds: number;
  headers?: Record<string, string>;
  /** Dynamic requests (POST bodies...); see autocannon's `requests`. */
  requests?: autocannon.Request[];
  signal: AbortSignal;
};

export type LoadOutcome = {
  result: autocannon.Result;
  /** Every response's latency in ms, sorted ascending. */
  latencies: Float64Array;
  /** Responses by status code. */
  statuses: Map<number, number>;
  /** Completed responses per second over the run. */
  perSecond: number;
};

export function runLoad(options: LoadOptions): Promise<LoadOutcome> {
  const host = new URL(options.url).hostname;
  if (host !== "127.0.0.1" && host !== "localhost" && host !== "::1") {
    throw new Error(`Refusing to load-test a non-loopback address: ${options.url}`);
  }
  options.signal.throwIfAborted();
  const latencies: number[] = [];
  const statuses = new Map<number, number>();
  return new Promise((resolve, reject) => {
    const onAbort = () => instance.stop();
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        headers: options.headers,
        requests: options.requests,
        timeout: 10,
      },
      (error, result) => {
        clearTimeout(guard);
        options.signal.removeEventListener("abort", onAbort);
        if (options.signal.aborted) return reject(options.signal.reason);
        if (error) return reject(error);
        const sorted = Float64Array.from(latencies).sort();
        resolve({ result, latencies: sorted, statuses, perSecond: result.duration > 0 ? sorted.length / result.duration : 0 });
      },
    );
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses.set(statusCode, (statuses.get(statusCode) ?? 0) + 1);
    });
    const guard = setTimeout(() => instance.stop(), (options.durationSeconds + 30) * 1000);
    options.signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Nearest-rank percentile of sorted values (NaN when empty). */
export function percentile(sorted: Float64Array, p: number): number {
  if (!sorted.length) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const formatMs = (value: number) => (Number.isNaN(value) ? "n/a" : value >= 100 ? value.toFixed(0) : value.toFixed(1));

export const describeStatuses = (statuses: Map<number, number>) =>
  [...statuses.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([status, count]) => `${status} × ${count}`)
    .join(", ") || "none";
