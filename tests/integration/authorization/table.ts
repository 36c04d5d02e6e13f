// The expected authorization of every mutation (route actions, API routes
// that write) and of every /mod and /admin page. One line per route (or per
// route and intent, "file#intent"); the key is the route file's name in
// app/routes without ".tsx", and "loader:" marks a page load.
//
// `allowed` lists the roles that get through; every other role must be
// refused: anonymous visitors with a redirect to /login?redirectTo=…, logged-in
// members with 403 (or, where the app deliberately hides that something exists,
// the `denied` status). PUBLIC routes refuse nobody (login, signup, tokens).
// The board moderator moderates a board that is NOT the target's.
import type { Fixtures, MatrixRole } from "./fixtures";

type Call = { url: string; params?: Record<string, string>; form?: Record<string, string | string[]> };
export type Entry = { allowed: readonly MatrixRole[]; denied?: 403 | 404; request: (fx: Fixtures) => Call | Promise<Call> };

const PUBLIC = ["anonymous", "member", "boardModerator", "moderator", "admin"] as const;
const MEMBERS = ["member", "boardModerator", "moderator", "admin"] as const;
const ANY_MODERATOR = ["boardModerator", "moderator", "admin"] as const;
const MODERATORS = ["moderator", "admin"] as const;
const ADMINS = ["admin"] as const;
/** Only the content's author (never a role) may do it: everyone here is refused. */
const AUTHOR_ONLY = [] as const;

