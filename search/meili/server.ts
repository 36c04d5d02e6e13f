// Index-level work on one Meilisearch server: creating an index with our
// settings, writing and deleting documents in batches, dropping and
// swapping indexes. Every write waits for its task and fails with the task's
// own error; reaching the server is retried (errors.ts).
// https://www.meilisearch.com/docs/reference/api (tasks, indexes, documents, settings)
import { Meilisearch, type EnqueuedTask, type IndexStats, type IndexSwap, type Settings, type Task } from "meilisearch";
import { toMeiliId, type MeiliDocument } from "./documents";
import { apiErrorCode, assertSucceeded, withRetry, type RetryPolicy } from "./errors";
import { MIN_MEILI_VERSION, settingsFor, settingsMatch, versionAtLeast } from "./settings";

export interface MeiliServerOptions {
  host: string;
  apiKey?: string;
  requestTimeoutMs: number;
  taskTimeoutMs: number;
  retry: RetryPolicy;
  batchSize: number;
}

/** Settings changes may reindex everything; swaps wait behind other tasks. */
const LONG_TASK_TIMEOUT_MS = 10 * 60_000;

/** Well under Meilisearch's default 100 MB payload limit, even for long archived mails. */
const MAX_BATCH_CHARS = 16_000_000;

/** Consecutive groups of at most `size` documents and about `maxChars` of JSON each. */
export function batches<T>(items: T[], size: number, maxChars: number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let chars = 0;
  for (const item of items) {
    const itemChars = JSON.stringify(item).length;
    if (current.length > 0 && (current.length >= size || chars + itemChars > maxChars)) {
      groups.push(current);
      current = [];
      chars = 0;
    }
    current.push(item);
    chars += itemChars;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

export class MeiliServer {
  readonly client: Meilisearch;
  readonly host: string;
  private readonly options: MeiliServerOptions;
  /** Index settings for the server's version, once known. */
  private settings: Settings | null = null;

  constructor(options: MeiliServerOptions) {
    this.options = options;
    this.host = options.host;
    this.client = new Meilisearch({
      host: options.host,
      apiKey: options.apiKey,
      timeout: options.requestTimeoutMs,
      defaultWaitOptions: { timeout: options.taskTimeoutMs, interval: 50 },
    });
  }

  retry<T>(operation: () => Promise<T>): Promise<T> {
    return withRetry(this.host, this.options.retry, operation);
  }

  /** Asks the server its version again on the next prepareIndex(). */
  forgetVersion(): void {
    this.settings = null;
  }

  /** Why this server version cannot serve Threadline, or null when it can. */
  static versionProblem(host: string, pkgVersion: string): string | null {
    if (versionAtLeast(pkgVersion)) return null;
    return `Meilisearch ${pkgVersion} at ${host} is too old: Threadline needs ${MIN_MEILI_VERSION.join(".")} or later`;
  }

  /** Creates the index if it is missing and applies our settings if they differ. */
  async prepareIndex(uid: string): Promise<void> {
    const wanted = await this.wantedSettings();
    if (!(await this.exists(uid))) {
      const enqueued = await this.retry(() => this.client.createIndex(uid, { primaryKey: "id" }));
      const task = await this.wait(enqueued);
      // Another process may have created it in between.
      if (task.error?.code !== "index_already_exists") assertSucceeded(task, `create the index "${uid}"`);
    }
    const index = this.client.index(uid);
    const current = await this.retry(() => index.getSettings());
    if (settingsMatch(current, wanted)) return;
    const enqueued = await this.retry(() => index.updateSettings(wanted));
    assertSucceeded(await this.wait(enqueued, LONG_TASK_TIMEOUT_MS), `apply the search settings to "${uid}"`);
  }

  async exists(uid: string): Promise<boolean> {
    try {
      await this.retry(() => this.client.getRawIndex(uid));
      return true;
    } catch (error) {
      if (apiErrorCode(error) === "index_not_found") return false;
      throw error;
    }
  }

  /** The index's stats, or null when it does not exist. */
  async stats(uid: string): Promise<IndexStats | null> {
    try {
      return await this.retry(() => this.client.index(uid).getStats());
    } catch (error) {
      if (apiErrorCode(error) === "index_not_found") return null;
      throw error;
    }
  }

  async addDocuments(uid: string, documents: MeiliDocument[]): Promise<void> {
    const index = this.client.index<MeiliDocument>(uid);
    for (const batch of batches(documents, this.options.batchSize, MAX_BATCH_CHARS)) {
      // Adding replaces by id, so enqueuing again after a lost answer is harmless.
      const enqueued = await this.retry(() => index.addDocuments(batch, { primaryKey: "id" }));
      assertSucceeded(await this.wait(enqueued), `index ${batch.length} documents into "${uid}"`);
    }
  }

  /** Removes documents by our ids; unknown ids and a missing index are nothing to remove. */
  async deleteDocuments(uid: string, ids: string[]): Promise<void> {
    const index = this.client.index(uid);
    for (const batch of batches(ids.map(toMeiliId), this.options.batchSize, MAX_BATCH_CHARS)) {
      const enqueued = await this.retry(() => index.deleteDocuments(batch));
      const task = await this.wait(enqueued);
      if (task.error?.code === "index_not_found") return;
      assertSucceeded(task, `remove ${batch.length} documents from "${uid}"`);
    }
  }

  /** Drops an index; one that does not exist is already gone. */
  async deleteIndex(uid: string): Promise<void> {
    const enqueued = await this.retry(() => this.client.deleteIndex(uid));
    const task = await this.wait(enqueued);
    if (task.error?.code !== "index_not_found") assertSucceeded(task, `delete the index "${uid}"`);
  }

  /**
   * Enqueues a swap of two indexes, once: a second swap would switch them
   * back, so the request is never retried (the caller decides what an
   * unanswered request means). `rename` is left out: servers before 1.18
   * reject the field, and false is its default.
   */
  enqueueSwap(a: string, b: string): Promise<EnqueuedTask> {
    return this.client.swapIndexes([{ indexes: [a, b] } as IndexSwap]);
  }

  async finishSwap(enqueued: EnqueuedTask, a: string, b: string): Promise<void> {
    assertSucceeded(await this.wait(enqueued, LONG_TASK_TIMEOUT_MS), `swap "${a}" with "${b}"`);
  }

  /** Waits for a task, polling again after a network error without enqueuing the work twice. */
  private wait(enqueued: EnqueuedTask, timeout = this.options.taskTimeoutMs): Promise<Task> {
    return this.retry(() => this.client.tasks.waitForTask(enqueued.taskUid, { timeout }));
  }

  /** The settings for this server, after checking it is recent enough. */
  private async wantedSettings(): Promise<Settings> {
    if (this.settings) return this.settings;
    const { pkgVersion } = await this.retry(() => this.client.getVersion());
    const problem = MeiliServer.versionProblem(this.host, pkgVersion);
    if (problem) throw new Error(problem);
    this.settings = settingsFor(pkgVersion);
    return this.settings;
  }
}
