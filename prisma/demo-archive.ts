// The demo archived list that `npm start` adds to a fresh database: real
// posts to the ImageMagick magick@ list (1999-2000), imported from a bundled
// mbox by the same importer the command line uses (see prisma/demo/NOTICE.md).
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createList, publishList } from "../app/archive/lists.server";
import { importMbox } from "../importer/mbox-import";

const MBOX = path.join(path.dirname(fileURLToPath(import.meta.url)), "demo", "magick-list-2000.mbox");

export async function seedDemoArchive(): Promise<string> {
  const created = await createList(null, {
    slug: "magick",
    name: "ImageMagick users (magick@)",
    description: "Questions and answers about ImageMagick, from the list's 1999-2000 archive.",
    hostName: "ImageMagick Studio",
    hostUrl: "https://imagemagick.org",
    infoUrl: "https://imagemagick.org/script/support.php",
    sourceType: "mbox",
  });
  if (!created.ok) throw new Error(`Could not create the demo list: ${JSON.stringify(created.fieldErrors)}`);
  // Published before the import only because this content is already public
  // and curated; real lists stay hidden until a moderator publishes them.
  const imported = await importMbox(created.list, MBOX);
  if (imported.status !== "succeeded") throw new Error(`The demo archive import failed: ${imported.error}`);
  const published = await publishList(null, "magick");
  if (!published.ok) throw new Error("Could not publish the demo list.");
  return `1 archived list (${imported.counters.created} messages)`;
}
