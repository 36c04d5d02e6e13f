// Byte helpers shared by the mbox reader and the message parser.

/** True when `bytes` holds only spaces, tabs, CR and LF (or nothing). */
export function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) {
    if (b !== 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0a) return false;
  }
  return true;
}
