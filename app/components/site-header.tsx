import { Form, NavLink } from "@remix-run/react";
import { HeaderSearch } from "./header-search";
import { useOptionalUser, type RootUser } from "~/root";
import { canAdminister, canEditPrivacyPolicy, canManageAnnouncements, canModerate, canReadOutbox, canReadTraffic } from "~/utils/permissions";

const SECTIONS = [
  { to: "/forums", label: "Forums" },
  { to: "/lists", label: "Lists" },
  { to: "/chat", label: "Chat" },
  { to: "/search", label: "Search" },
];

export function SiteHeader() {
  const user = useOptionalUser();
  return (
    <header className="border-b border-slate-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-6 gap-y-3 px-4 py-3">
        <a href="/" className="flex items-center gap-2 text-lg font-bold text-slate-900 no-underline hover:no-underline">
          <img src="/favicon.svg" alt="" width={28} height={28} />
          Threadline
        </a>
        <nav aria-label="Sections" className="order-3 w-full sm:order-none sm:w-auto">
          <ul className="flex gap-1">
            {SECTIONS.map((section) => (
              <li key={section.to}>
                <NavLink
                  to={section.to}
                  className={({ isActive }) =>
                    `rounded-md px-3 py-1.5 text-sm font-medium no-underline hover:bg-slate-100 hover:no-underline ${
                      isActive ? "bg-slate-100 text-slate-900" : "text-slate-600"
                    }`
                  }
                >
                  {section.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="order-4 w-full sm:order-none sm:ml-auto sm:w-auto">
          <HeaderSearch />
        </div>
        <div className="ml-auto sm:ml-0">{user ? <AccountMenu user={user} /> : <GuestLinks />}</div>
      </div>
    </header>
  );
}

function GuestLinks() {
  return (
    <div className="flex items-center gap-2">
      <a href="/login" className="btn-secondary">Log in</a>
      <a href="/signup" className="btn">Sign up</a>
    </div>
  );
}

function AccountMenu({ user }: { user: NonNullable<RootUser> }) {
  return (
    <div className="flex items-center gap-2">
    <a href="/notifications" className="btn-secondary" aria-label={`Notifications (${user.unreadNotifications} unread)`}>
      <svg aria-hidden viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round">
        <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {user.unreadNotifications ? <span className="rounded-full bg-red-600 px-1.5 text-xs font-bold text-white">{user.unreadNotifications}</span> : null}
    </a>
    <details className="relative">
      <summary className="btn-secondary cursor-pointer list-none" aria-label={`Account menu for ${user.username}`}>
        <span aria-hidden className="flex h-6 w-6 items-center justify-center rounded-full bg-brand-100 text-xs font-bold text-brand-900">
          {user.username.slice(0, 1).toUpperCase()}
        </span>
        {user.username}
      </summary>
      <div className="absolute right-0 z-20 mt-2 w-56 rounded-md border border-slate-200 bg-white p-1 shadow-lg">
        <a href={`/u/${user.username}`} className="block rounded px-3 py-2 text-sm text-slate-700 no-underline hover:bg-slate-100">Your profile</a>
        <a href="/settings" className="block rounded px-3 py-2 text-sm text-slate-700 no-underline hover:bg-slate-100">Account settings</a>
        <a href="/settings/sessions" className="block rounded px-3 py-2 text-sm text-slate-700 no-underline hover:bg-slate-100">Active sessions</a>
        <a href="/notifications" className="block rounded px-3 py-2 text-sm text-slate-700 no-underline hover:bg-slate-100">Notifications</a>
        <a href="/bookmarks" className="block rounded px-3 py-2 text-sm text-slate-700 no-underline hover:bg-slate-100">Bookmarks</a>
        {canModerate(user) || user.moderatesBoards ? (
          <a href="/mod" className="block rounded px-3 py-2 text-sm text-slate-700 no-underline hover:bg-slate-100">Moderation</a>
        ) : null}
        {canAdminister(user) ? (
          <a href="/admin/users" className="block rounded px-3 py-2 text-sm text-slate-700 no-underline hover:bg-slate-100">Members</a>
        ) : null}
        {canReadOutbox(user) ? (
          <a href="/admin/outbox" className="block rounded px-3 py-2 text-sm text-slate-700 no-underline hover:bg-slate-100">Outbox</a>
        ) : null}
        {canReadTraffic(user) ? (
          <a href="/admin/traffic" className="block rounded px-3 py-2 text-sm text-slate-700 no-underline hover:bg-slate-100">Traffic</a>
        ) : null}
        {canManageAnnouncements(user) ? (
          <a href="/admin/announcements" className="block rounded px-3 py-2 text-sm text-slate-700 no-underline hover:bg-slate-100">Announcements</a>
        ) : null}
        {canEditPrivacyPolicy(user) ? (
          <a href="/admin/privacy" className="block rounded px-3 py-2 text-sm text-slate-700 no-underline hover:bg-slate-100">Privacy policy</a>
        ) : null}
        <Form method="post" action="/logout" className="border-t border-slate-100 pt-1">
          <button type="submit" className="w-full rounded px-3 py-2 text-left text-sm text-slate-700 hover:bg-slate-100">
            Log out
          </button>
        </Form>
      </div>
    </details>
    </div>
  );
}
