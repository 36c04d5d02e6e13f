// Version 1 of the privacy policy, as the portal is installed. It is written
// into the database once (ensureInitialPolicy); later versions are published
// by admins at /admin/privacy. Section ids come from the "##" headings, so
// "## Cookies" is /privacy#cookies.
export const INITIAL_POLICY_SUMMARY = "The first version of the privacy policy.";

export const INITIAL_POLICY_MARKDOWN = `## Public forums are public

Anything you post in a forum or chat room can be read by anyone on the web, indexed by search engines, copied and archived by others. Editing or deleting a post hides it here, but copies may already exist elsewhere. Please do not post personal information such as email addresses, phone numbers or card numbers; Threadline warns you before you do.

## Archived mailing lists belong to their hosts

The mailing-list archives on Threadline are copies of lists that other sites host. Threadline does not own or control their data. Every archive page names the hosting site and links to it; questions about a list's data practices go to that site.

## Cookies

Reading Threadline sets no cookies at all. When you log in, we set one cookie that keeps you logged in; it holds a random token, not your name or email. If you refuse cookies, you can still read everything; you just cannot log in.

## What we keep

- Your username, your email address (never shown to others) and a one-way hash of your password.
- For each logged-in browser: when it logged in, when it was last used and a coarse description such as “Firefox on Linux”, so you can review and end your sessions.
- What you post, and when.

Our logs record which pages were requested and how the server answered. They contain no IP addresses, email addresses or session tokens.

## Traffic statistics

We count visits to see how Threadline is used: page views per day, per part of the site and per page, and the names of the sites that linked here. To estimate how many different visitors came in a day, your IP address and browser description are hashed with a random value that changes every day and is kept only in the server's memory; only the day's total is stored. IP addresses and these hashes are never stored, so visitors cannot be recognised from one day to the next.

## Announcement lists

Our announcement lists are opt-in: nothing is ticked in advance. Every new subscription is confirmed by a link we email to the address first (double opt-in), and every announcement has a one-click unsubscribe link. If you change your account's email address, your subscriptions follow it once the new address is confirmed.

## Your data

Members can download everything they posted and every setting we keep about them, and delete their account, at [/settings/data](/settings/data). Deleting erases your email address, sessions, settings, subscriptions and privacy answers; you choose whether your posts stay, shown as written by a deleted member, or are removed.

## No third parties

Threadline pages load nothing from other sites: no analytics, no advertising, no third-party fonts or scripts. Links to other sites are marked; their practices are their own.

## Changes to this policy

When this policy changes, the change is announced on the home page. If we ever want to use personal data in a new way, we will email members and ask for their agreement first.

## Questions

Questions about privacy go to [/privacy/feedback](/privacy/feedback); you do not need an account.
`;
