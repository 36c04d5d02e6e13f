// The policy is Markdown rendered by the same renderer and sanitizer as
// posts. Posts push "##" down to <h4> (they sit under a topic's headings);
// the policy is the page itself, so each "##" heading becomes an <h2> that
// opens a <section> with an id, and links such as /privacy#cookies work.
import { renderMarkdown } from "~/content/markdown.server";

function sectionId(headingHtml: string, taken: Set<string>): string {
  const text = headingHtml.replace(/<[^>]*>/g, "").replace(/&[a-z#0-9]+;/gi, " ");
  const base = text.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60) || "section";
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** Sanitized HTML for a policy version. The input to the wrapping is sanitizer output, and ids hold [a-z0-9-] only. */
export function renderPolicy(markdown: string): string {
  const { html } = renderMarkdown(markdown, { resolveMention: () => false });
  const taken = new Set<string>();
  return html
    .split(/(?=<h4>)/)
    .map((part) => {
      const heading = /^<h4>([\s\S]*?)<\/h4>/.exec(part);
      if (!heading) return part;
      const id = sectionId(heading[1]!, taken);
      return `<section id="${id}"><h2>${heading[1]}</h2>${part.slice(heading[0].length)}</section>`;
    })
    .join("");
}
