import fs from "node:fs";
import path from "node:path";
import { readMbox, type MboxMessage } from "../../../importer/mbox-reader.ts";
import { parseFromLineDate, parseMessage, type ParsedMessage, type ParseOptions } from "../../../importer/parse-message.ts";

export const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/mail");

export function fixturePath(relative: string): string {
  return path.join(FIXTURES, relative);
}

export function readFixture(relative: string): Buffer {
  return fs.readFileSync(fixturePath(relative));
}

export async function collectMbox(relative: string): Promise<MboxMessage[]> {
  const out: MboxMessage[] = [];
  for await (const entry of readMbox(fixturePath(relative))) {
    if (entry.oversize) throw new Error(`unexpected oversize message at ${entry.offset}`);
    out.push(entry);
  }
  return out;
}

/** Reads and parses every message of an mbox, as the importer will: From_ date as fallback. */
export async function parseMbox(relative: string, options: ParseOptions = {}): Promise<ParsedMessage[]> {
  const parsed: ParsedMessage[] = [];
  for (const entry of await collectMbox(relative)) {
    const fallbackDate = parseFromLineDate(entry.fromLine) ?? new Date(0);
    const result = await parseMessage(entry.raw, { fallbackDate, ...options });
    if (!result.ok) throw new Error(`${relative} @${entry.offset}: ${result.reason}`);
    parsed.push(result.message);
  }
  return parsed;
}
