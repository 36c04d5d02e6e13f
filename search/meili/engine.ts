// The Meilisearch engine, used when MEILI_HOST is set. It answers the same
// contract as the embedded engine (tests/search/contract.ts). Where the two
// still differ:
//
// - Typos: same word lengths (5+ letters one typo, 9+ two), but Meilisearch
//   counts a typo on the first letter twice, also corrects words the index
//   knows (ranking exact matches first), tolerates typos inside the prefix
//   of the last word, and before 1.15 corrects numbers too (settings.ts).
// - Prefix: there is no per-request switch; query.ts ends q with a space to
//   turn it off, which is how Meilisearch's query parser reads a finished word.
// - Meilisearch reads only the first 10 words of a query (phrases count as
//   one) and indexes at most 65,535 word positions per attribute: its
//   documented known limitations.
// - Word splitting and folding are Meilisearch's own (charabia); they agree
//   with search/query.ts on Latin text but may differ on other scripts.
// - Totals are exact up to MAX_TOTAL_HITS (settings.ts) and capped there;
//   hits past it cannot be paged to.
// - Rebuilds: live writes reach both indexes while a rebuild is open; only
//   the process running the rebuild knows which ids were written meanwhile.
//
// Every write waits for its Meilisearch task, so a search after index() or
// remove() returns already sees the change.
// API: https://www.meilisearch.com/docs/reference/api (meilisearch-js 0.62).
import type { EnqueuedTask, SearchParams } from "meilisearch";
import { MARK_CLOSE, MARK_OPEN } from "../highlight";
import type { SearchDocument, SearchEngine, SearchHealth, SearchRebuild, SearchRequest, SearchResponse, SearchStats } from "../types";
import { SearchUnavailableError } from "../types";
import { toMeiliDocument } from "./documents";
import { apiErrorCode, describeError, isUnreachable, MeiliTaskError } from "./errors";
import { toSearchHit, CROP_MARKER, SNIPPET_WORDS } from "./hits";
import { buildFilter, buildPagination, buildQueryString } from "./query";
import { MeiliServer } from "./server";

export interface MeiliEngineOptions {
  host: string;
  apiKey?: string;
  /** Default "threadline"; a rebuild uses "<uid>_rebuild" beside it. */
  indexUid?: string;
  /** Per HTTP request. Default 10 s. */
  requestTimeoutMs?: number;
  /** Waiting for one document task. Default 2 min; settings changes get 10 min. */
  taskTimeoutMs?: number;
  /** Retries when the server cannot be reached. Default 3. */
  retries?: number;
  /** First backoff delay, doubled per retry. Default 250 ms. */
  retryDelayMs?: number;
  /** Documents or ids per request. Default 1,000. */
  batchSize?: number;
}

const DOCUMENT_FIELDS: readonly (keyof SearchDocument)[] = [
  "id", "type", "title", "body", "quoted", "author", "authorAddress", "fromKeys",
  "titleKeys", "place", "placeName", "hostName", "url", "date",
];

/** The parts of a Meilisearch answer that count: page queries bring totalHits, offset ones estimatedTotalHits. */
type Counted = { totalHits?: number; estimatedTotalHits?: number; facetDistribution?: Record<string, Record<string, number>> };

interface OpenRebuild {
  uid: string;
  /** Ids written or removed through the live engine since the rebuild began. */
  touched: Set<string>;
  state: "open" | "committed" | "aborted" | "replaced" | "unknown";
}

/**
 * While a rebuild is open, and while its swap is unconfirmed (it may still
 * happen), live writes go to both indexes so the one that ends up live has them.
 */
function receivesLiveWrites(rebuild: OpenRebuild): boolean {
  return rebuild.state === "open" || rebuild.state === "unknown";
}

export function createMeiliEngine(options: MeiliEngineOptions): SearchEngine {
  return new MeiliEngine(options);
}

