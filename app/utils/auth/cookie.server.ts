/**
 * The one session cookie. Over HTTPS it takes the __Host- prefix (which binds
 * it to this host, path / and Secure); in production it is always Secure,
 * unless INSECURE_COOKIES=true for a plain-HTTP test deployment.
 */
export type CookieOptions = { secureRequest: boolean; production: boolean; insecureAllowed: boolean };

const PLAIN_NAME = "threadline_session";
const HOST_NAME = "__Host-threadline_session";

export function sessionCookieName(options: Pick<CookieOptions, "secureRequest">): string {
  return options.secureRequest ? HOST_NAME : PLAIN_NAME;
}

function attributes(options: CookieOptions, maxAgeSeconds: number): string {
  const secure = options.secureRequest || (options.production && !options.insecureAllowed);
  return [`Path=/`, `Max-Age=${maxAgeSeconds}`, "HttpOnly", "SameSite=Lax", secure ? "Secure" : ""]
    .filter(Boolean)
    .join("; ");
}

export function serializeSessionCookie(token: string, maxAgeSeconds: number, options: CookieOptions): string {
  return `${sessionCookieName(options)}=${token}; ${attributes(options, maxAgeSeconds)}`;
}

export function clearSessionCookie(options: CookieOptions): string {
  return `${sessionCookieName(options)}=; ${attributes(options, 0)}`;
}

/** The session cookie's value from a Cookie header, or null. */
export function readSessionCookie(cookieHeader: string | null | undefined, options: Pick<CookieOptions, "secureRequest">): string | null {
  if (!cookieHeader) return null;
  const name = sessionCookieName(options);
  for (const part of cookieHeader.split(";")) {
    const index = part.indexOf("=");
    if (index === -1) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}
