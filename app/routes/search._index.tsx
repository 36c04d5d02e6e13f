import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { viewerOf } from "~/archive/read.server";
import { SearchResults } from "~/components/search-results";
import { clampPage, searchPortal, type SearchSort } from "../../search/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.q ? `${data.q} · Search · Threadline` : "Search · Threadline" },
  { name: "robots", content: "noindex" },
];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const q = url.searchParams.get("q") ?? "";
  const sort: SearchSort = url.searchParams.get("sort") === "date" ? "date" : "relevance";
  const outcome = await searchPortal(
    { q, sort, page: clampPage(url.searchParams.get("page")), prefix: url.searchParams.get("typing") === "1" },
    viewerOf(context.auth?.user),
  );
  return data(outcome, { status: outcome.status === "unavailable" ? 503 : outcome.status === "too-long" ? 400 : 200 });
}

const SYNTAX = [
  ["\"exact phrase\"", "the words in this order"],
  ["-word", "leave out results with this word"],
  ["from:name", "by a member, or a sender's name or address"],
  ["list:slug / board:slug", "in one mailing list or board"],
  ["in:forums / in:lists / in:chat", "one kind of content"],
  ["subject:word", "the word is in the title or subject"],
  ["after:2024-03 / before:2024 / during:2024-03-15", "by date (UTC)"],
] as const;

export default function Search() {
  const outcome = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const form = useRef<HTMLFormElement>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>();
  useEffect(() => () => clearTimeout(timer.current), []);
  const sort = outcome.status === "ok" ? outcome.sort : "relevance";
  const busy = navigation.state === "loading" && navigation.location.pathname === "/search";

  // Results as you type: the same GET the button sends, with the last word
  // matched as a prefix, replacing the history entry instead of adding one.
  const onType = () => {
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      if (!form.current) return;
      const data = new FormData(form.current);
      data.set("typing", "1");
      submit(data, { method: "get", action: "/search", replace: true, preventScrollReset: true });
    }, 250);
  };

  return (
    <div>
      <h1 className="text-2xl font-semibold">Search</h1>
      <p className="mt-1 text-slate-600">Forum posts and archived mailing lists, in one place.</p>
      <Form ref={form} method="get" action="/search" role="search" className="mt-4 flex flex-wrap items-end gap-2">
        <div className="min-w-64 flex-1">
          <label htmlFor="search-q" className="block text-sm font-medium text-slate-700">Search for</label>
          <input
            id="search-q"
            name="q"
            type="search"
            defaultValue={outcome.q}
            onChange={onType}
            autoComplete="off"
            maxLength={1000}
            className="input mt-1 w-full"
            aria-describedby="search-syntax"
          />
        </div>
        <div>
          <label htmlFor="search-sort" className="block text-sm font-medium text-slate-700">Order</label>
          <select id="search-sort" name="sort" defaultValue={sort} className="input mt-1" onChange={(event) => submit(event.currentTarget.form)}>
            <option value="relevance">Best match</option>
            <option value="date">Newest first</option>
          </select>
        </div>
        <button type="submit" className="btn">Search</button>
      </Form>
      {outcome.problems.length > 0 ? (
        <ul role="alert" className="mt-3 list-disc pl-5 text-sm text-amber-800">
          {outcome.problems.map((problem) => <li key={problem}>{problem}</li>)}
        </ul>
      ) : null}
      <div aria-live="polite" aria-busy={busy} className={busy ? "opacity-60" : undefined}>
        {outcome.status === "unavailable" ? (
          <p role="alert" className="card mt-6 p-4 text-slate-700">
            Search is temporarily unavailable. Everything else works as usual; please try again in a few minutes.
          </p>
        ) : outcome.status === "ok" ? (
          <SearchResults outcome={outcome} />
        ) : null}
      </div>
      <details id="search-syntax" className="mt-8 text-sm text-slate-600" open={outcome.status === "empty"}>
        <summary className="cursor-pointer font-medium">How to search</summary>
        <dl className="mt-2 grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
          {SYNTAX.map(([syntax, meaning]) => (
            <div key={syntax} className="contents">
              <dt><code>{syntax}</code></dt>
              <dd>{meaning}</dd>
            </div>
          ))}
        </dl>
        <p className="mt-2">A misspelled word still finds its matches; words are matched without regard to case or accents.</p>
      </details>
    </div>
  );
}
