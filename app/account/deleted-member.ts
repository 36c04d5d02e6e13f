// Shared by the server (which writes it) and components (which show it
// without a profile link): the name every deleted account is shown under.

/** Contains a space, so no sign-up can ever take it (usernames are letters, digits, - and _). */
export const DELETED_MEMBER_NAME = "deleted member";

export function isDeletedMemberName(username: string): boolean {
  return username === DELETED_MEMBER_NAME;
}