const post = (fx: Fixtures) => ({ id: String(fx.postId) });
const topic = (fx: Fixtures) => ({ id: String(fx.topic.id), slug: fx.topic.slug });
const room = (fx: Fixtures) => ({ slug: fx.room.slug });
const mail = (fx: Fixtures) => ({ slug: fx.list.slug, publicId: fx.mailPublicId });
const announcementList = (fx: Fixtures) => ({ slug: fx.announcementList.slug });
const unique = () => `m${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export const TABLE: Record<string, Entry> = {
  // Forums
  "b.$slug._index": { allowed: MEMBERS, request: (fx) => ({ url: `/b/${fx.board.slug}`, params: { slug: fx.board.slug }, form: { intent: "watch" } }) },
  "b.$slug.new": { allowed: MEMBERS, request: (fx) => ({ url: `/b/${fx.board.slug}/new`, params: { slug: fx.board.slug }, form: { title: "A new topic here", body: "text", acknowledgePublic: "yes" } }) },
  "t.$id.$slug._index": { allowed: MEMBERS, request: (fx) => ({ url: `/t/${fx.topic.id}/${fx.topic.slug}`, params: topic(fx), form: { intent: "watch" } }) },
  "p.$id._index#bookmark": { allowed: MEMBERS, request: (fx) => ({ url: `/p/${fx.postId}`, params: post(fx), form: { intent: "bookmark" } }) },
  "p.$id._index#hide": { allowed: MODERATORS, request: (fx) => ({ url: `/p/${fx.postId}`, params: post(fx), form: { intent: "hide", reason: "matrix check" } }) },
  "p.$id._index#unhide": { allowed: MODERATORS, request: (fx) => ({ url: `/p/${fx.postId}`, params: post(fx), form: { intent: "unhide", reason: "matrix check" } }) },
  "p.$id._index#delete": { allowed: AUTHOR_ONLY, request: (fx) => ({ url: `/p/${fx.postId}`, params: post(fx), form: { intent: "delete" } }) },
  "p.$id.edit": { allowed: MODERATORS, request: (fx) => ({ url: `/p/${fx.postId}/edit`, params: post(fx), form: { body: "edited by staff" } }) },
  "p.$id.report": { allowed: MEMBERS, request: (fx) => ({ url: `/p/${fx.postId}/report`, params: post(fx), form: { reason: "matrix check" } }) },
  "p.$id.appeal": { allowed: AUTHOR_ONLY, denied: 404, request: (fx) => ({ url: `/p/${fx.hiddenPostId}/appeal`, params: { id: String(fx.hiddenPostId) }, form: { text: "please reconsider this" } }) },
  "p.$id.revisions": { allowed: MODERATORS, request: (fx) => ({ url: `/p/${fx.postId}/revisions`, params: post(fx), form: { revision: String(fx.revisionId), reason: "matrix check" } }) },
  "mod.topics.$id#pin": { allowed: MODERATORS, request: (fx) => ({ url: `/mod/topics/${fx.topic.id}`, params: { id: String(fx.topic.id) }, form: { intent: "pin" } }) },
  "mod.topics.$id#lock": { allowed: MODERATORS, request: (fx) => ({ url: `/mod/topics/${fx.topic.id}`, params: { id: String(fx.topic.id) }, form: { intent: "lock", reason: "matrix check" } }) },
  "api.preview": { allowed: MEMBERS, request: () => ({ url: "/api/preview", form: { body: "**bold**" } }) },
  "drafts": { allowed: MEMBERS, request: () => ({ url: "/drafts", form: { key: "new-topic:1", title: "t", body: "draft text" } }) },
  // Chat
  "chat.$slug._index": { allowed: MEMBERS, request: (fx) => ({ url: `/chat/${fx.room.slug}`, params: room(fx), form: { body: "hello room", acknowledgePublic: "yes" } }) },
  "chat.$slug.m.$id._index#remove": { allowed: MODERATORS, request: async (fx) => { const id = await fx.chatMessage(); return { url: `/chat/${fx.room.slug}/m/${id}`, params: { ...room(fx), id: String(id) }, form: { intent: "remove", reason: "matrix check" } }; } },
  "chat.$slug.m.$id._index#mute": { allowed: MODERATORS, request: async (fx) => { const id = await fx.chatMessage(); return { url: `/chat/${fx.room.slug}/m/${id}`, params: { ...room(fx), id: String(id) }, form: { intent: "mute", minutes: "5", reason: "matrix check" } }; } },
  "chat.$slug.m.$id._index#delete": { allowed: AUTHOR_ONLY, request: async (fx) => { const id = await fx.chatMessage(); return { url: `/chat/${fx.room.slug}/m/${id}`, params: { ...room(fx), id: String(id) }, form: { intent: "delete" } }; } },
  "chat.$slug.m.$id.edit": { allowed: AUTHOR_ONLY, request: async (fx) => { const id = await fx.chatMessage(); return { url: `/chat/${fx.room.slug}/m/${id}/edit`, params: { ...room(fx), id: String(id) }, form: { body: "changed" } }; } },
  "chat.$slug.m.$id.report": { allowed: MEMBERS, request: async (fx) => { const id = await fx.chatMessage(); return { url: `/chat/${fx.room.slug}/m/${id}/report`, params: { ...room(fx), id: String(id) }, form: { reason: "matrix check" } }; } },
  "chat.$slug.promote": { allowed: MODERATORS, request: async (fx) => { const id = await fx.chatMessage(); return { url: `/chat/${fx.room.slug}/promote`, params: room(fx), form: { title: "Promoted conversation", boardId: String(fx.board.id), message: String(id) } }; } },
  "chat.$slug.settings": { allowed: MODERATORS, request: (fx) => ({ url: `/chat/${fx.room.slug}/settings`, params: room(fx), form: { name: fx.room.name, description: "", slowModeSeconds: "0" } }) },
  "chat.new": { allowed: MODERATORS, request: () => ({ url: "/chat/new", form: { slug: unique(), name: "Matrix room", description: "" } }) },
  // Mailing-list archive
  "lists.$slug.m.$publicId._index#report": { allowed: MEMBERS, request: (fx) => ({ url: `/lists/${fx.list.slug}/m/${fx.mailPublicId}`, params: mail(fx), form: { intent: "report", reason: "matrix check" } }) },
  "lists.$slug.m.$publicId._index#hide": { allowed: MODERATORS, request: (fx) => ({ url: `/lists/${fx.list.slug}/m/${fx.mailPublicId}`, params: mail(fx), form: { intent: "hide", reasonCategory: "takedown", reasonText: "matrix check" } }) },
  "mod.lists.new": { allowed: MODERATORS, request: () => ({ url: "/mod/lists/new", form: { slug: "" } }) },
  "mod.lists.$slug._index": { allowed: MODERATORS, request: (fx) => ({ url: `/mod/lists/${fx.list.slug}`, params: { slug: fx.list.slug }, form: { intent: "activate" } }) },
  "mod.lists.$slug.edit": { allowed: MODERATORS, request: (fx) => ({ url: `/mod/lists/${fx.list.slug}/edit`, params: { slug: fx.list.slug }, form: { name: "" } }) },
  // Moderation
  "mod.queue._index#dismiss": { allowed: MODERATORS, request: (fx) => ({ url: "/mod/queue", form: { intent: "dismiss", itemKey: `post:${fx.reportedPostId}`, reason: "matrix check" } }) },
  "mod.queue._index#warn": { allowed: MODERATORS, request: (fx) => ({ url: "/mod/queue", form: { intent: "warn", userId: String(fx.author.id), reason: "matrix check" } }) },
  "mod.users.$username": { allowed: MODERATORS, request: (fx) => ({ url: `/mod/users/${fx.author.username}`, params: { username: fx.author.username }, form: { intent: "note", userId: String(fx.author.id), body: "matrix note" } }) },
  "mod.boards._index": { allowed: MODERATORS, request: (fx) => ({ url: "/mod/boards", form: { intent: "board-edit", id: String(fx.board.id), name: fx.board.name, description: "matrix" } }) },
  "mod.settings": { allowed: MODERATORS, request: () => ({ url: "/mod/settings", form: { holdLinksBelow: "-1", holdAllBelow: "0" } }) },
  "mod.watched-words": { allowed: MODERATORS, request: () => ({ url: "/mod/watched-words", form: { intent: "add", pattern: "", kind: "word", wordAction: "flag" } }) },
  "mod.rooms._index": { allowed: MODERATORS, request: (fx) => ({ url: "/mod/rooms", form: { intent: "room-archive", id: String(fx.room.id), archived: "no" } }) },
  // Admin
  "admin.users._index": { allowed: ADMINS, request: (fx) => ({ url: "/admin/users", form: { intent: "revoke-sessions", userId: String(fx.author.id), reason: "matrix check" } }) },
  "admin.announcements._index": { allowed: ADMINS, request: () => ({ url: "/admin/announcements", form: { slug: "" } }) },
  "admin.announcements.$slug": { allowed: ADMINS, request: (fx) => ({ url: `/admin/announcements/${fx.announcementList.slug}`, params: announcementList(fx), form: { intent: "edit-list", name: "" } }) },
  "admin.announcements.a.$id": { allowed: ADMINS, request: (fx) => ({ url: `/admin/announcements/a/${fx.announcementId}`, params: { id: String(fx.announcementId) }, form: { intent: "save", subject: "" } }) },
  "admin.privacy": { allowed: ADMINS, request: () => ({ url: "/admin/privacy", form: { intent: "preview", body: "A draft policy" } }) },
  // Announcements and privacy
  "announcements.$slug": { allowed: PUBLIC, request: (fx) => ({ url: `/announcements/${fx.announcementList.slug}`, params: announcementList(fx), form: { email: "" } }) },
  "announcements.confirm": { allowed: PUBLIC, request: () => ({ url: "/announcements/confirm", form: { token: "not-a-token" } }) },
  "announcements.unsubscribe": { allowed: PUBLIC, request: () => ({ url: "/announcements/unsubscribe?s=999999&k=nope", form: {} }) },
  "privacy.feedback": { allowed: PUBLIC, request: () => ({ url: "/privacy/feedback", form: { message: "" } }) },
  "privacy.consent": { allowed: MEMBERS, request: () => ({ url: "/privacy/consent", form: { version: "1" } }) },
  "privacy.seen": { allowed: MEMBERS, request: () => ({ url: "/privacy/seen", form: { version: "1" } }) },
  // Accounts
  "settings._index": { allowed: MEMBERS, request: () => ({ url: "/settings", form: { intent: "unknown" } }) },
  "settings.sessions": { allowed: MEMBERS, request: () => ({ url: "/settings/sessions", form: { intent: "revoke-others" } }) },
  "settings.announcements": { allowed: MEMBERS, request: () => ({ url: "/settings/announcements", form: { intent: "unsubscribe", listId: "0" } }) },
  "settings.data": { allowed: MEMBERS, request: () => ({ url: "/settings/data", form: { posts: "" } }) },
  "settings.data.export": { allowed: MEMBERS, request: () => ({ url: "/settings/data/export", form: { password: "wrong password here" } }) },
  "notifications": { allowed: MEMBERS, request: () => ({ url: "/notifications", form: {} }) },
  "login": { allowed: PUBLIC, request: () => ({ url: "/login", form: { identifier: "nobody", password: "wrong password here" } }) },
  "logout": { allowed: PUBLIC, request: () => ({ url: "/logout", form: {} }) },
  "signup": { allowed: PUBLIC, request: () => ({ url: "/signup", form: { username: "" } }) },
  "forgot-password": { allowed: PUBLIC, request: () => ({ url: "/forgot-password", form: { email: "nobody@example.org" } }) },
  "reset-password": { allowed: PUBLIC, request: () => ({ url: "/reset-password", form: { token: "not-a-token", password: "" } }) },
  "verify-email": { allowed: PUBLIC, request: () => ({ url: "/verify-email", form: { token: "not-a-token" } }) },
  "unsubscribe": { allowed: PUBLIC, request: () => ({ url: "/unsubscribe?u=1&k=replies&key=nope", form: {} }) },

  // Pages of /mod and /admin
  "loader:mod._index": { allowed: ANY_MODERATOR, request: () => ({ url: "/mod" }) },
  "loader:mod.queue._index": { allowed: ANY_MODERATOR, request: () => ({ url: "/mod/queue" }) },
  "loader:mod.boards._index": { allowed: MODERATORS, request: () => ({ url: "/mod/boards" }) },
  "loader:mod.rooms._index": { allowed: MODERATORS, request: () => ({ url: "/mod/rooms" }) },
  "loader:mod.log._index": { allowed: MODERATORS, request: () => ({ url: "/mod/log" }) },
  "loader:mod.log[.]csv": { allowed: MODERATORS, request: () => ({ url: "/mod/log.csv" }) },
  "loader:mod.topics.$id": { allowed: MODERATORS, request: (fx) => ({ url: `/mod/topics/${fx.topic.id}`, params: { id: String(fx.topic.id) } }) },
  "loader:mod.users.$username": { allowed: MODERATORS, request: (fx) => ({ url: `/mod/users/${fx.author.username}`, params: { username: fx.author.username } }) },
  "loader:mod.settings": { allowed: MODERATORS, request: () => ({ url: "/mod/settings" }) },
  "loader:mod.watched-words": { allowed: MODERATORS, request: () => ({ url: "/mod/watched-words" }) },
  "loader:mod.lists._index": { allowed: MODERATORS, request: () => ({ url: "/mod/lists" }) },
  "loader:mod.lists.new": { allowed: MODERATORS, request: () => ({ url: "/mod/lists/new" }) },
  "loader:mod.lists.$slug._index": { allowed: MODERATORS, request: (fx) => ({ url: `/mod/lists/${fx.list.slug}`, params: { slug: fx.list.slug } }) },
  "loader:mod.lists.$slug.edit": { allowed: MODERATORS, request: (fx) => ({ url: `/mod/lists/${fx.list.slug}/edit`, params: { slug: fx.list.slug } }) },
  "loader:mod.lists.$slug.failures.$id.raw": { allowed: MODERATORS, request: (fx) => ({ url: `/mod/lists/${fx.list.slug}/failures/${fx.failureId}/raw`, params: { slug: fx.list.slug, id: String(fx.failureId) } }) },
  "loader:admin.users._index": { allowed: ADMINS, request: () => ({ url: "/admin/users" }) },
  "loader:admin.announcements._index": { allowed: ADMINS, request: () => ({ url: "/admin/announcements" }) },
  "loader:admin.announcements.$slug": { allowed: ADMINS, request: (fx) => ({ url: `/admin/announcements/${fx.announcementList.slug}`, params: announcementList(fx) }) },
  "loader:admin.announcements.a.$id": { allowed: ADMINS, request: (fx) => ({ url: `/admin/announcements/a/${fx.announcementId}`, params: { id: String(fx.announcementId) } }) },
  "loader:admin.privacy": { allowed: ADMINS, request: () => ({ url: "/admin/privacy" }) },
  "loader:admin.traffic": { allowed: ADMINS, request: () => ({ url: "/admin/traffic" }) },
  "loader:admin.outbox._index": { allowed: ADMINS, request: () => ({ url: "/admin/outbox" }) },
  "loader:admin.outbox.$id": { allowed: ADMINS, request: () => ({ url: "/admin/outbox/999999", params: { id: "999999" } }) },
};
