// Moving one item of an ordered list (forums, boards in a forum, chat rooms)
// one step up or down. Positions are rewritten 0..n-1 each time, so old
// duplicates or gaps never make a move a no-op.

export type Direction = "up" | "down";

/** The new order of ids after moving `id` one step, or null when it cannot move. */
export function reorder(ids: number[], id: number, direction: Direction): number[] | null {
  const index = ids.indexOf(id);
  const swapWith = direction === "up" ? index - 1 : index + 1;
  if (index < 0 || swapWith < 0 || swapWith >= ids.length) return null;
  const next = [...ids];
  [next[index], next[swapWith]] = [next[swapWith]!, next[index]!];
  return next;
}
