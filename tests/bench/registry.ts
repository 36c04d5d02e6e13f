import { archivePages } from "./archive-pages";
import { chat } from "./chat";
import { forums } from "./forums";
import { hostileInput } from "./hostile-input";
import { httpPages } from "./http-pages";
import { importer } from "./importer";
import { search } from "./search";
import type { Benchmark } from "./types";

/**
 * Every benchmark `npm run bench` knows, in the order they run and appear in
 * docs/BENCHMARKS.md. To add one (importer throughput, search latency, chat
 * fan-out...), create tests/bench/<name>.ts exporting a `Benchmark` and list it here.
 */
export const BENCHMARKS: Benchmark[] = [httpPages, forums, importer, archivePages, search, chat, hostileInput];
