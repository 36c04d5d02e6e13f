import { logger } from "~/utils/logger.server";
import type { LiveEvent } from "./types";

/**
 * PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more. An event (with
 * its channel name) may use MAX_EVENT_BYTES of that; the rest is left for the
 * envelope. Both buses apply the same limit so that an oversized event shows
 * up on a developer's machine, not only in production.
 */
export const MAX_EVENT_BYTES = 7_600;

/** What an oversized event carries instead of its data: receivers fetch the item by its id. */
export const TRIMMED_DATA = Object.freeze({ trimmed: true });

export type PreparedEvent = { channel: string; json: string };

/**
 * Checks and serializes an event once, for every subscriber. Events should
 * carry ids and small hints, not whole documents: when one is too large its
 * data is replaced by TRIMMED_DATA (type and id kept) and a warning is
 * logged. Returns null (and logs) when even that cannot be sent.
 */
export function prepareEvent(channel: string, event: LiveEvent): PreparedEvent | null {
  if (typeof channel !== "string" || !channel || !event || typeof event.type !== "string") {
    logger.error({ channel: String(channel) }, "live event refused: it needs a channel and a type");
    return null;
  }
  const base: LiveEvent = { type: event.type, ...(event.id !== undefined ? { id: String(event.id) } : {}), data: null };
  let json: string;
  try {
    json = JSON.stringify({ ...base, data: event.data ?? null });
  } catch (error) {
    logger.error({ err: error, channel, type: event.type }, "live event refused: its data cannot be serialized");
    return null;
  }
  if (Buffer.byteLength(json) + Buffer.byteLength(channel) <= MAX_EVENT_BYTES) {
    return { channel, json };
  }
  const bytes = Buffer.byteLength(json);
  const trimmed: LiveEvent = { ...base, data: TRIMMED_DATA };
  json = JSON.stringify(trimmed);
  if (Buffer.byteLength(json) + Buffer.byteLength(channel) > MAX_EVENT_BYTES) {
    logger.error({ bytes, type: event.type }, "live event refused: channel, type and id alone exceed the size limit");
    return null;
  }
  logger.warn({ channel, type: event.type, id: base.id, bytes, limit: MAX_EVENT_BYTES }, "live event too large: data trimmed");
  return { channel, json };
}
