import { NavLink } from "@remix-run/react";

const LINKS = [
  { to: "/settings", label: "Account", end: true },
  { to: "/settings/sessions", label: "Sessions", end: false },
  { to: "/settings/announcements", label: "Announcements", end: false },
  { to: "/settings/data", label: "Your data", end: false },
];

export function SettingsNav() {
  return (
    <nav aria-label="Settings">
      <ul className="space-y-1">
        {LINKS.map((link) => (
          <li key={link.to}>
            <NavLink
              to={link.to}
              end={link.end}
              className={({ isActive }) =>
                `block rounded-md px-3 py-2 text-sm no-underline hover:bg-slate-100 hover:no-underline ${isActive ? "bg-white font-semibold text-slate-900 shadow-sm" : "text-slate-600"}`
              }
            >
              {link.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
