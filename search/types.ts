// The one interface every search engine implements. The portal talks only to
// this: the embedded SQLite FTS5 engine (default) and the Meilisearch engine
// (when MEILI_HOST is set) must behave the same way, which the contract suite
// in tests/search checks.
//
// Documents are flat and already public: the mapping (search/documents.server.ts)
// never produces a document for hidden, deleted or taken-down content, and
// addresses are stored as written, masked by the page for anonymous readers.

export type SearchDocType = "post" | "mail" | "chat";
export const SEARCH_DOC_TYPES: readonly SearchDocType[] = ["post", "mail", "chat"];

export interface SearchDocument {
  /** "post:12", "mail:345", "chat:6": type and database id. */
  id: string;
  type: SearchDocType;
  /** Topic title, mail subject, or room name for chat. Weighted above the body. */
  title: string;
  /** New text written by the author (quotes removed). */
  body: string;
  /** Quoted text: searchable, weighted below the body. */
  quoted: string;
  /** Display name of the author (username for members, From name for mail). */
  author: string;
  /** The mail From address (mail only); shown masked to anonymous readers. */
  authorAddress: string | null;
  /**
   * Lower-case keys a `from:` filter matches exactly: username, each word of
   * the display name, the full address, its local part and its domain.
   */
  fromKeys: string[];
  /** Lower-case words of the title: a `subject:` filter matches one of them exactly. */
  titleKeys: string[];
  /** Where it lives, as a filter key: "board:<slug>", "list:<slug>", "room:<slug>". */
  place: string;
  /** Human name of the board, list or room. */
  placeName: string;
  /** The hosting site of an archived list (mail only). */
  hostName: string | null;
  /** Path of the permalink on this portal, e.g. "/p/12". */
  url: string;
  /** Milliseconds since the epoch. */
  date: number;
}

export interface SearchFilters {
  types?: SearchDocType[];
  /** Any of these place keys ("list:magick", "board:general"). */
  places?: string[];
  /** Any of these from keys (lower-case). */
  from?: string[];
  /** Every one of these must be a title key (lower-case). */
  subject?: string[];
  /** Inclusive lower bound, epoch ms. */
  after?: number;
  /** Exclusive upper bound, epoch ms. */
  before?: number;
}

export interface SearchRequest {
  /** Words that must all match (in title, body, quoted or author). Lower-case. */
  terms: string[];
  /** Exact phrases (each a list of words) that must all match. */
  phrases: string[][];
  /** Words that must not match. */
  excludeTerms: string[];
  /** Phrases that must not match. */
  excludePhrases: string[][];
  /** Treat the last term as a prefix (search as you type). */
  prefixLast?: boolean;
  filters?: SearchFilters;
  /** Relevance (ties broken by recency) or newest first. */
  sort?: "relevance" | "date";
  offset?: number;
  limit?: number;
  /** Compute facet counts (type, place, year) over all matches. */
  facets?: boolean;
}

export interface SearchHit {
  document: SearchDocument;
  /**
   * HTML-safe: the title and a short snippet of the body with the matched
   * words wrapped in <mark>…</mark>. Everything else is escaped.
   */
  titleHtml: string;
  snippetHtml: string;
}

export interface SearchFacets {
  type: Record<string, number>;
  place: Record<string, number>;
  year: Record<string, number>;
}

export interface SearchResponse {
  hits: SearchHit[];
  /** Number of matching documents (exact for small result sets; see totalCapped). */
  total: number;
  /**
   * True when `total` and the facet counts stop at an engine limit (the
   * embedded engine counts at most 1,000 matches of very common queries):
   * pages say "1,000+".
   */
  totalCapped?: boolean;
  facets: SearchFacets | null;
}

export interface SearchHealth {
  ok: boolean;
  /** Why not, in words an admin can act on. */
  message?: string;
}

export interface SearchStats {
  engine: string;
  documents: number;
  /** Bytes on disk, where the engine knows. */
  sizeBytes?: number;
}

/**
 * A new index being built beside the live one: search keeps answering from
 * the old index until commit() switches over in one step.
 */
export interface SearchRebuild {
  index(documents: SearchDocument[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface SearchEngine {
  readonly name: "embedded" | "meilisearch";
  /** Creates or migrates the index and its settings. Safe to call twice. */
  init(): Promise<void>;
  /** Adds or replaces documents by id. */
  index(documents: SearchDocument[]): Promise<void>;
  /** Removes documents by id; unknown ids are ignored. */
  remove(ids: string[]): Promise<void>;
  search(request: SearchRequest): Promise<SearchResponse>;
  count(): Promise<number>;
  health(): Promise<SearchHealth>;
  stats(): Promise<SearchStats>;
  beginRebuild(): Promise<SearchRebuild>;
  close(): Promise<void>;
}

/** Thrown by engines when the backend cannot be reached; pages show "temporarily unavailable". */
export class SearchUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "SearchUnavailableError";
  }
}
