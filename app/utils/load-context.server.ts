import { createHmac, randomBytes } from "node:crypto";
import type { Request as ExpressRequest, Response as ExpressResponse } from "express";
import { clearSessionCookie, readSessionCookie, type CookieOptions } from "./auth/cookie.server";
import { validateSessionToken, type ValidSession } from "./auth/session.server";
import { ensureDbReady } from "./db.server";
import { getEnv } from "./env.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request nonce for the Content-Security-Policy. */
    cspNonce: string;
    /** A keyed hash of the client's address: enough to rate-limit, useless to identify. */
    clientKey: string;
    cookieOptions: CookieOptions;
    auth: ValidSession | null;
    /**
     * Aborted when the client's connection closes. Long responses (live
     * streams) listen to this rather than to request.signal: Remix hands
     * loaders a copy of the request, and the copy's signal does not always
     * follow the original's abort (nodejs/undici#3644), which left departed
     * clients subscribed.
     */
    connectionClosed: AbortSignal;
  }
}

// A fresh key per process: client keys cannot be reversed or joined across restarts.
const clientKeySecret = randomBytes(32);

export function clientKeyFor(address: string | undefined): string {
  return createHmac("sha256", clientKeySecret).update(address ?? "unknown").digest("hex").slice(0, 32);
}

export function cookieOptionsFor(secureRequest: boolean): CookieOptions {
  const env = getEnv();
  return {
    secureRequest,
    production: env.NODE_ENV === "production",
    insecureAllowed: env.INSECURE_COOKIES === "true",
  };
}

/**
 * Built once per request by server.ts. Resolves the session cookie; a
 * malformed, expired or forged cookie means "logged out" and is cleared.
 */
export async function createLoadContext(req: ExpressRequest, res: ExpressResponse) {
  await ensureDbReady();
  const env = getEnv();
  const cookieOptions = cookieOptionsFor(req.secure);
  const token = readSessionCookie(req.headers.cookie, cookieOptions);
  let auth: ValidSession | null = null;
  if (token !== null) {
    auth = await validateSessionToken(token, { idleDays: env.SESSION_IDLE_DAYS, maxDays: env.SESSION_MAX_DAYS });
    if (!auth) res.append("Set-Cookie", clearSessionCookie(cookieOptions));
  }
  const closed = new AbortController();
  res.once("close", () => closed.abort());
  return {
    connectionClosed: closed.signal,
    cspNonce: String(res.locals.cspNonce ?? ""),
    clientKey: clientKeyFor(req.ip),
    cookieOptions,
    auth,
  };
}
