import type { LoaderFunctionArgs } from "@remix-run/node";
import { viewerOf } from "~/archive/read.server";
import { clampPage, searchPortal } from "../../search/portal.server";

/**
 * Search as JSON, for scripts and for the header's results-as-you-type.
 * `typing=1` matches the last word as a prefix. Titles and snippets are HTML
 * with matches in <mark> and everything else escaped.
 */
export async function loader({ request, context }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const outcome = await searchPortal(
    {
      q: url.searchParams.get("q") ?? "",
      sort: url.searchParams.get("sort") === "date" ? "date" : "relevance",
      page: clampPage(url.searchParams.get("page")),
      prefix: url.searchParams.get("typing") === "1",
    },
    viewerOf(context.auth?.user),
  );
  const headers = { "Cache-Control": "private, no-store" };
  if (outcome.status === "too-long") return Response.json({ error: outcome.problems[0], problems: outcome.problems }, { status: 400, headers });
  if (outcome.status === "unavailable") return Response.json({ error: "Search is temporarily unavailable.", problems: outcome.problems }, { status: 503, headers });
  if (outcome.status === "empty") return Response.json({ query: outcome.q, total: 0, page: 1, pageCount: 0, results: [], facets: null, problems: outcome.problems }, { headers });
  return Response.json(
    {
      query: outcome.q,
      total: outcome.total,
      totalCapped: outcome.totalCapped,
      page: outcome.page,
      pageCount: outcome.pageCount,
      problems: outcome.problems,
      facets: outcome.facets,
      results: outcome.items.map((item) => ({
        id: item.id,
        type: item.type,
        url: item.url,
        titleHtml: item.titleHtml,
        snippetHtml: item.snippetHtml,
        author: item.author,
        date: item.date,
        where: item.placeName,
        whereUrl: item.placeUrl,
        hostName: item.hostName,
        ...(item.messageId !== undefined ? { messageId: item.messageId } : {}),
        ...(item.topicId !== undefined ? { topicId: item.topicId, postNumber: item.postNumber } : {}),
        ...(item.chatMessageId !== undefined ? { room: item.room, chatMessageId: item.chatMessageId } : {}),
      })),
    },
    { headers },
  );
}
