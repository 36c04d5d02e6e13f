// Whether a new member's post waits for approval: members with fewer approved
// posts than the thresholds in /mod/settings have their posts (or only those
// with links) held. Moderators and admins are never held.
import { db } from "~/utils/db.server";
import { canModerate } from "~/utils/permissions";
import { containsLink } from "./links";
import { getAntispamSettings } from "./settings.server";

/** Posts of a member that everyone can read: not held, not hidden by moderators. */
export function approvedPostCount(userId: number): Promise<number> {
  return db.post.count({ where: { authorId: userId, heldAt: null, hiddenAt: null } });
}

/** Why this member's new post should wait for approval, or null. */
export async function newMemberHoldReason(actor: { id: number; role: string }, texts: string[]): Promise<string | null> {
  if (canModerate(actor)) return null;
  const settings = await getAntispamSettings();
  const highest = Math.max(settings.holdLinksBelow, settings.holdAllBelow);
  if (highest <= 0) return null;
  const approved = await approvedPostCount(actor.id);
  if (approved < settings.holdAllBelow) return "New member: posts wait for approval";
  if (approved < settings.holdLinksBelow && texts.some(containsLink)) return "New member: post with a link";
  return null;
}
