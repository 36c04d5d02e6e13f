// A tiny analyser for V8 .cpuprofile files (what `node --cpu-prof` writes):
// self time per package (node_modules/<name>, a Node.js core module, the app
// bundle, V8's garbage collector...) and per function, plus the share of
// samples each package appears in anywhere on the stack ("inclusive").
// Native functions (no script URL: socket writes, RegExp, postMessage...) and
// WebAssembly count towards the package of the JavaScript that called them.
import fs from "node:fs";
import path from "node:path";

type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; children?: number[] };
type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples: number[]; timeDeltas: number[] };

export type ProfileSummary = {
  /** Wall time the profile covers, and how much of it the main thread was idle. */
  totalMs: number;
  idleMs: number;
  busyMs: number;
  /** Sorted by self time; shares are of busy time. `packages` holds the top ones, `allPackages` every one. */
  packages: Array<{ name: string; selfMs: number; selfShare: number; inclusiveShare: number }>;
  allPackages: Array<{ name: string; selfMs: number; selfShare: number }>;
  functions: Array<{ name: string; where: string; packageName: string; selfMs: number; selfShare: number }>;
  /** False when the requested time window did not overlap the profile and the whole profile was used. */
  windowed: boolean;
};

const NATIVE = "V8 built-ins / native";

/** Which package (or runtime part) a script URL belongs to. */
export function packageOfUrl(rawUrl: string, root: string): string {
  const url = rawUrl.replace(/^file:\/\//, "");
  if (url.startsWith("node:")) return `Node.js ${url.replace(/^node:(internal\/)?/, "").split("/")[0]}`;
  const modules = url.lastIndexOf("/node_modules/");
  if (modules !== -1) {
    const parts = url.slice(modules + "/node_modules/".length).split("/");
    return parts[0]!.startsWith("@") ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const relative = path.relative(root, url);
  if (relative.startsWith(`build${path.sep}server`)) return "app (build/server bundle)";
  return relative.startsWith("..") ? url : relative;
}

function where(frame: CallFrame, root: string): string {
  const url = frame.url.replace(/^file:\/\//, "");
  if (!url) return "";
  const modules = url.lastIndexOf("/node_modules/");
  const shown = modules !== -1 ? url.slice(modules + "/node_modules/".length) : url.startsWith("/") ? path.relative(root, url) : url;
  return `${shown}:${frame.lineNumber + 1}`;
}

/**
 * `window` ([from, to] in microseconds of the monotonic clock, as
 * `process.hrtime.bigint() / 1000n` gives in any process on the machine, which
 * is the clock V8 stamps samples with on Linux) limits the analysis to the
 * samples taken while the load ran, leaving out start-up and shut-down.
 */
export function analyseCpuProfile(file: string, root: string, options: { top?: number; window?: [number, number] } = {}): ProfileSummary {
  const top = options.top ?? 12;
  const profile = JSON.parse(fs.readFileSync(file, "utf8")) as CpuProfile;
  const window = options.window && options.window[0] < profile.endTime && options.window[1] > profile.startTime ? options.window : undefined;
  const from = window?.[0] ?? profile.startTime;
  const to = window?.[1] ?? profile.endTime;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const labels = new Map<number, string>();
  const packageOf = (id: number): string => {
    const known = labels.get(id);
    if (known !== undefined) return known;
    const frame = byId.get(id)!.callFrame;
    let label: string;
    if (frame.functionName === "(idle)") label = "(idle)";
    else if (frame.functionName === "(garbage collector)") label = "V8 garbage collector";
    else if (frame.functionName === "(program)") label = "V8 / native, outside JS (program)";
    else if (frame.functionName === "(root)") label = "(root)";
    else if (!frame.url || frame.url.startsWith("wasm://")) {
      const up = parent.get(id);
      const caller = up === undefined ? NATIVE : packageOf(up);
      const base = caller === "(root)" ? NATIVE : caller;
      label = frame.url && !base.endsWith("(WebAssembly)") ? `${base} (WebAssembly)` : base;
    } else label = packageOfUrl(frame.url, root);
    labels.set(id, label);
    return label;
  };

  // Sample i lasts until sample i+1 (as Chrome DevTools counts it).
  const selfById = new Map<number, number>();
  const inclusiveByPackage = new Map<string, number>();
  let timestamp = profile.startTime;
  const stamps = profile.timeDeltas.map((delta) => (timestamp += delta));
  for (let i = 0; i < profile.samples.length; i += 1) {
    const id = profile.samples[i]!;
    if (stamps[i]! < from || stamps[i]! >= to) continue;
    const duration = ((i + 1 < stamps.length ? stamps[i + 1]! : profile.endTime) - stamps[i]!) / 1000;
    if (duration <= 0) continue;
    selfById.set(id, (selfById.get(id) ?? 0) + duration);
    const seen = new Set<string>();
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      const name = packageOf(node);
      if (!seen.has(name)) {
        seen.add(name);
        inclusiveByPackage.set(name, (inclusiveByPackage.get(name) ?? 0) + duration);
      }
    }
  }

  const packages = new Map<string, number>();
  const functions = new Map<string, { name: string; where: string; packageName: string; selfMs: number }>();
  let idleMs = 0;
  for (const [id, ms] of selfById) {
    const frame = byId.get(id)!.callFrame;
    const packageName = packageOf(id);
    if (packageName === "(idle)") {
      idleMs += ms;
      continue;
    }
    packages.set(packageName, (packages.get(packageName) ?? 0) + ms);
    const key = `${frame.functionName}|${frame.url}|${frame.lineNumber}`;
    const entry = functions.get(key) ?? { name: frame.functionName || "(anonymous)", where: where(frame, root), packageName, selfMs: 0 };
    entry.selfMs += ms;
    functions.set(key, entry);
  }
  const totalMs = (to - from) / 1000;
  const busyMs = [...packages.values()].reduce((a, b) => a + b, 0);
  const share = (ms: number) => (busyMs > 0 ? ms / busyMs : 0);
  const sorted = [...packages.entries()].sort((a, b) => b[1] - a[1]);
  return {
    totalMs,
    idleMs,
    busyMs,
    allPackages: sorted.map(([name, selfMs]) => ({ name, selfMs, selfShare: share(selfMs) })),
    packages: sorted
      .slice(0, top)
      .map(([name, selfMs]) => ({ name, selfMs, selfShare: share(selfMs), inclusiveShare: share(inclusiveByPackage.get(name) ?? 0) })),
    functions: [...functions.values()]
      .sort((a, b) => b.selfMs - a.selfMs)
      .slice(0, top)
      .map((entry) => ({ ...entry, selfShare: share(entry.selfMs) })),
    windowed: window !== undefined,
  };
}
