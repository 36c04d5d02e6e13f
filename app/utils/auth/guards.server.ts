import { redirect, type AppLoadContext } from "@remix-run/node";
import { forbidden } from "../http";
import { canAdminister, canModerate } from "../permissions";
import type { SessionUser } from "./session.server";

/** The logged-in member, or a redirect to the login page that comes back here. */
export function requireUser(request: Request, context: AppLoadContext): SessionUser {
  const user = context.auth?.user;
  if (user) return user;
  const url = new URL(request.url);
  const redirectTo = url.pathname + url.search;
  throw redirect(`/login?${new URLSearchParams({ redirectTo })}`);
}

/** Pages such as /login make no sense when already logged in. */
export function requireAnonymous(context: AppLoadContext) {
  if (context.auth) throw redirect("/");
}

export function requireModerator(request: Request, context: AppLoadContext): SessionUser {
  const user = requireUser(request, context);
  if (!canModerate(user)) forbidden();
  return user;
}

export function requireAdmin(request: Request, context: AppLoadContext): SessionUser {
  const user = requireUser(request, context);
  if (!canAdminister(user)) forbidden();
  return user;
}
