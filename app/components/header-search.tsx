import { Form, useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";

type Suggestion = { id: string; url: string; titleHtml: string; where: string };
type SuggestionData = { results?: Suggestion[]; total?: number };

/**
 * The search box in every page's header. Without JavaScript it is a plain
 * GET form to /search; with it, the best matches appear under the box while
 * typing (Enter still opens the full results page).
 */
export function HeaderSearch() {
  const fetcher = useFetcher<SuggestionData>();
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const results = (query.trim().length >= 2 ? fetcher.data?.results : undefined)?.slice(0, 6) ?? [];

  const onChange = (value: string) => {
    setQuery(value);
    setOpen(true);
    clearTimeout(timer.current);
    if (value.trim().length < 2) return;
    timer.current = setTimeout(() => fetcher.load(`/api/search?typing=1&q=${encodeURIComponent(value)}`), 200);
  };

  return (
    <Form
      method="get"
      action="/search"
      role="search"
      className="relative ml-auto w-full sm:w-auto"
      onBlur={(event) => {
        if (!event.currentTarget.contains(event.relatedTarget as Node | null)) setOpen(false);
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") setOpen(false);
      }}
    >
      <label htmlFor="site-search" className="sr-only">Search Threadline</label>
      <input
        id="site-search"
        name="q"
        type="search"
        placeholder="Search…"
        autoComplete="off"
        maxLength={1000}
        className="input w-full py-1.5 sm:w-56"
        value={query}
        onChange={(event) => onChange(event.currentTarget.value)}
        aria-controls="site-search-suggestions"
        aria-expanded={open && results.length > 0}
      />
      {open && results.length > 0 ? (
        <ul id="site-search-suggestions" aria-label="Best matches" className="absolute right-0 z-30 mt-1 w-80 rounded-md border border-slate-200 bg-white p-1 shadow-lg">
          {results.map((result) => (
            <li key={result.id}>
              <a href={result.url} className="block rounded px-2 py-1.5 text-sm no-underline hover:bg-slate-100">
                <span className="block truncate text-slate-900" dangerouslySetInnerHTML={{ __html: result.titleHtml }} />
                <span className="block truncate text-xs text-slate-500">{result.where}</span>
              </a>
            </li>
          ))}
          <li>
            <a href={`/search?q=${encodeURIComponent(query)}`} className="block rounded px-2 py-1.5 text-xs font-medium no-underline hover:bg-slate-100">
              All {fetcher.data?.total?.toLocaleString("en") ?? ""} results
            </a>
          </li>
        </ul>
      ) : null}
    </Form>
  );
}
