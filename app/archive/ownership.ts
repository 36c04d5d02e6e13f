/**
 * The promise every archive page keeps: the list belongs to the site that
 * hosts it. Used by pages, feeds and downloads alike.
 */
export type ListOwnership = {
  name: string;
  hostName: string;
  hostUrl: string;
  infoUrl?: string | null;
  contact?: string | null;
  ownershipNotice?: string | null;
};

export function ownershipNotice(list: ListOwnership): string {
  if (list.ownershipNotice?.trim()) return list.ownershipNotice.trim();
  const contact = list.contact ? ` (${list.contact})` : "";
  return (
    `The ${list.name} mailing list is hosted by ${list.hostName} (${list.hostUrl}). ` +
    `Threadline keeps a copy of its archive but does not own or control the list or its data. ` +
    `Questions about the list's data practices go to ${list.hostName}${contact}.`
  );
}

/** The same notice as comment lines for plain-text downloads (mbox, raw). */
export function ownershipPreamble(list: ListOwnership): string {
  const lines = wrap(ownershipNotice(list), 74).map((line) => `# ${line}`);
  return `${lines.join("\n")}\n`;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}
