// The last gate before stored HTML reaches dangerouslySetInnerHTML. Both
// policies are allow-lists; nothing carries a style attribute or element (the
// CSP forbids inline styles, and styles enable overlay tricks), and every URL
// goes through the same classifyUrl the Markdown renderer uses.
import sanitizeHtml, { type IOptions, type Tag } from "sanitize-html";
import { classifyUrl } from "./url-policy";

// Dropped with everything inside: their content is code, another document or
// markup in a foreign namespace (the root of most mutation-XSS tricks).
const DROP_WITH_CONTENT = [
  "script", "style", "textarea", "option", "select", "xmp", "noscript", "noembed", "noframes", "template",
  "iframe", "frame", "frameset", "object", "embed", "applet", "svg", "math", "title", "head",
];

const COMMON: IOptions = {
  disallowedTagsMode: "discard",
  nonTextTags: DROP_WITH_CONTENT,
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: {},
  allowProtocolRelative: false,
  allowedStyles: {},
  nestingLimit: 100,
  // Headings in a post or a mail sit under the page's own h1 (the topic or
  // the subject) and h2 (the post or message), so they start at h3.
  transformTags: { h1: "h3", h2: "h4", s: "del", strike: "del", b: "strong", i: "em" },
};

const POST_OPTIONS: IOptions = {
  ...COMMON,
  allowedTags: [
    "p", "br", "hr", "h3", "h4", "h5", "h6", "strong", "em", "del", "code", "pre", "blockquote",
    "ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "a", "img", "span",
  ],
  allowedAttributes: {
    a: ["href", "rel", "class", "title", "aria-label"],
    img: ["src", "alt", "title", "loading"],
    span: ["class", "aria-label"],
    code: ["class"],
    th: ["class"],
    td: ["class"],
    ol: ["start"],
  },
  allowedClasses: {
    a: ["mention", "remote-image"],
    // hljs marks sub-scopes with words ending in "_" (title function_).
    span: ["hljs", "hljs-*", "language-*", /^[a-z]+_+$/, "external-marker"],
    code: ["hljs", "language-*"],
    th: ["align-left", "align-center", "align-right"],
    td: ["align-left", "align-center", "align-right"],
  },
  allowedSchemesByTag: { img: ["data"] },
  transformTags: {
    ...COMMON.transformTags,
    a: (_tag, attribs): Tag => {
      const url = classifyUrl(attribs.href ?? "");
      if (!attribs.href || url.kind === "blocked" || url.kind === "data-image") return unwrap();
      return {
        tagName: "a",
        attribs: {
          href: url.href,
          ...(url.kind === "external" ? { rel: "nofollow ugc noopener" } : {}),
          ...pick(attribs, ["class", "title", "aria-label"]),
        },
      };
    },
    img: (_tag, attribs): Tag => {
      const url = classifyUrl(attribs.src ?? "");
      const alt = attribs.alt ?? "";
      if (url.kind === "relative" || url.kind === "data-image") {
        return { tagName: "img", attribs: { src: url.href, alt, ...pick(attribs, ["title"]), loading: "lazy" } };
      }
      if (url.kind === "external") {
        return { tagName: "a", attribs: { href: url.href, rel: "nofollow ugc noopener", class: "remote-image" }, text: `[image: ${alt}]` };
      }
      return { tagName: "span", attribs: {}, text: alt };
    },
  },
};

const MAIL_TAGS = [
  "p", "br", "hr", "div", "span", "h3", "h4", "h5", "h6", "strong", "em", "u", "del", "ins", "sub", "sup", "small",
  "mark", "abbr", "cite", "q", "code", "pre", "kbd", "samp", "var", "tt", "blockquote", "ul", "ol", "li", "dl", "dt",
  "dd", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "a",
];
// Right-to-left mail must stay readable. (sanitize-html checks values only per tag, not under "*".)
const DIR = { name: "dir", multiple: false, values: ["ltr", "rtl", "auto"] };

const MAIL_OPTIONS: IOptions = {
  ...COMMON,
  allowedTags: MAIL_TAGS,
  allowedAttributes: {
    ...Object.fromEntries(MAIL_TAGS.map((tag) => [tag, [DIR]])),
    a: ["href", "rel", "title", "class", DIR],
    span: ["class", "data-cid", DIR],
    th: ["colspan", "rowspan", DIR],
    td: ["colspan", "rowspan", DIR],
    ol: ["start", DIR],
  },
  allowedClasses: { a: ["remote-image"], span: ["inline-image"] },
  transformTags: {
    ...COMMON.transformTags,
    // Attributes are rebuilt from scratch, so a mail cannot forge our classes.
    span: () => unwrap(),
    a: (_tag, attribs): Tag => {
      const url = classifyUrl(attribs.href ?? "");
      if (url.kind !== "external" && url.kind !== "mailto") return unwrap();
      return { tagName: "a", attribs: { href: url.href, rel: "nofollow noopener noreferrer", ...pick(attribs, ["title"]) } };
    },
    img: (_tag, attribs): Tag => {
      const src = (attribs.src ?? "").trim();
      const alt = (attribs.alt ?? "").trim();
      const cid = /^cid:([A-Za-z0-9._@$%+=-]{1,200})$/i.exec(src);
      if (cid) return { tagName: "span", attribs: { class: "inline-image", "data-cid": cid[1]! }, text: "[inline image]" };
      const url = classifyUrl(src);
      if (url.kind === "external") {
        // Loading it would tell the sender who read the mail, and when.
        const text = `[remote image blocked: ${alt || "no description"}]`;
        return { tagName: "a", attribs: { href: url.href, rel: "nofollow noopener noreferrer", class: "remote-image" }, text };
      }
      return { tagName: "span", attribs: {}, text: alt ? `[image: ${alt}]` : "[image]" };
    },
  },
};

/** Allow-list for HTML rendered from members' Markdown (posts and chat). */
export function sanitizePostHtml(html: string): string {
  return sanitizeHtml(html, POST_OPTIONS);
}

/** Allow-list for the HTML part of an archived mail: structure and links only. */
export function sanitizeMailHtml(html: string): string {
  return sanitizeHtml(html, MAIL_OPTIONS);
}

function unwrap(): Tag {
  return { tagName: "span", attribs: {} };
}

function pick(attribs: Record<string, string>, names: string[]): Record<string, string> {
  return Object.fromEntries(names.filter((name) => attribs[name] !== undefined).map((name) => [name, attribs[name]!]));
}
