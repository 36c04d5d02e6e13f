// Attachment filenames come from strangers and end up in Content-Disposition
// headers, download dialogs and possibly on disk, so they are reduced to a
// single harmless path segment.

export const FALLBACK_FILENAME = "attachment";
export const MAX_FILENAME_LENGTH = 200;

// C0/C1 controls plus the bidi overrides used to disguise extensions
// ("invoice\u202Efdp.exe" renders as "invoiceexe.pdf").
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function truncateKeepingExtension(name: string, max: number): string {
  const chars = Array.from(name); // code points, so surrogate pairs stay whole
  if (chars.length <= max) return name;
  const dot = name.lastIndexOf(".");
  const ext = dot > 0 ? Array.from(name.slice(dot)) : [];
  if (ext.length === 0 || ext.length > 20) return chars.slice(0, max).join("");
  return chars.slice(0, max - ext.length).join("") + ext.join("");
}

export function sanitizeFilename(name: string | null | undefined): string {
  if (!name) return FALLBACK_FILENAME;
  const cleaned = name.normalize("NFC").replace(UNSAFE_CHARS, "");
  const lastSegment = cleaned.split(/[/\\]/).pop() ?? "";
  const trimmed = lastSegment.trim();
  if (trimmed === "" || /^\.+$/.test(trimmed)) return FALLBACK_FILENAME;
  return truncateKeepingExtension(trimmed, MAX_FILENAME_LENGTH);
}
