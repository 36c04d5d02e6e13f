// How Meilisearch failures reach the portal: an unreachable or overloaded
// server becomes SearchUnavailableError (pages say "temporarily unavailable"),
// after a few retries with backoff; anything else is a bug or a bad setting
// and is thrown as it is, with Meilisearch's own message.
import { MeilisearchApiError, MeilisearchRequestError, MeilisearchTaskTimeOutError, type Task } from "meilisearch";
import { SearchUnavailableError } from "../types";

export interface RetryPolicy {
  /** Further attempts after the first one fails to reach the server. */
  retries: number;
  /** Wait before the first retry; doubled for each one after. */
  retryDelayMs: number;
}

/** A Meilisearch task that finished without succeeding. */
export class MeiliTaskError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.name = "MeiliTaskError";
    this.code = code;
  }
}

export function apiErrorCode(error: unknown): string | undefined {
  return error instanceof MeilisearchApiError ? error.cause?.code : undefined;
}

/** Connection refused, reset or timed out, or a proxy saying the server is down. */
export function isUnreachable(error: unknown): boolean {
  if (error instanceof MeilisearchRequestError) return true;
  if (error instanceof MeilisearchApiError) return [502, 503, 504].includes(error.response.status);
  return false;
}

/** The innermost useful reason, e.g. "fetch failed: connect ECONNREFUSED 127.0.0.1:7700". */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 4; depth++) {
    if (!parts.includes(current.message)) parts.push(current.message);
    current = current.cause;
  }
  if (current !== undefined && !(current instanceof Error) && typeof current !== "object") parts.push(String(current));
  return parts.join(": ") || String(error);
}

export function unavailable(host: string, error: unknown): SearchUnavailableError {
  if (error instanceof SearchUnavailableError) return error;
  if (error instanceof MeilisearchTaskTimeOutError) {
    return new SearchUnavailableError(`Meilisearch at ${host} did not finish a task in time (${error.message})`, { cause: error });
  }
  return new SearchUnavailableError(`Meilisearch at ${host} is not reachable: ${describeError(error)}`, { cause: error });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `operation`, retrying while the server cannot be reached. Only safe for
 * idempotent operations: every write here replaces or deletes by id.
 */
export async function withRetry<T>(host: string, policy: RetryPolicy, operation: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (error instanceof MeilisearchTaskTimeOutError) throw unavailable(host, error);
      if (!isUnreachable(error)) throw error;
      if (attempt >= policy.retries) throw unavailable(host, error);
      await sleep(policy.retryDelayMs * 2 ** attempt);
    }
  }
}

/** Throws when a finished task did not succeed, with the task's own error. */
export function assertSucceeded(task: Task, what: string): Task {
  if (task.status === "succeeded") return task;
  const reason = task.error ? `${task.error.message} (${task.error.code})` : `task ${task.uid} ended as ${task.status}`;
  throw new MeiliTaskError(`Meilisearch could not ${what}: ${reason}`, task.error?.code ?? undefined);
}
