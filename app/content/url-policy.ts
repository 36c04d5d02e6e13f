// One answer to "may this URL appear in a page?", shared by the Markdown
// renderer and both sanitizers so that they can never disagree.

export type UrlKind = "relative" | "external" | "mailto" | "data-image" | "blocked";

export type ClassifiedUrl = { kind: UrlKind; href: string };

// Only raster formats: an SVG data URL can carry script.
const SAFE_DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|webp);base64,[a-z0-9+/]+={0,2}$/i;
const SCHEME = /^[a-z][a-z0-9+.-]*$/i;

/**
 * Sorts a URL (as it would appear, entity-decoded, in an attribute) into the
 * few kinds the portal allows. Anything that hides its scheme (percent-encoded
 * or control characters, tabs and newlines that browsers silently drop) is
 * refused rather than repaired: a real link never needs them.
 */
export function classifyUrl(raw: string): ClassifiedUrl {
  const href = raw.replace(/^[\x00-\x20]+|[\x00-\x20]+$/g, "");
  // What a browser would see: percent escapes and backslashes are the usual
  // disguises, and the URL parser drops tabs and newlines anywhere.
  const seen = percentDecode(href).replace(/[\t\n\r]/g, "").replace(/\\/g, "/").replace(/^[\x00-\x20]+/, "");
  if (seen.startsWith("//")) return { kind: "external", href: `https:${href.replace(/\\/g, "/")}` };

  const colon = seen.indexOf(":");
  const delimiter = seen.search(/[/?#]/);
  if (colon === -1 || (delimiter !== -1 && delimiter < colon)) {
    return { kind: "relative", href };
  }
  const scheme = seen.slice(0, colon);
  // The raw text must spell the scheme plainly too, or it is a disguise.
  if (!SCHEME.test(scheme) || !href.toLowerCase().startsWith(`${scheme.toLowerCase()}:`)) {
    return { kind: "blocked", href: "" };
  }
  switch (scheme.toLowerCase()) {
    case "http":
    case "https":
      return { kind: "external", href };
    case "mailto":
      return { kind: "mailto", href };
    case "data":
      return SAFE_DATA_IMAGE.test(href) ? { kind: "data-image", href } : { kind: "blocked", href: "" };
    default:
      return { kind: "blocked", href: "" };
  }
}

/** Decodes %XX escapes byte by byte, repeatedly, so %2509 cannot hide a tab. */
function percentDecode(value: string): string {
  let current = value;
  for (let round = 0; round < 3; round++) {
    const next = current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
    if (next === current) break;
    current = next;
  }
  return current;
}
