// Run as a child process by the importer benchmark (DATA_DIR and DATABASE_URL
// set to the run's own folder): creates the archived list the mbox goes into,
// through the app's own createList, and publishes it.
//
//   node --import tsx tests/bench/lib/importer-create-list.ts <slug>
import { createList, publishList } from "~/archive/lists.server";
import { disconnectDb, ensureDbReady } from "~/utils/db.server";

const slug = process.argv[2];
if (!slug) throw new Error("usage: importer-create-list.ts <slug>");
await ensureDbReady();
const result = await createList(null, {
  slug,
  name: "Benchmark list",
  description: "Synthetic archive written by tests/bench/lib/mbox-generator.ts.",
  hostName: "Example",
  hostUrl: "https://lists.example.org/",
  listAddress: "dev-list@lists.example.org",
  source: { type: "mbox" },
});
// Published before the import, as a public list would be, so that its messages
// are searchable; the (empty) list's outbox entry is drained at once, as the
// server's indexer would, so the import's indexing is measured on its own.
if (result.ok) {
  await publishList(null, slug);
  const { defaultIndexerHolder, drainSearchOutbox, releaseLease } = await import("../../../search/indexer.server.ts");
  const { searchEngine, closeSearchEngine } = await import("../../../search/engine.server.ts");
  await drainSearchOutbox(await searchEngine());
  await releaseLease(defaultIndexerHolder);
  await closeSearchEngine();
}
await disconnectDb();
if (!result.ok) {
  console.error(JSON.stringify({ fieldErrors: result.fieldErrors, formErrors: result.formErrors }));
  process.exit(1);
}
console.log(result.list.id);
