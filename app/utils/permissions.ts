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

// Forums. Objects carry only the fields the decision needs, so components can
// call these with loader data.
type TopicState = { locked: boolean; hidden?: boolean };
type PostState = { authorId: number; deleted: boolean; hidden: boolean };

export function canCreateTopic(actor: Actor): boolean {
  return isMember(actor);
}

export function canReply(actor: Actor, topic: TopicState): boolean {
  if (!isMember(actor)) return false;
  if (topic.hidden) return canModerate(actor);
  return !topic.locked || canModerate(actor);
}

export function canEditPost(actor: Actor, post: PostState, topic: TopicState): boolean {
  if (canModerate(actor)) return true;
  return !!actor && actor.id === post.authorId && !post.deleted && !post.hidden && !topic.locked;
}

export function canDeletePost(actor: Actor, post: PostState): boolean {
  return !!actor && actor.id === post.authorId && !post.deleted;
}

export function canReportPost(actor: Actor, post: PostState): boolean {
  return isMember(actor) && actor!.id !== post.authorId && !post.deleted;
}

// Hiding posts, pinning, locking, moving, merging and splitting topics and
// redacting revisions depend on the board (board moderators act on their
// boards only), so they are one server check that reads the database:
// canModerateBoard in app/forums/board-moderators.server.ts. Loaders pass its
// answer to components.
export const canSeeHiddenContent = (actor: Actor) => canModerate(actor);

// Mail archive. Addresses in archived mail are masked for visitors who are not
// logged in; hidden lists and taken-down messages are moderators-only.
export const canSeeEmailAddresses = (actor: Actor) => isMember(actor);
export const canSeeHiddenLists = (actor: Actor) => canModerate(actor);
export const canSeeHiddenMessages = (actor: Actor) => canModerate(actor);
export const canHideMessage = (actor: Actor) => canModerate(actor);

// Chat rooms. Rooms are public to read; members post. Authors edit and delete
// their own messages within a short window; moderators remove any message
// (with a reason), mute members, set slow mode and manage rooms.
export const CHAT_EDIT_WINDOW_MS = 15 * 60 * 1000;
type RoomState = { archived: boolean };
type ChatMessageState = { authorId: number; createdAt: string | Date; deleted: boolean };

export const canManageRooms = (actor: Actor) => canModerate(actor);
export const canRemoveChatMessage = (actor: Actor) => canModerate(actor);
export const canMuteInRoom = (actor: Actor) => canModerate(actor);
/** Moderators are exempt from slow mode: they may need to answer quickly. */
export const isExemptFromSlowMode = (actor: Actor) => canModerate(actor);

export function canPostInRoom(actor: Actor, room: RoomState): boolean {
  return isMember(actor) && !room.archived;
}

function withinEditWindow(message: ChatMessageState, now: number): boolean {
  return now - new Date(message.createdAt).getTime() <= CHAT_EDIT_WINDOW_MS;
}

export function canEditChatMessage(actor: Actor, message: ChatMessageState, room: RoomState, now = Date.now()): boolean {
  return !!actor && actor.id === message.authorId && !message.deleted && !room.archived && withinEditWindow(message, now);
}

export function canDeleteChatMessage(actor: Actor, message: ChatMessageState, room: RoomState, now = Date.now()): boolean {
  return canEditChatMessage(actor, message, room, now);
}

export function canReportChatMessage(actor: Actor, message: ChatMessageState): boolean {
  return isMember(actor) && actor!.id !== message.authorId && !message.deleted;
}

/** Moderators promote any conversation; members one they took part in. */
export function canPromoteChat(actor: Actor, authorIds: number[]): boolean {
  if (canModerate(actor)) return true;
  return isMember(actor) && authorIds.includes(actor!.id);
}

// Email. The outbox holds every outgoing message (addresses, one-time links): admins only.
export const canReadOutbox = (actor: Actor) => canAdminister(actor);
/** Aggregate traffic figures at /admin/traffic. */
export const canReadTraffic = (actor: Actor) => canAdminister(actor);
/** Announcement lists: create and edit them, write and send announcements. */
export const canManageAnnouncements = (actor: Actor) => canAdminister(actor);
/** The privacy policy: write and publish versions at /admin/privacy. */
export const canEditPrivacyPolicy = (actor: Actor) => canAdminister(actor);

// With REQUIRE_VERIFIED_EMAIL=true, a member posts (forums, chat) only
// once their address is verified; reading never needs it.
export type EmailStanding = { emailVerified: boolean };

export function canPostWithEmailStanding(actor: EmailStanding | null | undefined, requireVerifiedEmail: boolean): boolean {
  if (!actor) return false;
  return !requireVerifiedEmail || actor.emailVerified;
}
