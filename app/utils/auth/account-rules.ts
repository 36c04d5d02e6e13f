import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
/** Anything longer is refused before hashing, so nobody can make us hash megabytes. */
export const PASSWORD_MAX_BYTES = 1024;

// Names that would be confusing or could impersonate the staff or the site.
const RESERVED_USERNAMES = new Set([
  "admin", "administrator", "root", "system", "moderator", "mod", "staff", "support", "threadline",
  "anonymous", "deleted", "null", "undefined", "me", "settings", "login", "logout", "signup",
]);

export const usernameSchema = z
  .string({ required_error: "Choose a username." })
  .trim()
  .min(3, "Usernames have at least 3 characters.")
  .max(30, "Usernames have at most 30 characters.")
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "Use letters, digits, - and _ only, starting with a letter or digit.")
  .refine((name) => !RESERVED_USERNAMES.has(name.toLowerCase()), "That username is reserved. Please choose another.");

export const emailSchema = z
  .string({ required_error: "Enter your email address." })
  .trim()
  .min(1, "Enter your email address.")
  .max(254, "That email address is too long.")
  .email("Enter a valid email address, such as you@example.org.");

export const passwordFieldSchema = z.string({ required_error: "Enter a password." }).min(1, "Enter a password.");
