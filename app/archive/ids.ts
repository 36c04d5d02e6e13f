import { createHash } from "node:crypto";

/**
 * Stable public ids for archived messages: a hash of the list's slug and the
 * Message-ID, so permalinks stay the same when the archive is re-imported or
 * rebuilt (database row ids would not). 16 base32 characters = 80 bits.
 */
export function messagePublicId(listSlug: string, messageId: string): string {
  const digest = createHash("sha256").update(`${listSlug}\n${messageId}`).digest();
  return base32(digest).slice(0, 16);
}

/** A thread is named after the message that started it (or its placeholder). */
export const threadPublicId = messagePublicId;

const ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";

function base32(bytes: Uint8Array): string {
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return out;
}
