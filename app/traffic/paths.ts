/**
 * What the traffic statistics keep of a URL: the path without its query
 * string (queries may hold search terms, tokens, addresses), with ids that
 * would make every page its own row collapsed, and anything that could name
 * a person (member names, Message-IDs, anything with an @) replaced.
 */
const MAX_PATH_LENGTH = 160;

const COLLAPSE: [RegExp, (...groups: string[]) => string][] = [
  // A topic counts as one page whatever its slug or post number.
  [/^\/t\/(\d+)(?:\/.*)?$/, (id) => `/t/${id}`],
  [/^\/p\/(\d+)(?:\/.*)?$/, (id) => `/p/${id}`],
  [/^\/lists\/([^/]+)\/m\/([^/]+)(?:\/.*)?$/, (slug, id) => `/lists/${slug}/m/${id}`],
  [/^\/lists\/([^/]+)\/thread\/([^/]+)(?:\/.*)?$/, (slug, id) => `/lists/${slug}/thread/${id}`],
  [/^\/chat\/([^/]+)\/m\/(\d+)(?:\/.*)?$/, (slug, id) => `/chat/${slug}/m/${id}`],
  // Member profiles and Message-IDs name people: counted together.
  [/^\/u\/.*$/, () => "/u/…"],
  [/^\/mid\/.*$/, () => "/mid/…"],
  [/^\/mod\/users\/.*$/, () => "/mod/users/…"],
];

export function normalizePagePath(rawPath: string): string {
  let path = rawPath.split(/[?#]/)[0] ?? "/";
  if (!path.startsWith("/")) path = `/${path}`;
  if (path.length > 1) path = path.replace(/\/+$/, "");
  for (const [pattern, replace] of COLLAPSE) {
    const match = pattern.exec(path);
    if (match) {
      path = replace(...match.slice(1));
      break;
    }
  }
  // Anything left that looks like an address or a long token is dropped.
  path = path
    .split("/")
    .map((segment) => (/@|%40/i.test(segment) || /^[A-Za-z0-9_-]{40,}$/.test(segment) ? "…" : segment))
    .join("/");
  return path.length > MAX_PATH_LENGTH ? `${path.slice(0, MAX_PATH_LENGTH)}…` : path;
}

/**
 * The host name of a Referer from another site, or null for none, this
 * site, or anything that is not an http(s) URL. Never the path or query.
 */
export function externalReferrerHost(referer: string | undefined, ownHosts: readonly string[]): string | null {
  if (!referer) return null;
  let url: URL;
  try {
    url = new URL(referer);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const host = url.hostname.toLowerCase();
  if (!host || ownHosts.some((own) => own.toLowerCase() === host)) return null;
  return host.slice(0, 120);
}
