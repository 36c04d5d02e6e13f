import fs from "node:fs";

/** The resident set size of a process in KiB (VmRSS in /proc/<pid>/status), or null off Linux or after exit. */
export function readRssKiB(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}

export type RssSampler = {
  /** Highest sample since start. */
  peakKiB: () => number | null;
  /** Highest sample since the last `startWindow()`. */
  windowPeakKiB: () => number | null;
  /** Begins a new measurement window (e.g. one scenario). */
  startWindow: () => void;
  stop: () => void;
};

/** Samples a process's RSS every `intervalMs` and keeps the peaks. */
export function sampleRss(pid: number, intervalMs = 250): RssSampler {
  let peak: number | null = null;
  let windowPeak: number | null = null;
  const sample = () => {
    const rss = readRssKiB(pid);
    if (rss === null) return;
    peak = Math.max(peak ?? 0, rss);
    windowPeak = Math.max(windowPeak ?? 0, rss);
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    peakKiB: () => peak,
    windowPeakKiB: () => windowPeak,
    startWindow: () => {
      windowPeak = null;
      sample();
    },
    stop: () => {
      sample();
      clearInterval(timer);
    },
  };
}

export const formatMiB = (kib: number | null) => (kib === null ? "n/a" : `${(kib / 1024).toFixed(0)} MiB`);

/**
 * CPU seconds a process has used so far, all its threads (utime + stime in
 * /proc/<pid>/stat, in clock ticks of 1/100 s on Linux), or null off Linux or after exit.
 */
export function readCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}
