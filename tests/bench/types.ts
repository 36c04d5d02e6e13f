// The contract between the harness (run.ts) and each benchmark module. A new
// benchmark is a new file exporting a `Benchmark`, listed in registry.ts.

export type BenchOptions = {
  /** Seconds each measured scenario runs (`--duration`). */
  durationSeconds: number;
  /** Concurrent clients, where that makes sense (`--connections`). */
  connections: number;
  /** Rebuild the production bundle even when one exists (`--build`). */
  forceBuild: boolean;
};

export type BenchContext = {
  options: BenchOptions;
  /** The repository root; benchmarks run commands from here. */
  root: string;
  /** Progress messages (stderr, so that the results stay readable). */
  log: (message: string) => void;
  /**
   * Registers clean-up that must happen even if the harness is interrupted
   * (Ctrl-C) or crashes: stopping servers, removing temporary folders.
   * Benchmarks should still clean up in their own `finally` blocks; clean-ups
   * must therefore be safe to run twice.
   */
  onCleanup: (cleanup: () => void | Promise<void>) => void;
  /** Aborted when the run is interrupted: stop generating load and return (or throw) promptly. */
  signal: AbortSignal;
};

export type BenchTable = {
  columns: string[];
  rows: string[][];
};

export type BenchReport = {
  /** Lines describing how this run was set up (after date, command and machine). */
  settings: string[];
  tables: BenchTable[];
  /** Remarks derived from the measurements, printed under the tables. */
  notes: string[];
};

export type Benchmark = {
  /** Used by `--only` and in the BENCHMARKS.md markers; lower-case with dashes. */
  name: string;
  /** Section heading in BENCHMARKS.md. */
  title: string;
  /** One or two sentences: what is measured and why it matters. */
  description: string;
  run: (context: BenchContext) => Promise<BenchReport>;
};
