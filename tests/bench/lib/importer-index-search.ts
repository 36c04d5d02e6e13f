// Run as a child process by the importer benchmark after an import (DATA_DIR
// and DATABASE_URL set to the run's folder): drains the search outbox into the
// embedded index, as the server's indexer would, and prints what it did as
// JSON. Together with the import, that is the time until every imported
// message is searchable.
//
//   node --import tsx tests/bench/lib/importer-index-search.ts
import { db, disconnectDb, ensureDbReady } from "~/utils/db.server";
import { closeSearchEngine, searchEngine } from "../../../search/engine.server.ts";
import { defaultIndexerHolder, drainSearchOutbox, releaseLease } from "../../../search/indexer.server.ts";

await ensureDbReady();
const engine = await searchEngine();
const started = performance.now();
const result = await drainSearchOutbox(engine, { batchSize: 1000 });
const seconds = (performance.now() - started) / 1000;
if (result.error) throw new Error(`indexing failed: ${result.error}`);
await releaseLease(defaultIndexerHolder);
const left = await db.searchOutbox.count();
const documents = await engine.count();
await closeSearchEngine();
await disconnectDb();
console.log(JSON.stringify({ indexed: result.indexed, documents, seconds, left }));
