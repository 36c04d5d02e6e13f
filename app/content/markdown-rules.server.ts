// markdown-it core rules that turn its token stream into what the portal
// allows: safe links only, no remote images, mentions, and no inline styles
// (the CSP refuses them, so table alignment becomes a class).
import type { StateCore, Token } from "markdown-it";
import { MAX_QUOTE_DEPTH } from "./quote-depth";
import { classifyUrl } from "./url-policy";

export type RenderEnv = { resolveMention: (username: string) => boolean; mentions: Set<string> };

export const EXTERNAL_MARKER = '<span class="external-marker" aria-label="(external link)">↗</span>';
const EXTERNAL_REL = "nofollow ugc noopener";

// Same shape as a username (account-rules.ts). Not after a word character,
// "@" or "/", so e-mail addresses and paths are left alone; not before "/"
// or ".x", so npm scopes (@types/node) and domains are too.
const MENTION = /(?<![\p{L}\p{N}_@.+/-])@([A-Za-z0-9][A-Za-z0-9_-]{2,29})(?![A-Za-z0-9_@/-]|\.[A-Za-z0-9])/gu;

/** Block-level adjustments: heading levels, table alignment, quote depth. */
export function adjustBlocks(state: StateCore): void {
  const dropped: boolean[] = [];
  state.tokens = state.tokens.filter((token) => {
    if (token.type === "heading_open" || token.type === "heading_close") {
      // The page owns h1 and h2 (topic title, post heading), so a post's "#" is an h3.
      token.tag = `h${Math.min(6, Number(token.tag.slice(1)) + 2)}`;
    } else if (token.type === "th_open" || token.type === "td_open") {
      const align = /text-align:(left|center|right)/.exec(String(token.attrGet("style") ?? ""))?.[1];
      token.attrs = align ? [["class", `align-${align}`]] : null;
    } else if (token.type === "blockquote_open") {
      const tooDeep = dropped.filter((d) => !d).length >= MAX_QUOTE_DEPTH;
      dropped.push(tooDeep);
      return !tooDeep;
    } else if (token.type === "blockquote_close") {
      return !dropped.pop();
    }
    return true;
  });
}

/** Inline rewriting: link policy, images, mentions, strikethrough as <del>. */
export function rewriteInline(state: StateCore): void {
  const env = state.env as RenderEnv;
  for (const block of state.tokens) {
    if (block.type !== "inline" || !block.children) continue;
    const out: Token[] = [];
    const links: ("dropped" | "external" | "plain")[] = [];
    for (const token of block.children) {
      if (token.type === "link_open") {
        const url = classifyUrl(String(token.attrGet("href") ?? ""));
        const keep = url.kind === "external" || url.kind === "mailto" || (url.kind === "relative" && url.href !== "");
        links.push(!keep ? "dropped" : url.kind === "external" ? "external" : "plain");
        if (!keep) continue;
        token.attrSet("href", url.href);
        if (url.kind === "external") token.attrSet("rel", EXTERNAL_REL);
        out.push(token);
      } else if (token.type === "link_close") {
        const kind = links.pop();
        if (kind === "external") out.push(html(state, EXTERNAL_MARKER));
        if (kind !== "dropped") out.push(token);
      } else if (token.type === "image") {
        out.push(...rewriteImage(state, token, links.length > 0));
      } else if (token.type === "text" && links.length === 0) {
        out.push(...linkMentions(state, token, env));
      } else {
        if (token.type === "s_open" || token.type === "s_close") token.tag = "del";
        out.push(token);
      }
    }
    block.children = out;
  }
}

function rewriteImage(state: StateCore, image: Token, insideLink: boolean): Token[] {
  const alt = plainText(image.children ?? []);
  const url = classifyUrl(String(image.attrGet("src") ?? ""));
  if ((url.kind === "relative" && url.href !== "") || url.kind === "data-image") {
    image.attrSet("src", url.href);
    image.attrSet("loading", "lazy");
    return [image];
  }
  // Remote images are never embedded: the CSP would block them, and loading
  // one would tell a third party who is reading the post.
  if (url.kind !== "external") return [text(state, alt)];
  if (insideLink) return [text(state, `[image: ${alt}]`)];
  return [
    link(state, url.href, [["rel", EXTERNAL_REL], ["class", "remote-image"]]),
    text(state, `[image: ${alt}]`),
    html(state, EXTERNAL_MARKER),
    new state.Token("link_close", "a", -1),
  ];
}

function linkMentions(state: StateCore, token: Token, env: RenderEnv): Token[] {
  const out: Token[] = [];
  let last = 0;
  for (const match of token.content.matchAll(MENTION)) {
    const name = match[1]!;
    const key = name.toLowerCase();
    if (!env.resolveMention(key)) continue;
    env.mentions.add(key);
    if (match.index > last) out.push(text(state, token.content.slice(last, match.index)));
    out.push(link(state, `/u/${key}`, [["class", "mention"]]), text(state, `@${name}`), new state.Token("link_close", "a", -1));
    last = match.index + match[0].length;
  }
  if (last === 0) return [token];
  if (last < token.content.length) out.push(text(state, token.content.slice(last)));
  return out;
}

function plainText(tokens: Token[]): string {
  return tokens.map((t) => (t.children ? plainText(t.children) : t.type === "text" || t.type === "code_inline" ? t.content : "")).join("");
}

function text(state: StateCore, content: string): Token {
  const token = new state.Token("text", "", 0);
  token.content = content;
  return token;
}

function html(state: StateCore, content: string): Token {
  const token = new state.Token("html_inline", "", 0);
  token.content = content;
  return token;
}

function link(state: StateCore, href: string, attrs: [string, string][]): Token {
  const token = new state.Token("link_open", "a", 1);
  token.attrs = [["href", href], ...attrs];
  return token;
}
