// Content-addressed attachment files: DATA_DIR/attachments/<aa>/<bb>/<sha256>,
// where <aa> and <bb> are the first two byte pairs of the hex digest.
//
// Files are written BEFORE the database transaction that references them
// (temp file, fsync, rename), so a committed MailAttachment row always points
// at a complete file. A crash in between leaves at most an unreferenced file,
// which is harmless: the next import of that message reuses it.
import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const SHA256 = /^[0-9a-f]{64}$/;

export function isSha256(value: string): boolean {
  return SHA256.test(value);
}

/** DATA_DIR/attachments, resolved now (tests change DATA_DIR per file). */
export function attachmentsRoot(): string {
  return path.resolve(process.env.DATA_DIR || "./data", "attachments");
}

/** Where the file with this digest lives. Throws on anything but a lower-case sha256 hex digest. */
export function attachmentPath(sha256: string): string {
  if (!isSha256(sha256)) throw new Error("not a sha256 digest");
  return path.join(attachmentsRoot(), sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

export function attachmentExists(sha256: string): boolean {
  return isSha256(sha256) && fs.existsSync(attachmentPath(sha256));
}

/** A read stream for a stored attachment, or null when the file is not there. */
export function openAttachment(sha256: string): fs.ReadStream | null {
  if (!attachmentExists(sha256)) return null;
  return fs.createReadStream(attachmentPath(sha256));
}

/**
 * Stores `content` under its sha256 unless a file is already there. Returns
 * the digest and whether a new file was written. `expectedSha256`, when
 * given, must match the content.
 */
export async function storeAttachment(content: Buffer, expectedSha256?: string): Promise<{ sha256: string; created: boolean }> {
  const sha256 = createHash("sha256").update(content).digest("hex");
  if (expectedSha256 !== undefined && expectedSha256 !== sha256) throw new Error("attachment content does not match its digest");
  const target = attachmentPath(sha256);
  if (fs.existsSync(target)) return { sha256, created: false };
  const dir = path.dirname(target);
  await fs.promises.mkdir(dir, { recursive: true });
  const temp = path.join(dir, `.tmp-${sha256.slice(0, 16)}-${process.pid}-${randomBytes(6).toString("hex")}`);
  const handle = await fs.promises.open(temp, "wx", 0o644);
  try {
    await handle.writeFile(content);
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await fs.promises.rename(temp, target); // atomic: readers see nothing or the whole file
  } catch (error) {
    await fs.promises.rm(temp, { force: true });
    throw error;
  }
  return { sha256, created: true };
}
