// The watched-word list and its use: moderators add and remove words at
// /mod/watched-words (each change audited); posting, editing and chat screen
// their texts against the list before anything is written.
import { Prisma } from "~/generated/prisma/client";
import { recordAudit } from "~/utils/audit.server";
import { db } from "~/utils/db.server";
import { compileWatched, patternProblem, type WatchedAction } from "./watched-words";

export type WatchedWordRow = { id: number; pattern: string; isRegex: boolean; action: WatchedAction };
export type WatchedHit = { action: WatchedAction; word: string; matched: string; field: string };

type Compiled = { row: WatchedWordRow; regex: RegExp };
let cache: { at: number; words: Compiled[] } | null = null;
// Posting reads the list on every submission; a short cache keeps that cheap
// while changes made here clear it at once.
const CACHE_MS = 30_000;

export async function listWatchedWords(): Promise<WatchedWordRow[]> {
  const rows = await db.watchedWord.findMany({ orderBy: [{ action: "asc" }, { pattern: "asc" }] });
  return rows.map((r) => ({ id: r.id, pattern: r.pattern, isRegex: r.isRegex, action: r.action as WatchedAction }));
}

async function compiledWords(): Promise<Compiled[]> {
  if (cache && Date.now() - cache.at < CACHE_MS) return cache.words;
  const words = (await listWatchedWords()).flatMap((row) => {
    const regex = compileWatched(row.pattern, row.isRegex);
    return regex ? [{ row, regex }] : [];
  });
  cache = { at: Date.now(), words };
  return words;
}

export function clearWatchedWordCache() {
  cache = null;
}

const SEVERITY: Record<WatchedAction, number> = { block: 3, hold: 2, flag: 1 };

/** The most severe watched word in these texts (block before hold before flag), or null. */
export async function screenTexts(texts: { field: string; text: string }[]): Promise<WatchedHit | null> {
  const words = await compiledWords();
  let worst: WatchedHit | null = null;
  for (const { row, regex } of words) {
    if (worst && SEVERITY[worst.action] >= SEVERITY[row.action]) continue;
    for (const { field, text } of texts) {
      const match = regex.exec(text);
      if (match) {
        worst = { action: row.action, word: row.pattern, matched: match[0], field };
        break;
      }
    }
  }
  return worst;
}

/** The field error a blocked submission shows: it names the word so the author can rephrase. */
export function blockedMessage(hit: WatchedHit): string {
  return `“${hit.matched}” is not allowed here (a watched word). Please rephrase and try again.`;
}

export type WatchedResult = { ok: true } | { ok: false; status: number; field: string; message: string };

/** Adds a word. Audit: watched-word.add. */
export async function addWatchedWord(moderator: { id: number }, input: { pattern: string; isRegex: boolean; action: WatchedAction }): Promise<WatchedResult> {
  const pattern = input.pattern.trim();
  const problem = patternProblem(pattern, input.isRegex);
  if (problem) return { ok: false, status: 400, field: "pattern", message: problem };
  try {
    await db.$transaction(async (tx) => {
      const row = await tx.watchedWord.create({ data: { pattern, isRegex: input.isRegex, action: input.action, createdById: moderator.id } });
      await recordAudit({ actorId: moderator.id, action: "watched-word.add", targetType: "watched-word", targetId: row.id, details: { pattern, isRegex: input.isRegex, wordAction: input.action } }, tx);
    });
  } catch (error) {
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
      return { ok: false, status: 409, field: "pattern", message: "This word is already on the list." };
    }
    throw error;
  }
  clearWatchedWordCache();
  return { ok: true };
}

/** Changes what a word does. Audit: watched-word.change. */
export async function changeWatchedWord(moderator: { id: number }, id: number, action: WatchedAction): Promise<WatchedResult> {
  const row = await db.watchedWord.findUnique({ where: { id } });
  if (!row) return { ok: false, status: 404, field: "id", message: "That word is no longer on the list." };
  await db.$transaction(async (tx) => {
    await tx.watchedWord.update({ where: { id }, data: { action } });
    await recordAudit({ actorId: moderator.id, action: "watched-word.change", targetType: "watched-word", targetId: id, details: { pattern: row.pattern, isRegex: row.isRegex, before: row.action, after: action } }, tx);
  });
  clearWatchedWordCache();
  return { ok: true };
}

/** Removes a word. Audit: watched-word.remove. */
export async function removeWatchedWord(moderator: { id: number }, id: number): Promise<WatchedResult> {
  const row = await db.watchedWord.findUnique({ where: { id } });
  if (!row) return { ok: false, status: 404, field: "id", message: "That word is no longer on the list." };
  await db.$transaction(async (tx) => {
    await tx.watchedWord.delete({ where: { id } });
    await recordAudit({ actorId: moderator.id, action: "watched-word.remove", targetType: "watched-word", targetId: id, details: { pattern: row.pattern, isRegex: row.isRegex, wordAction: row.action } }, tx);
  });
  clearWatchedWordCache();
  return { ok: true };
}
