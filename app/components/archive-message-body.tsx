import type { ReactNode } from "react";
import type { TextBlock } from "~/archive/quote-fold";

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"'`]+/g;
const TRAILING = /[).,;:!?\]}>]+$/;

/** Text with its http(s) links made clickable; everything else stays text (React escapes it). */
function linkify(text: string): ReactNode[] {
  const out: ReactNode[] = [];
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(TRAILING, "");
    const start = match.index;
    out.push(text.slice(last, start));
    out.push(
      <a key={start} href={url} rel="nofollow noopener noreferrer">
        {url}
      </a>,
    );
    last = start + url.length;
  }
  out.push(text.slice(last));
  return out;
}

const PRE = "whitespace-pre-wrap break-words font-mono text-[0.85rem] leading-relaxed";

const SUMMARY: Record<Exclude<TextBlock["kind"], "text">, (lines: number) => string> = {
  quote: (lines) => `Quoted text (${lines} line${lines === 1 ? "" : "s"})`,
  signature: () => "Signature",
  footer: () => "Mailing list footer",
};

/**
 * A plain-text mail: new text shown, quotes, signature and the list footer
 * folded in <details> (which open without JavaScript). Short quotes start open.
 */
export function ArchiveMessageBody({ blocks }: { blocks: TextBlock[] }) {
  if (blocks.length === 0) return <p className="italic text-slate-500">This message has no text.</p>;
  return (
    <div className="space-y-2 text-slate-800" data-testid="message-body">
      {blocks.map((block, i) =>
        block.kind === "text" ? (
          <div key={i} className={PRE}>
            {linkify(block.text)}
          </div>
        ) : (
          <details key={i} open={block.kind === "quote" && block.lines <= 3} className="group" data-fold={block.kind}>
            <summary className="cursor-pointer select-none text-xs font-medium text-slate-500 hover:text-slate-700">
              {SUMMARY[block.kind](block.lines)}
            </summary>
            <div className={`${PRE} mt-1 border-l-4 border-slate-200 pl-3 text-slate-600`}>{linkify(block.text)}</div>
          </details>
        ),
      )}
    </div>
  );
}
