import { dayKey } from "./days";
import { GROUP_GAP_MS } from "./limits";

type Groupable = { id: number; createdAt: string; author: { id: number } };

export type MessageGroup<T extends Groupable> = { key: string; author: T["author"]; messages: T[] };
export type DaySection<T extends Groupable> = { day: string; groups: MessageGroup<T>[] };

/**
 * Messages (oldest first) split into UTC days, and within a day into runs by
 * one author where each message follows the previous within a few minutes.
 */
export function groupByDayAndAuthor<T extends Groupable>(messages: T[], gapMs = GROUP_GAP_MS): DaySection<T>[] {
  const days: DaySection<T>[] = [];
  let previous: T | undefined;
  for (const message of messages) {
    const day = dayKey(message.createdAt);
    let section = days[days.length - 1];
    if (!section || section.day !== day) {
      section = { day, groups: [] };
      days.push(section);
      previous = undefined;
    }
    const group = section.groups[section.groups.length - 1];
    const joins =
      group && previous && previous.author.id === message.author.id &&
      new Date(message.createdAt).getTime() - new Date(previous.createdAt).getTime() <= gapMs;
    if (joins) group.messages.push(message);
    else section.groups.push({ key: `g-${message.id}`, author: message.author, messages: [message] });
    previous = message;
  }
  return days;
}
