// Run as a child process by the importer benchmark (DATA_DIR and
// DATABASE_URL set to the run's folder): drains the search outbox into the
// embedded index, as the server's indexer would, and prints what it did as
// JSON. Together with the import, that is the time until every imported
// message is searchable.
//
// After an import: drains once. With BENCH_INDEX_UNTIL_FILE (alongside an
// import, as a running server's indexer does): drains again and again until
// that file exists (the import has finished), then drains what is left.
//
//   node --import tsx tests/bench/lib/importer-index-search.ts
import fs from "node:fs";
import { db, disconnectDb, ensureDbReady } from "~/utils/db.server";
import { closeSearchEngine, searchEngine } from "../../../search/engine.server.ts";
import { defaultIndexerHolder, drainSearchOutbox, releaseLease } from "../../../search/indexer.server.ts";

const untilFile = process.env.BENCH_INDEX_UNTIL_FILE;
await ensureDbReady();
const engine = await searchEngine();
const started = performance.now();
let indexed = 0;
for (;;) {
  const importDone = !untilFile || fs.existsSync(untilFile);
  const result = await drainSearchOutbox(engine, { batchSize: 1000 });
  if (result.error) throw new Error(`indexing failed: ${result.error}`);
  indexed += result.indexed;
  if (importDone) break;
  if (result.indexed === 0) await new Promise((resolve) => setTimeout(resolve, 250));
}
const seconds = (performance.now() - started) / 1000;
await releaseLease(defaultIndexerHolder);
const left = await db.searchOutbox.count();
const documents = await engine.count();
await closeSearchEngine();
await disconnectDb();
console.log(JSON.stringify({ indexed, documents, seconds, left }));
