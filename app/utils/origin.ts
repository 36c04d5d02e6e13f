/**
 * Is a state-changing request from a page of this site? The Origin header
 * decides; without it, a browser's Sec-Fetch-Site must say same-origin.
 * A request with neither (old clients, scripts) is refused.
 */
export function isSameOrigin(origin: string | undefined, secFetchSite: string | undefined, expectedOrigin: string): boolean {
  if (origin) {
    // "null" comes from sandboxed frames and cross-site redirects: refused.
    if (origin === "null") return false;
    try {
      return new URL(origin).origin === new URL(expectedOrigin).origin;
    } catch {
      return false;
    }
  }
  return secFetchSite === "same-origin";
}
