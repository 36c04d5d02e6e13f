// Markdown for forum posts and chat, rendered once on write (the "cooked"
// HTML is stored next to the source). Raw HTML is never rendered, URLs go
// through one policy, and the result passes the post sanitizer anyway.
import hljs from "highlight.js";
import MarkdownIt from "markdown-it";
import { adjustBlocks, rewriteInline, type RenderEnv } from "./markdown-rules.server";
import { capQuoteMarkers } from "./quote-depth";
import { sanitizePostHtml } from "./sanitize.server";

/** Longer sources are refused before parsing, which bounds the work per post. */
export const MAX_SOURCE_LENGTH = 100_000;

export class ContentTooLongError extends Error {
  readonly length: number;
  readonly limit = MAX_SOURCE_LENGTH;
  constructor(length: number) {
    super(`The text is ${length} characters long; the limit is ${MAX_SOURCE_LENGTH}.`);
    this.name = "ContentTooLongError";
    this.length = length;
  }
}

export type RenderedMarkdown = { html: string; mentions: string[] };
export type RenderOptions = { resolveMention?: (username: string) => boolean; subset?: "post" | "chat" };

function createRenderer(disabledBlocks: string[]) {
  const md = new MarkdownIt("default", { html: false, linkify: true, typographer: false });
  if (disabledBlocks.length) md.disable(disabledBlocks);
  // Every link becomes a token and rewriteInline applies the one URL policy, so
  // a refused [text](url) still shows its text rather than the raw Markdown.
  md.validateLink = () => true;
  md.core.ruler.push("threadline_blocks", (state) => adjustBlocks(state));
  md.core.ruler.push("threadline_inline", (state) => rewriteInline(state));
  md.renderer.rules.fence = (tokens, idx) => {
    const token = tokens[idx]!;
    const name = token.info.trim().split(/\s+/, 1)[0]!.toLowerCase();
    // Only a language highlight.js knows gets classes; the rest is plain escaped code.
    if (!/^[a-z0-9][a-z0-9_+#-]{0,31}$/.test(name) || !hljs.getLanguage(name)) {
      return `<pre><code>${md.utils.escapeHtml(token.content)}</code></pre>\n`;
    }
    const { value } = hljs.highlight(token.content, { language: name, ignoreIllegals: true });
    return `<pre><code class="hljs language-${name}">${value}</code></pre>\n`;
  };
  return md;
}

const renderers = {
  post: createRenderer([]),
  // Chat lines are short: inline code, code blocks, links, emphasis, quotes
  // and lists, but no headings, tables or rules that would break the flow.
  chat: createRenderer(["heading", "lheading", "table", "hr"]),
};

/**
 * Renders member Markdown to sanitized HTML and lists the members it mentions
 * (lower-cased, first mention first). `resolveMention` receives the lower-cased
 * name; without it every well-formed @name counts, so a caller can render once
 * to learn the candidates, look them up, and render again with the answer.
 * Throws ContentTooLongError above MAX_SOURCE_LENGTH characters.
 */
export function renderMarkdown(source: string, options: RenderOptions = {}): RenderedMarkdown {
  if (source.length > MAX_SOURCE_LENGTH) throw new ContentTooLongError(source.length);
  const env: RenderEnv = { resolveMention: options.resolveMention ?? (() => true), mentions: new Set() };
  const html = renderers[options.subset ?? "post"].render(capQuoteMarkers(source), env);
  return { html: sanitizePostHtml(html), mentions: [...env.mentions] };
}
