import type { AppLoadContext } from "@remix-run/node";
import { getEnv } from "../env.server";
import { clearSessionCookie, serializeSessionCookie } from "./cookie.server";
import { createSession, invalidateSession } from "./session.server";
import { describeUserAgent } from "./user-agent";

/** A brand-new session for every log-in (no session fixation); returns its Set-Cookie header. */
export async function startSession(userId: number, request: Request, context: AppLoadContext): Promise<string> {
  const env = getEnv();
  const { token, maxAgeSeconds } = await createSession(userId, describeUserAgent(request.headers.get("user-agent")), {
    idleDays: env.SESSION_IDLE_DAYS,
    maxDays: env.SESSION_MAX_DAYS,
  });
  return serializeSessionCookie(token, maxAgeSeconds, context.cookieOptions);
}

/** Ends the current session; returns the Set-Cookie header that clears the cookie. */
export async function endSession(context: AppLoadContext): Promise<string> {
  if (context.auth) await invalidateSession(context.auth.session.id);
  return clearSessionCookie(context.cookieOptions);
}
