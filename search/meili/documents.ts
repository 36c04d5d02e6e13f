// The shape a search document takes inside Meilisearch, and back.
//
// Meilisearch document ids allow only [a-zA-Z0-9_-] (at most 511 bytes), while
// ours read "post:12". The mapping below is reversible for any id: ":" becomes
// "-", and every other byte outside [a-zA-Z0-9] (including "-" and "_"
// themselves) becomes "_" and two hex digits. "post:12" is stored as "post-12".
import { stripMarkers } from "../highlight";
import type { SearchDocument } from "../types";

/** A SearchDocument as stored: Meilisearch-safe id plus the UTC year for the year facet. */
export type MeiliDocument = Omit<SearchDocument, "id"> & { id: string; year: number };

const PLAIN = /[a-zA-Z0-9]/;

export function toMeiliId(id: string): string {
  let out = "";
  for (const ch of id) {
    if (ch === ":") out += "-";
    else if (PLAIN.test(ch)) out += ch;
    else for (const byte of Buffer.from(ch, "utf8")) out += `_${byte.toString(16).padStart(2, "0")}`;
  }
  return out;
}

export function fromMeiliId(meiliId: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < meiliId.length; i++) {
    const ch = meiliId[i]!;
    if (ch === "-") bytes.push(0x3a);
    else if (ch === "_") {
      const hex = meiliId.slice(i + 1, i + 3);
      if (!/^[0-9a-f]{2}$/.test(hex)) throw new Error(`Not a Meilisearch id written by Threadline: ${meiliId}`);
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else bytes.push(ch.charCodeAt(0));
  }
  return Buffer.from(bytes).toString("utf8");
}

/**
 * The marker characters are removed from the text fields: Meilisearch returns
 * the stored text with our markers around matches, so a marker already in a
 * message would otherwise turn into a stray <mark>.
 */
export function toMeiliDocument(doc: SearchDocument): MeiliDocument {
  return {
    ...doc,
    id: toMeiliId(doc.id),
    title: stripMarkers(doc.title),
    body: stripMarkers(doc.body),
    quoted: stripMarkers(doc.quoted),
    author: stripMarkers(doc.author),
    year: new Date(doc.date).getUTCFullYear(),
  };
}

export function fromMeiliDocument(stored: Record<string, unknown>): SearchDocument {
  const doc = stored as unknown as MeiliDocument;
  return {
    id: fromMeiliId(doc.id),
    type: doc.type,
    title: doc.title,
    body: doc.body,
    quoted: doc.quoted,
    author: doc.author,
    authorAddress: doc.authorAddress ?? null,
    fromKeys: doc.fromKeys ?? [],
    titleKeys: doc.titleKeys ?? [],
    place: doc.place,
    placeName: doc.placeName,
    hostName: doc.hostName ?? null,
    url: doc.url,
    date: doc.date,
  };
}
