import { getEnv } from "~/utils/env.server";

/**
 * The origin that links in emails point to: PUBLIC_URL when set, else the
 * origin of the request that caused the mail, else the local server.
 */
export function siteOrigin(request?: Request | null): string {
  const env = getEnv();
  if (env.PUBLIC_URL) return new URL(env.PUBLIC_URL).origin;
  if (request) return new URL(request.url).origin;
  return `http://localhost:${env.PORT}`;
}

/** "a***@example.org": enough for the owner to recognise, little for anyone else. */
export function maskAddress(address: string): string {
  const at = address.lastIndexOf("@");
  if (at < 1) return "***";
  return `${address[0]}***${address.slice(at)}`;
}
