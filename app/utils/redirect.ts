/**
 * A same-origin, relative path to go to after logging in, or "/" for
 * anything else: absolute and protocol-relative URLs, backslash tricks,
 * javascript: and their percent-encoded forms.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2000) return fallback;
  let decoded = to;
  try {
    // Decode repeatedly so %252F%252F and friends are seen for what they are.
    for (let i = 0; i < 3; i++) {
      const next = decodeURIComponent(decoded);
      if (next === decoded) break;
      decoded = next;
    }
  } catch {
    return fallback;
  }
  for (const candidate of [to, decoded]) {
    if (!candidate.startsWith("/")) return fallback;
    if (candidate.startsWith("//") || candidate.startsWith("/\\")) return fallback;
    if (/[\u0000-\u001f\u007f\\]/.test(candidate)) return fallback;
  }
  // Resolve against a dummy origin: anything that leaves it is refused.
  const url = new URL(to, "http://threadline.invalid");
  if (url.origin !== "http://threadline.invalid") return fallback;
  return url.pathname + url.search + url.hash;
}
