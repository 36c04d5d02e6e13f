/**
 * The one vocabulary for who may do what, used by actions (which enforce it)
 * and by components (which decide what to show). Later features add their
 * predicates here.
 */
export const ROLES = ["member", "moderator", "admin"] as const;
export type Role = (typeof ROLES)[number];

export type Actor = { id: number; role: string } | null | undefined;

const RANK: Record<Role, number> = { member: 1, moderator: 2, admin: 3 };

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

function rank(actor: Actor): number {
  return actor && isRole(actor.role) ? RANK[actor.role] : 0;
}

export const isMember = (actor: Actor) => rank(actor) >= RANK.member;
export const canModerate = (actor: Actor) => rank(actor) >= RANK.moderator;
export const canAdminister = (actor: Actor) => rank(actor) >= RANK.admin;

/** Admins manage roles; nobody changes their own (so an admin cannot lock everyone out). */
export function canChangeRole(actor: Actor, target: { id: number }): boolean {
  return canAdminister(actor) && actor!.id !== target.id;
}

export function canManageOwnAccount(actor: Actor, target: { id: number }): boolean {
  return !!actor && actor.id === target.id;
}
