// Run as a child process by the importer benchmark (DATA_DIR and DATABASE_URL
// set to the run's own folder): creates the archived list the mbox goes into,
// through the app's own createList.
//
//   node --import tsx tests/bench/lib/importer-create-list.ts <slug>
import { createList } from "~/archive/lists.server";
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
await disconnectDb();
if (!result.ok) {
  console.error(JSON.stringify({ fieldErrors: result.fieldErrors, formErrors: result.formErrors }));
  process.exit(1);
}
console.log(result.list.id);
