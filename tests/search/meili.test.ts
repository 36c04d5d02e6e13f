// The Meilisearch engine against a real Meilisearch: the shared contract.
// Runs only when MEILI_HOST (and MEILI_API_KEY if the server needs one) is
// set, for example:
//
//   docker run -p 7700:7700 -e MEILI_MASTER_KEY=test getmeili/meilisearch:v1.12
//   MEILI_HOST=http://127.0.0.1:7700 MEILI_API_KEY=test npx vitest run tests/search/meili.test.ts
//
// Without it the suite is reported as skipped, never as passed. Each case
// gets its own index under a prefix unique to this run; every index with
// that prefix is deleted at the end.
import { randomBytes } from "node:crypto";
import { Meilisearch } from "meilisearch";
import { afterAll, describe } from "vitest";
import { createMeiliEngine } from "../../search/meili/engine";
import { describeSearchContract } from "./contract";

const host = process.env.MEILI_HOST;
const apiKey = process.env.MEILI_API_KEY || undefined;
const prefix = `threadline_test_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
let cases = 0;

describe.runIf(host)("Meilisearch engine", () => {
  // Every write waits for its task, so reads after writes need no retrying.
  describeSearchContract("meilisearch", async () => createMeiliEngine({ host: host!, apiKey, indexUid: `${prefix}_${++cases}` }));

  afterAll(async () => {
    const client = new Meilisearch({ host: host!, apiKey });
    const ours: string[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await client.getRawIndexes({ offset, limit: 100 });
      ours.push(...page.results.map((index) => index.uid).filter((uid) => uid.startsWith(prefix)));
      if (offset + 100 >= page.total) break;
    }
    for (const uid of ours) await client.deleteIndex(uid).waitTask({ timeout: 30_000 });
  }, 120_000);
});
