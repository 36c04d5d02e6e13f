// Rebuilds the search index from the database:
//
//   npm run search:reindex
//
// Search keeps answering from the current index until the new one is
// complete, then switches over in one step. Safe to run while the server
// runs. Progress goes to standard error; the summary to standard output.
import "dotenv/config";
import { pathToFileURL } from "node:url";
import { ProgressReporter } from "../importer/progress.ts";
import { Refusal, runCommand, UsageError } from "../app/cli/run-command";

const USAGE = `Usage:
  npm run search:reindex
      Rebuilds the search index (the embedded index under DATA_DIR, or
      Meilisearch when MEILI_HOST is set) from the database, without taking
      search offline.`;

type Command = { command: "help" } | { command: "reindex" };

function parseCommand(argv: string[]): Command {
  if (argv.includes("--help") || argv.includes("-h")) return { command: "help" };
  if (argv.length > 0) throw new UsageError(`Unexpected argument: ${argv[0]}`);
  return { command: "reindex" };
}

export function main(argv: string[]): Promise<number> {
  return runCommand(argv, USAGE, parseCommand, async () => {
    const { searchEngine, closeSearchEngine } = await import("./engine.server.ts");
    const { rebuildSearchIndex } = await import("./rebuild.server.ts");
    const started = Date.now();
    try {
      const engine = await searchEngine().catch((error: unknown) => {
        throw new Refusal([`The search engine is not reachable: ${error instanceof Error ? error.message : String(error)}`]);
      });
      const progress = new ProgressReporter({ noun: "documents", importCounts: false });
      const result = await rebuildSearchIndex(engine, {
        onProgress: ({ documents, total }) =>
          progress.update({ messages: documents, bytesRead: documents, totalBytes: total, created: documents, duplicates: 0, failed: 0, skipped: 0 }),
      });
      progress.done();
      const stats = await engine.stats();
      const seconds = (Date.now() - started) / 1000;
      console.log(`Rebuilt the ${stats.engine} search index: ${result.documents} documents in ${seconds.toFixed(1)} s.`);
    } finally {
      await closeSearchEngine();
    }
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.slice(2));
}
