import { createHash } from "node:crypto";
import { consumeLimit, peekLimit, recordHit, resetLimit, type Limit, type LimitResult } from "../rate-limit.server";

/**
 * Log-in throttling that slows guessing without letting an attacker lock a
 * member out (OWASP's "known client" approach):
 * - each client may try a limited number of logins overall;
 * - each account+client pair gets a few failures before a pause;
 * - each account gets a larger budget of failures from clients it has never
 *   logged in from; clients that logged in to it before are exempt, so a flood
 *   of guesses from elsewhere never stops the owner.
 * The typed name is hashed, so the limits reveal nothing about which accounts exist.
 */
const CLIENT_LIMIT: Limit = { max: 30, windowMs: 15 * 60_000 };
const PAIR_LIMIT: Limit = { max: 5, windowMs: 15 * 60_000 };
const ACCOUNT_LIMIT: Limit = { max: 50, windowMs: 60 * 60_000 };
const TRUST_MS = 90 * 24 * 60 * 60_000;

const trustedClients = new Map<string, Map<string, number>>();

export function accountKey(identifier: string): string {
  return createHash("sha256").update(identifier.trim().toLowerCase()).digest("hex").slice(0, 32);
}

function isTrusted(account: string, clientKey: string, now: number): boolean {
  const until = trustedClients.get(account)?.get(clientKey);
  return until !== undefined && until > now;
}

export function checkLoginAllowed(identifier: string, clientKey: string, now = Date.now()): LimitResult {
  const account = accountKey(identifier);
  const client = consumeLimit(`login:client:${clientKey}`, CLIENT_LIMIT, now);
  if (!client.ok) return client;
  const pair = peekLimit(`login:pair:${account}:${clientKey}`, PAIR_LIMIT, now);
  if (!pair.ok) return pair;
  if (!isTrusted(account, clientKey, now)) return peekLimit(`login:account:${account}`, ACCOUNT_LIMIT, now);
  return { ok: true };
}

export function recordLoginFailure(identifier: string, clientKey: string, now = Date.now()) {
  const account = accountKey(identifier);
  recordHit(`login:pair:${account}:${clientKey}`, PAIR_LIMIT, now);
  if (!isTrusted(account, clientKey, now)) recordHit(`login:account:${account}`, ACCOUNT_LIMIT, now);
}

export function recordLoginSuccess(identifiers: string[], clientKey: string, now = Date.now()) {
  for (const identifier of identifiers) {
    const account = accountKey(identifier);
    resetLimit(`login:pair:${account}:${clientKey}`);
    let clients = trustedClients.get(account);
    if (!clients) trustedClients.set(account, (clients = new Map()));
    clients.set(clientKey, now + TRUST_MS);
    // Bound memory: keep the most recent handful of clients per account.
    if (clients.size > 20) clients.delete(clients.keys().next().value!);
  }
}

export function resetLoginThrottle() {
  trustedClients.clear();
}