class MeiliEngine implements SearchEngine {
  readonly name = "meilisearch" as const;
  private readonly server: MeiliServer;
  private readonly host: string;
  private readonly uid: string;
  private readonly rebuildUid: string;
  private rebuild: OpenRebuild | null = null;
  /** Writes run one at a time, so a rebuild's commit never races a live write. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(options: MeiliEngineOptions) {
    this.uid = options.indexUid ?? "threadline";
    if (!/^[a-zA-Z0-9_-]{1,200}$/.test(this.uid)) throw new Error(`Not a valid Meilisearch index uid: ${this.uid}`);
    this.rebuildUid = `${this.uid}_rebuild`;
    this.host = options.host;
    this.server = new MeiliServer({
      host: options.host,
      apiKey: options.apiKey,
      requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
      taskTimeoutMs: options.taskTimeoutMs ?? 120_000,
      retry: { retries: options.retries ?? 3, retryDelayMs: options.retryDelayMs ?? 250 },
      batchSize: Math.max(1, options.batchSize ?? 1_000),
    });
  }

  async init(): Promise<void> {
    this.server.forgetVersion();
    await this.server.prepareIndex(this.uid);
  }

  index(documents: SearchDocument[]): Promise<void> {
    if (documents.length === 0) return Promise.resolve();
    const stored = documents.map(toMeiliDocument);
    return this.exclusive(async () => {
      await this.server.addDocuments(this.uid, stored);
      const rebuildUid = await this.rebuildReceivingWrites(documents.map((doc) => doc.id));
      if (rebuildUid) await this.server.addDocuments(rebuildUid, stored);
    });
  }

  remove(ids: string[]): Promise<void> {
    if (ids.length === 0) return Promise.resolve();
    return this.exclusive(async () => {
      await this.server.deleteDocuments(this.uid, ids);
      const rebuildUid = await this.rebuildReceivingWrites(ids);
      if (rebuildUid) await this.server.deleteDocuments(rebuildUid, ids);
    });
  }

  async search(request: SearchRequest): Promise<SearchResponse> {
    const q = buildQueryString(request);
    const filter = buildFilter(request.filters);
    const facets = request.facets ? ["type", "place", "year"] : undefined;
    if (q === null || filter === null) {
      return { hits: [], total: 0, facets: facets ? { type: {}, place: {}, year: {} } : null };
    }
    const matching: SearchParams = { q, filter, matchingStrategy: "all" };
    const shown: SearchParams = {
      ...matching,
      sort: request.sort === "date" ? ["date:desc"] : undefined,
      attributesToRetrieve: [...DOCUMENT_FIELDS],
      attributesToHighlight: ["title", "body", "quoted"],
      attributesToCrop: ["body", "quoted"],
      cropLength: SNIPPET_WORDS,
      cropMarker: CROP_MARKER,
      highlightPreTag: MARK_OPEN,
      highlightPostTag: MARK_CLOSE,
    };
    const pagination = buildPagination(request.offset, request.limit);
    const answer = await this.searching(async () => {
      if ("page" in pagination) {
        // One query: page/hitsPerPage brings the exact total and the facets with the hits.
        const response = await this.server.client.index(this.uid).search(q, { ...shown, ...pagination, facets });
        return { hits: response.hits, counted: response as Counted };
      }
      // An offset inside a page: the hits by offset/limit, and in the same
      // request a hitless page query for the exact total and the facets
      // (offset/limit alone only brings an estimate).
      const { results } = await this.server.client.multiSearch({
        queries: [
          { indexUid: this.uid, ...shown, ...pagination },
          { indexUid: this.uid, ...matching, page: 1, hitsPerPage: 0, facets },
        ],
      });
      return { hits: results[0]!.hits, counted: results[1]! as Counted };
    });
    const distribution = answer.counted.facetDistribution;
    return {
      hits: answer.hits.map((hit) => toSearchHit(hit)),
      total: answer.counted.totalHits ?? answer.counted.estimatedTotalHits ?? answer.hits.length,
      facets: facets ? { type: distribution?.type ?? {}, place: distribution?.place ?? {}, year: distribution?.year ?? {} } : null,
    };
  }

  async count(): Promise<number> {
    return (await this.server.stats(this.uid))?.numberOfDocuments ?? 0;
  }

  async health(): Promise<SearchHealth> {
    try {
      await this.server.client.health();
    } catch (error) {
      return { ok: false, message: `Meilisearch at ${this.host} is not reachable: ${describeError(error)}` };
    }
    try {
      const { pkgVersion } = await this.server.client.getVersion();
      const problem = MeiliServer.versionProblem(this.host, pkgVersion);
      if (problem) return { ok: false, message: problem };
      await this.server.client.getRawIndex(this.uid);
      return { ok: true };
    } catch (error) {
      const code = apiErrorCode(error);
      if (code === "index_not_found") {
        return { ok: false, message: `Meilisearch is up but has no index "${this.uid}": run the search reindex` };
      }
      if (code === "invalid_api_key" || code === "missing_authorization_header") {
        return { ok: false, message: `Meilisearch at ${this.host} refused the API key (check MEILI_API_KEY): ${describeError(error)}` };
      }
      if (isUnreachable(error)) return { ok: false, message: `Meilisearch at ${this.host} is not reachable: ${describeError(error)}` };
      return { ok: false, message: `Meilisearch at ${this.host} answered with an error: ${describeError(error)}` };
    }
  }

  async stats(): Promise<SearchStats> {
    const stats = await this.server.stats(this.uid);
    const size = (stats as { indexSize?: unknown } | null)?.indexSize;
    return {
      engine: "meilisearch",
      documents: stats?.numberOfDocuments ?? 0,
      ...(typeof size === "number" ? { sizeBytes: size } : {}),
    };
  }

  beginRebuild(): Promise<SearchRebuild> {
    return this.exclusive(async () => {
      // A newer rebuild replaces an unfinished one (as in the embedded
      // engine), whose calls then fail; so does a rebuild index left by a
      // crashed run. The live index must exist to be swapped.
      if (this.rebuild && this.rebuild.state !== "committed" && this.rebuild.state !== "aborted") this.rebuild.state = "replaced";
      this.rebuild = null;
      const uid = this.rebuildUid;
      await this.server.prepareIndex(this.uid);
      await this.server.deleteIndex(uid);
      await this.server.prepareIndex(uid);
      const rebuild: OpenRebuild = { uid, touched: new Set(), state: "open" };
      this.rebuild = rebuild;
      return {
        // Documents written or removed through the live engine since the
        // rebuild began are newer than the rebuild's reading: keep those.
        index: (documents) =>
          this.exclusive(async () => {
            this.assertOpen(rebuild);
            const fresh = documents.filter((doc) => !rebuild.touched.has(doc.id));
            if (fresh.length > 0) await this.server.addDocuments(uid, fresh.map(toMeiliDocument));
          }),
        commit: () => this.exclusive(() => this.commit(rebuild)),
        abort: () => this.exclusive(() => this.abort(rebuild)),
      };
    });
  }

  async close(): Promise<void> {
    // Nothing to release: the client holds no connection between requests.
    await this.writes;
  }

  // ---------------------------------------------------------------------------

  /** A read, retried while unreachable; a missing index means nobody ran the reindex yet. */
  private async searching<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await this.server.retry(operation);
    } catch (error) {
      if (apiErrorCode(error) === "index_not_found") {
        throw new SearchUnavailableError(`Meilisearch at ${this.host} has no index "${this.uid}" yet: run the search reindex`, { cause: error });
      }
      throw error;
    }
  }

  private exclusive<T>(operation: () => Promise<T>): Promise<T> {
    const run = this.writes.then(operation, operation);
    this.writes = run.catch(() => undefined);
    return run;
  }

  /**
   * The rebuild index a live write must also reach, if any. A rebuild open in
   * this process also learns which ids were written, so its older copies
   * never replace them. A rebuild index that exists without one (another
   * process is rebuilding) gets the write too, so a post made meanwhile is
   * not lost at the swap. That process cannot know the id was written, so
   * an older copy it read before may still replace it: the one race left.
   */
  private async rebuildReceivingWrites(ids: string[]): Promise<string | null> {
    const rebuild = this.rebuild;
    if (rebuild && receivesLiveWrites(rebuild)) {
      for (const id of ids) rebuild.touched.add(id);
      return rebuild.uid;
    }
    return (await this.server.exists(this.rebuildUid)) ? this.rebuildUid : null;
  }

  private assertOpen(rebuild: OpenRebuild): void {
    if (rebuild.state === "open") return;
    if (rebuild.state === "unknown") {
      throw new Error("The search rebuild's commit may or may not have switched indexes; abort it and rebuild again");
    }
    throw new Error(`This search rebuild is over: it was ${rebuild.state === "replaced" ? "replaced by a newer one" : `already ${rebuild.state}`}`);
  }

  private async commit(rebuild: OpenRebuild): Promise<void> {
    this.assertOpen(rebuild);
    // Swapping is not idempotent (a second swap switches back), so the
    // request is sent once; if its answer is lost, nobody knows which index
    // is live, and only abort() (safe either way) is allowed.
    let enqueued: EnqueuedTask;
    try {
      enqueued = await this.server.enqueueSwap(this.uid, rebuild.uid);
    } catch (error) {
      if (isUnreachable(error)) {
        rebuild.state = "unknown";
        throw new SearchUnavailableError(`Meilisearch at ${this.host} did not confirm the index swap: ${describeError(error)}`, { cause: error });
      }
      throw error;
    }
    try {
      await this.server.finishSwap(enqueued, this.uid, rebuild.uid);
    } catch (error) {
      // A failed task swapped nothing and the rebuild stays open; otherwise
      // the swap may still happen later.
      if (!(error instanceof MeiliTaskError)) rebuild.state = "unknown";
      throw error;
    }
    rebuild.state = "committed";
    this.rebuild = null;
    // The rebuild uid now names the old index.
    await this.server.deleteIndex(rebuild.uid);
  }

  private async abort(rebuild: OpenRebuild): Promise<void> {
    // After a commit, or once a newer rebuild owns the rebuild index, there is nothing to undo.
    if (rebuild.state === "committed" || rebuild.state === "aborted" || rebuild.state === "replaced") return;
    rebuild.state = "aborted";
    if (this.rebuild === rebuild) this.rebuild = null;
    // After an unconfirmed swap this deletes either the unused rebuild or the
    // old live index: the live uid keeps a complete index in both cases.
    await this.server.deleteIndex(rebuild.uid);
  }
}
