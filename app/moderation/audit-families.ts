// Shared by the audit log page (its filter menu) and the server code that filters.

/** Action families for the filter menu: the part before the first dot. */
export const ACTION_FAMILIES = [
  { value: "post", label: "Posts" },
  { value: "topic", label: "Topics" },
  { value: "revision", label: "Revisions" },
  { value: "report", label: "Reports" },
  { value: "appeal", label: "Appeals" },
  { value: "mail", label: "Archived messages" },
  { value: "list", label: "Archived lists" },
  { value: "import", label: "Imports" },
  { value: "chat", label: "Chat" },
  { value: "room", label: "Chat rooms" },
  { value: "forum", label: "Forums" },
  { value: "board", label: "Boards" },
  { value: "user", label: "Members" },
  { value: "settings", label: "Settings" },
  { value: "announcement", label: "Announcements" },
  { value: "policy", label: "Privacy policy" },
  { value: "watched-word", label: "Watched words" },
] as const;
