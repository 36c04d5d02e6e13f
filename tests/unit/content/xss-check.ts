// Reads sanitized HTML the way a browser would, as far as script goes, and
// lists anything that could run or load code. Sanitized output escapes every
// "<" in text, so every literal "<" left must open a tag.

const FORBIDDEN_ELEMENTS = new Set([
  "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input", "button", "textarea",
  "select", "meta", "base", "link", "style", "svg", "math", "template", "noscript", "xmp", "plaintext",
  "video", "audio", "source", "track", "picture", "portal", "isindex", "body", "html", "head",
]);
const URL_ATTRIBUTES = new Set(["href", "src"]);
const FORBIDDEN_ATTRIBUTES = new Set(["style", "srcdoc", "formaction", "action", "xlink:href", "http-equiv", "srcset", "background", "poster", "data", "ping"]);
const SAFE_DATA = /^data:image\/(?:png|gif|jpeg|webp);base64,/;

export function findExecutableConstructs(html: string): string[] {
  const problems: string[] = [];
  if (/<[!?]/.test(html)) problems.push("markup declaration or comment");
  for (const tag of html.matchAll(/<\/?([a-zA-Z][^\s/>]*)([^>]*)>/g)) {
    const name = tag[1]!.toLowerCase();
    if (FORBIDDEN_ELEMENTS.has(name)) problems.push(`<${name}> element`);
    for (const attr of tag[2]!.matchAll(/([^\s=/"'>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
      const attrName = attr[1]!.toLowerCase();
      const raw = attr[2] ?? attr[3] ?? attr[4] ?? "";
      const value = decodeEntities(raw);
      if (attrName.startsWith("on")) problems.push(`event handler ${attrName}`);
      if (FORBIDDEN_ATTRIBUTES.has(attrName)) problems.push(`${attrName} attribute`);
      if (raw.includes("<")) problems.push(`raw "<" in ${attrName}`);
      if (URL_ATTRIBUTES.has(attrName)) {
        const url = value.replace(/[\x00-\x20\x7f]/g, "").toLowerCase();
        if (/^(?:javascript|vbscript|livescript|file):/.test(url)) problems.push(`${attrName}=${url}`);
        if (url.startsWith("data:") && !(name === "img" && SAFE_DATA.test(url))) problems.push(`${attrName}=${url.slice(0, 30)}`);
      }
    }
  }
  return problems;
}

function decodeEntities(value: string): string {
  const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", colon: ":", tab: "\t", newline: "\n" };
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);?/gi, (whole, entity: string) => {
    if (entity.startsWith("#x") || entity.startsWith("#X")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return named[entity.toLowerCase()] ?? whole;
  });
}
