// The text of each account email. Plain text first (every client reads it);
// links are absolute, built from siteOrigin().
import { maskAddress } from "./links.server";
import type { QueuedMail } from "./queue.server";

const SITE = "Threadline";

function tokenLink(origin: string, path: string, token: string): string {
  return `${origin}${path}?${new URLSearchParams({ token })}`;
}

export function verifyEmailMessage(input: { to: string; username: string; origin: string; token: string }): QueuedMail {
  const link = tokenLink(input.origin, "/verify-email", input.token);
  return {
    kind: "verify-email",
    to: input.to,
    sensitive: true,
    subject: `Confirm your email address for ${SITE}`,
    text: [
      `Hello ${input.username},`,
      "",
      `Please confirm that this is your email address: open the link below and press "Confirm my address".`,
      "",
      link,
      "",
      "The link works once and expires in 24 hours.",
      "",
      `If you did not create an account on ${SITE}, ignore this message: nothing happens without the confirmation.`,
    ].join("\n"),
  };
}

export function changeEmailMessage(input: { to: string; username: string; origin: string; token: string }): QueuedMail {
  const link = tokenLink(input.origin, "/verify-email", input.token);
  return {
    kind: "change-email",
    to: input.to,
    sensitive: true,
    subject: `Confirm your new email address for ${SITE}`,
    text: [
      `Hello ${input.username},`,
      "",
      `You asked to use this address for your ${SITE} account. Open the link below and press "Confirm my address" to make the change:`,
      "",
      link,
      "",
      "The link works once and expires in 24 hours. Until then your account keeps its old address.",
      "",
      "If you did not ask for this, ignore this message: nothing changes without the confirmation.",
    ].join("\n"),
  };
}

export function emailChangeNoticeMessage(input: { to: string; username: string; origin: string; newAddress: string }): QueuedMail {
  return {
    kind: "email-change-notice",
    to: input.to,
    subject: `Your ${SITE} email address is being changed`,
    text: [
      `Hello ${input.username},`,
      "",
      `Someone logged in to your ${SITE} account asked to change its email address to ${maskAddress(input.newAddress)}.`,
      "The change takes effect only when the new address is confirmed from the link we sent there.",
      "",
      `If this was you, there is nothing to do. If it was not, log in and change your password now: ${input.origin}/settings`,
    ].join("\n"),
  };
}

export function resetPasswordMessage(input: { to: string; username: string; origin: string; token: string }): QueuedMail {
  const link = tokenLink(input.origin, "/reset-password", input.token);
  return {
    kind: "reset-password",
    to: input.to,
    sensitive: true,
    subject: `Reset your ${SITE} password`,
    text: [
      `Hello ${input.username},`,
      "",
      "Someone (we hope you) asked to reset the password of your account. To choose a new password, open this link:",
      "",
      link,
      "",
      "The link works once and expires in 1 hour. Setting a new password signs you out everywhere.",
      "",
      "If you did not ask for this, ignore this message: your password stays as it is.",
    ].join("\n"),
  };
}
